import Foundation
import StarlingRuntime

/// What of the local LLM is installed in a home folder: the `llama-server` binary and which
/// models. Cheap to ask (no hashing, no process started): for `starling doctor` and for
/// tests that skip when nothing is installed.
package struct LocalLLMInstallation: Sendable {
    /// Starling's home.
    package var home: StarlingHome

    /// Looks at a home folder.
    ///
    /// - Parameter home: Starling's home.
    package init(home: StarlingHome = .resolve()) {
        self.home = home
    }

    /// Where `llama-server` is installed: `<home>/llm/bin/llama-server`.
    package var serverBinary: URL { home.llm.appendingPathComponent("bin/llama-server") }
    /// The state file of the running server.
    package var serverStateFile: URL { home.llm.appendingPathComponent("server.json") }
    /// The running server's log.
    package var serverLogFile: URL { home.llm.appendingPathComponent("server.log") }

    /// Whether `llama-server` is installed and executable.
    package var isServerInstalled: Bool { FileManager.default.isExecutableFile(atPath: serverBinary.path) }

    /// Whether `model` is installed: its file has the recorded size and the SHA-256 it was
    /// verified against at install time matches the registry.
    ///
    /// - Parameter model: The model.
    /// - Returns: `true` when it is ready to serve.
    package func isInstalled(_ model: LocalModel) -> Bool {
        let file = model.file(in: home)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
              let size = (attributes[.size] as? NSNumber)?.int64Value, size == model.sizeBytes else { return false }
        let marker = (try? String(contentsOf: Self.marker(for: file), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        return marker == model.sha256
    }

    /// The registry models that are installed, default first.
    package var installedModels: [LocalModel] { LocalModel.all().filter(isInstalled) }

    /// Whether a local model can be served: the server and at least one model are installed.
    package var isReady: Bool { isServerInstalled && !installedModels.isEmpty }

    /// The model to serve when none is named: the default if installed, else any installed one.
    package var preferredModel: LocalModel? {
        let installed = installedModels
        return installed.first { $0.name == LocalModel.defaultName } ?? installed.first
    }

    /// What is missing, each with the command that fixes it; empty when ready.
    package var problems: [String] {
        var problems: [String] = []
        if !isServerInstalled {
            problems.append("llama-server is not installed at \(serverBinary.path): run `starling setup --llm`")
        }
        if installedModels.isEmpty {
            problems.append("no local model is installed in \(home.llm.appendingPathComponent("models").path): run `starling setup --llm`")
        }
        return problems
    }

    /// The file recording the SHA-256 a model file was verified against.
    static func marker(for file: URL) -> URL {
        file.appendingPathExtension("sha256")
    }
}
