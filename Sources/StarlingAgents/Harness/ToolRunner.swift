import Foundation
import StarlingRuntime
import StarlingCore

/// Runs one of Starling's Python helpers (`Resources/tools/*.py`: pre-flight, repair, edits, the
/// API index) in the sandbox with the solution interpreter, and decodes the JSON object it prints
/// on its last line. The helpers only parse and inspect; generated code never runs through here.
package struct ToolRunner: Sendable {
    /// The sandbox.
    package let sandbox: Sandbox
    /// The solution interpreter, so helpers see the installed libraries.
    package let python: URL

    /// Creates a runner.
    package init(sandbox: Sandbox, python: URL) {
        self.sandbox = sandbox
        self.python = python
    }

    /// The bundled helper `name.py`.
    ///
    /// - Throws: ``AgentError`` when it is missing from the build.
    package static func tool(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: "py", subdirectory: "Resources/tools") else {
            throw AgentError("\(name).py is missing from Starling's resources; rebuild with `swift build`")
        }
        return url
    }

    /// Runs a helper and decodes its last JSON line.
    ///
    /// - Parameters:
    ///   - name: The helper, without `.py`.
    ///   - arguments: Its arguments.
    ///   - scratch: Its working folder (created).
    ///   - timeout: Seconds before it is killed.
    ///   - memoryMB: Its memory limit.
    /// - Returns: The decoded reply.
    /// - Throws: ``AgentError`` with the end of its output when it fails or prints no JSON.
    package func run<T: Decodable>(_ type: T.Type, _ name: String, arguments: [String], scratch: URL,
                                  timeout: Double = 60, memoryMB: Int = 2048) async throws -> T {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let request = ExecutionRequest(script: try Self.tool(name), arguments: arguments, workDir: scratch, python: python,
                                       limits: ExecutionLimits(timeoutSeconds: timeout, memoryMB: memoryMB, outputCapBytes: 8 * 1024 * 1024),
                                       logFile: scratch.appendingPathComponent("\(name).log"))
        let result = try await sandbox.run(request)
        let text = result.output.text
        guard result.succeeded, let line = text.split(separator: "\n").last(where: { $0.hasPrefix("{") }) else {
            throw AgentError("\(name).py \(result.summary): \(text.suffix(600))")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(line.utf8))
        } catch {
            throw AgentError("\(name).py printed JSON Starling cannot read (\(error)): \(line.prefix(300))")
        }
    }
}
