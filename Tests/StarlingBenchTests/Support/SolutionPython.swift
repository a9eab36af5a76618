import Foundation
import StarlingRuntime
import Subprocess
import SystemPackage

/// The solution environment's Python, used to compute reference values with scikit-learn.
enum SolutionPython {
    static var url: URL { StarlingHome.resolve().solutionPython }

    /// Whether the solution environment exists (`starling setup` creates it; `make test` runs
    /// setup first, so in CI these tests always run).
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: url.path) }

    /// Runs `script` with a JSON file as its argument and decodes its standard output as JSON.
    static func run(_ script: String, input: Any) async throws -> Any {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("starling-bench-py-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputURL = folder.appendingPathComponent("input.json")
        let scriptURL = folder.appendingPathComponent("script.py")
        try JSONSerialization.data(withJSONObject: input).write(to: inputURL)
        try Data(script.utf8).write(to: scriptURL)
        let result = try await Subprocess.run(
            .path(FilePath(url.path)),
            arguments: [scriptURL.path, inputURL.path],
            output: .string(limit: 64 * 1024 * 1024),
            error: .string(limit: 1024 * 1024))
        guard result.terminationStatus.isSuccess else {
            throw PythonFailure(message: result.standardError)
        }
        return try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
    }

    struct PythonFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
