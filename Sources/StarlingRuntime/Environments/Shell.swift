import Foundation
import Subprocess
import SystemPackage

/// Runs trusted helper programs (uv, pip, cmake) for set-up work. Never used for generated
/// code, which always goes through ``Sandbox``.
public enum Shell {
    /// The outcome of one helper program.
    public struct Outcome: Sendable {
        /// Whether it exited 0.
        public var succeeded: Bool
        /// Its standard output and error, interleaved, up to 4 MiB.
        public var output: String
    }

    /// Finds an executable on `PATH` (plus `~/.local/bin`, where pip puts user installs).
    ///
    /// - Parameter name: Program name.
    /// - Returns: Its full path, or `nil`.
    public static func which(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        var folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        if let home = environment["HOME"] { folders.append(home + "/.local/bin") }
        return folders.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a program to completion, collecting its output.
    ///
    /// - Parameters:
    ///   - path: Full path of the program.
    ///   - arguments: Its arguments.
    ///   - environment: Variables to add to the inherited environment.
    ///   - workingDirectory: Where to run it.
    /// - Returns: Whether it succeeded and what it printed.
    /// - Throws: When it could not be started.
    public static func run(_ path: String, _ arguments: [String], environment: [String: String] = [:], workingDirectory: URL? = nil) async throws -> Outcome {
        var updates: [Environment.Key: String?] = [:]
        for (key, value) in environment { if let key = Environment.Key(rawValue: key) { updates[key] = value } }
        let result = try await Subprocess.run(
            .path(FilePath(path)),
            arguments: Arguments(arguments),
            environment: .inherit.updating(updates),
            workingDirectory: workingDirectory.map { FilePath($0.path) },
            output: .string(limit: 4 * 1024 * 1024),
            error: .combinedWithOutput
        )
        return Outcome(succeeded: result.terminationStatus.isSuccess, output: result.standardOutput ?? "")
    }
}
