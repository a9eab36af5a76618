import ArgumentParser
import Foundation
import StarlingCore
import StarlingRuntime

/// `starling exec`: runs one Python script in the sandbox and reports how it went.
struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a Python script in Starling's sandbox.",
        discussion: "The script gets no secrets from this environment, cannot change --input paths, has no network where the kernel allows, and is killed with all its descendants at the timeout."
    )

    @Argument(help: "The Python script to run.")
    var script: String

    @Option(help: "Working directory for the script (created when missing).")
    var workdir: String

    @Option(name: .customLong("input"), help: "A file or folder the script may read but not change. Repeatable. A single folder is also linked as WORKDIR/input.")
    var inputs: [String] = []

    @Option(help: "Wall-clock limit in seconds.")
    var timeout: Double = 600

    @Option(help: "Memory limit in MiB.")
    var memory: Int?

    @Option(help: "Cores for the script; thread-count variables follow it.")
    var cores: Int = 1

    @Option(help: "Bytes of output kept in the result (head and tail); the log has everything.")
    var outputCap: Int = 64 * 1024

    @Option(help: "Python interpreter (default: Starling's solution environment).")
    var python: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() async throws {
        let home = StarlingHome.resolve()
        let interpreter = python.map { URL(fileURLWithPath: $0) } ?? home.solutionPython
        let sandbox = try await Sandbox.probing()
        // The solution contract reads data from ./input/: with one input folder, link it there.
        let workURL = URL(fileURLWithPath: workdir)
        let link = ScriptWorkspace(workURL).input
        if inputs.count == 1, !FileManager.default.fileExists(atPath: link.path) {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: inputs[0], isDirectory: &isFolder), isFolder.boolValue {
                try FileManager.default.createDirectory(at: workURL, withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(at: link, withDestinationURL: URL(fileURLWithPath: inputs[0]).standardizedFileURL)
            }
        }
        let request = ExecutionRequest(
            script: URL(fileURLWithPath: script),
            workDir: URL(fileURLWithPath: workdir),
            readOnlyPaths: inputs.map { URL(fileURLWithPath: $0) },
            python: interpreter,
            limits: ExecutionLimits(timeoutSeconds: timeout, memoryMB: memory, cores: cores, outputCapBytes: outputCap)
        )
        let result = try await sandbox.run(request)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print(result.output.text, terminator: result.output.text.hasSuffix("\n") ? "" : "\n")
            print("— \(result.summary); cpu \(result.cpuSeconds.map { String(format: "%.2f s", $0) } ?? "?"), peak RSS \(result.peakRSSBytes.map { "\($0 / 1_048_576) MiB" } ?? "?"), log \(result.logPath) [\(result.isolation)]")
        }
        if !result.succeeded { throw ExitCode(1) }
    }
}
