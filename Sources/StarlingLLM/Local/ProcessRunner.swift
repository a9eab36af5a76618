import Foundation
import Subprocess
import SystemPackage

/// Runs a program to completion and collects its output; a thin layer over Subprocess.
struct ProcessRunner: Sendable {
    /// What a finished program left.
    struct Outcome: Sendable {
        var exitCode: Int32?
        var standardOutput: String
        var standardError: String
        var succeeded: Bool { exitCode == 0 }
    }

    /// Runs `executable` (a path, or a name looked up on PATH).
    static func run(_ executable: String, _ arguments: [String], input: String? = nil,
                    environment: [String: String] = [:], workingDirectory: URL? = nil,
                    outputLimit: Int = 4 << 20) async throws -> Outcome {
        let exe: Executable = executable.contains("/") ? .path(FilePath(executable)) : .name(executable)
        var env = Environment.inherit
        if !environment.isEmpty {
            env = env.updating(Dictionary(uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), Optional($0.value)) }))
        }
        let directory = workingDirectory.map { FilePath($0.path) }
        let result: ExecutionResult<Void, StringOutput<UTF8>, StringOutput<UTF8>>
        if let input {
            result = try await Subprocess.run(exe, arguments: Arguments(arguments), environment: env, workingDirectory: directory,
                                              input: .string(input), output: .string(limit: outputLimit), error: .string(limit: outputLimit))
        } else {
            result = try await Subprocess.run(exe, arguments: Arguments(arguments), environment: env, workingDirectory: directory,
                                              output: .string(limit: outputLimit), error: .string(limit: outputLimit))
        }
        var code: Int32?
        if case .exited(let value) = result.terminationStatus { code = Int32(value) }
        return Outcome(exitCode: code, standardOutput: result.standardOutput, standardError: result.standardError)
    }
}
