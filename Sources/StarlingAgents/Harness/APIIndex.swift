import Foundation
import StarlingRuntime
import StarlingCore

/// The index of the installed libraries' public API (module → names → signatures), built once per
/// solution environment by `api_index.py` from the packages themselves and kept beside the
/// environment as `api-index.json`. It is rebuilt when the environment's record changes.
package struct APIIndex: Sendable {
    /// The index file.
    package let file: URL

    /// Where a solution interpreter's index lives: `<environment>/api-index.json` for Starling's
    /// environments, a file in the temporary folder for any other interpreter.
    package static func location(forPython python: URL) -> URL {
        let environment = python.deletingLastPathComponent().deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: environment.appendingPathComponent("starling-env.json").path) {
            return environment.appendingPathComponent("api-index.json")
        }
        let name = python.path.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? String($0) : "-" }.joined()
        return FileManager.default.temporaryDirectory.appendingPathComponent("starling-api-index\(name).json")
    }

    /// What the index was built from: the environment's record (`starling-env.json`), or the
    /// interpreter's path for an environment without one.
    static func key(forPython python: URL) -> String {
        let record = python.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("starling-env.json")
        return (try? String(contentsOf: record, encoding: .utf8)) ?? python.path
    }

    /// The index for `python`, building it first when missing or stale (about a minute on two cores).
    ///
    /// - Parameters:
    ///   - python: The solution interpreter.
    ///   - sandbox: Where the indexer runs.
    ///   - log: Receives one line when the index is built.
    /// - Returns: The index, or `nil` when it could not be built (repairs are then skipped; the
    ///   reason goes to `log`).
    package static func ensure(python: URL, sandbox: Sandbox, log: @Sendable (String) -> Void = { _ in }) async -> APIIndex? {
        let file = location(forPython: python)
        let keyFile = file.appendingPathExtension("key")
        let key = key(forPython: python)
        if FileManager.default.fileExists(atPath: file.path), (try? String(contentsOf: keyFile, encoding: .utf8)) == key {
            return APIIndex(file: file)
        }
        struct Built: Decodable { var modules: Int; var names: Int; var seconds: Double }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("starling-api-index-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            // Written to scratch first: the sandbox lets a helper write only its working folder.
            let output = scratch.appendingPathComponent("api-index.json")
            let built = try await ToolRunner(sandbox: sandbox, python: python)
                .run(Built.self, "api_index", arguments: [output.path, "60"], scratch: scratch, timeout: 900, memoryMB: 4096)
            if FileManager.default.fileExists(atPath: file.path) { try FileManager.default.removeItem(at: file) }
            try FileManager.default.moveItem(at: output, to: file)
            try key.write(to: keyFile, atomically: true, encoding: .utf8)
            log("API index of the installed libraries: \(built.modules) modules, \(built.names) names (\(Int(built.seconds)) s) at \(file.path)")
            return APIIndex(file: file)
        } catch {
            log("the API index of the installed libraries could not be built; import repairs are off: \(error)")
            return nil
        }
    }
}
