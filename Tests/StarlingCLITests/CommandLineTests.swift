import Foundation
import Testing

/// The `starling` executable as a user starts it: exit codes and the first words of its answers.
/// It needs the executable built (`swift build`, which `make test` runs first).
@Suite struct CommandLineTests {
    /// `.build/debug/starling` of this checkout.
    static let executable = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/starling")
    static var built: Bool { FileManager.default.isExecutableFile(atPath: executable.path) }

    /// Runs the executable and returns its exit status and output (stdout and stderr together).
    func starling(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: built, "needs .build/debug/starling: run `swift build` first"))
    func helpListsTheCommandsAndExitsZero() throws {
        let (status, output) = try starling(["--help"])
        #expect(status == 0)
        for command in ["run", "resume", "bench", "report", "tasks", "doctor", "setup"] {
            #expect(output.contains(command), "--help names `\(command)`")
        }
        let run = try starling(["run", "--help"])
        #expect(run.status == 0 && run.output.contains("--strategy") && run.output.contains("--edit-format"))
    }

    @Test(.enabled(if: built, "needs .build/debug/starling: run `swift build` first"))
    func tasksListShowsTheBundledSuite() throws {
        let (status, output) = try starling(["tasks", "list"])
        #expect(status == 0)
        #expect(output.contains("wa-churn") && output.contains("ames"))
    }

    @Test(.enabled(if: built, "needs .build/debug/starling: run `swift build` first"))
    func doctorReportsEveryComponentWithAVerdict() throws {
        let (status, output) = try starling(["doctor"])
        #expect(status == 0)
        #expect(output.contains("llama-server") && output.contains("solution"))
        #expect(output.contains("all ready") || output.contains(" missing"))
    }

    @Test(.enabled(if: built, "needs .build/debug/starling: run `swift build` first"))
    func badInputGetsAnErrorThatSaysWhatToFix() throws {
        let unknownTask = try starling(["run", "no-such-task", "--time", "1m"])
        #expect(unknownTask.status != 0)
        #expect(unknownTask.output.contains("no-such-task"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let resume = try starling(["resume", folder.path])
        #expect(resume.status != 0)
        #expect(resume.output.contains("not a Starling run folder"))
        let badTime = try starling(["run", "wa-churn", "--time", "soon"])
        #expect(badTime.status != 0 && badTime.output.contains("30m"), "the duration error shows the accepted forms")
    }
}
