import Foundation
import Subprocess
import SystemPackage

/// Runs trusted helper programs to completion (uv, pip, cmake, the llama-server launcher, the
/// syntax checker): the one way Starling starts a program and waits for it. Never used for
/// generated code, which always goes through ``Sandbox``.
package enum Shell {
    /// The outcome of one helper program.
    package struct Outcome: Sendable {
        /// Whether it exited 0.
        package var succeeded: Bool
        /// Its standard output and error, interleaved, up to 4 MiB.
        package var output: String
    }

    /// Finds an executable on `PATH` (plus `~/.local/bin`, where pip puts user installs).
    ///
    /// - Parameter name: Program name.
    /// - Returns: Its full path, or `nil`.
    package static func which(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
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
    package static func run(_ path: String, _ arguments: [String], environment: [String: String] = [:], workingDirectory: URL? = nil) async throws -> Outcome {
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
        return Outcome(succeeded: result.terminationStatus.isSuccess, output: result.standardOutput)
    }

    /// What a program printed, kept apart, and how it exited.
    package struct Capture: Sendable {
        /// The exit code; `nil` when a signal ended it.
        package var exitCode: Int32?
        package var standardOutput: String
        package var standardError: String
        package var succeeded: Bool { exitCode == 0 }
    }

    /// Runs `executable` (a path, or a name looked up on `PATH`) to completion, with optional
    /// standard input, and keeps its standard output and error apart.
    ///
    /// - Parameters:
    ///   - executable: A path, or a program name.
    ///   - arguments: Its arguments.
    ///   - input: Text for its standard input.
    ///   - environment: Variables to add to the inherited environment.
    ///   - workingDirectory: Where to run it.
    ///   - outputLimit: Bytes kept of each stream.
    /// - Returns: Its exit code and output.
    /// - Throws: When it could not be started.
    package static func capture(_ executable: String, _ arguments: [String], input: String? = nil,
                               environment: [String: String] = [:], workingDirectory: URL? = nil,
                               outputLimit: Int = 4 << 20) async throws -> Capture {
        let exe: Executable = executable.contains("/") ? .path(FilePath(executable)) : .name(executable)
        var env = Environment.inherit
        if !environment.isEmpty {
            env = env.updating(Dictionary(uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), Optional($0.value)) }))
        }
        let directory = workingDirectory.map { FilePath($0.path) }
        let result: Subprocess.ExecutionResult<Void, StringOutput<UTF8>, StringOutput<UTF8>>
        if let input {
            result = try await Subprocess.run(exe, arguments: Arguments(arguments), environment: env, workingDirectory: directory,
                                              input: .string(input), output: .string(limit: outputLimit), error: .string(limit: outputLimit))
        } else {
            result = try await Subprocess.run(exe, arguments: Arguments(arguments), environment: env, workingDirectory: directory,
                                              output: .string(limit: outputLimit), error: .string(limit: outputLimit))
        }
        var code: Int32?
        if case .exited(let value) = result.terminationStatus { code = Int32(value) }
        return Capture(exitCode: code, standardOutput: result.standardOutput, standardError: result.standardError)
    }
}
