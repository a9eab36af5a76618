import Foundation
import StarlingRuntime
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
    func starling(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let finished = try ChildProcess.runToEnd(Self.executable, arguments,
                                                 environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new },
                                                 joiningErrors: true)
        return (finished.status, String(decoding: finished.output, as: UTF8.self))
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

    /// The solution environment `starling setup` makes (the cell below runs real scripts).
    static var solutionPython: Bool {
        let home = ProcessInfo.processInfo.environment["STARLING_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/starling")
        return FileManager.default.isExecutableFile(atPath: home.appendingPathComponent("python/bin/python").path)
    }

    @Test(.enabled(if: built && solutionPython, "needs .build/debug/starling and `starling setup`"))
    func aBenchOfAnotherSuiteHandsItsCellsThatSuitesTasks() throws {
        // A checkout (STARLING_REPO) with a suite `mini` of one small task, and no --tasks-dir:
        // the cells must look in tasks/mini, not in tasks/lite.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cli-suite-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("Sources/StarlingCore"), withIntermediateDirectories: true)
        try "// a checkout's marker\n".write(to: root.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        try TinyTask.write(into: root.appendingPathComponent("tasks/mini/tiny"))
        let out = root.appendingPathComponent("bench")
        let bench = try starling(["bench", "--suite", "mini", "--strategies", "examples", "--time", "1m", "--out", out.path],
                                 environment: ["STARLING_REPO": root.path])
        #expect(bench.status == 0, "\(bench.output.suffix(1500))")
        let summary = out.appendingPathComponent("runs/tiny/examples/seed-1/summary.json")
        let text = (try? String(contentsOf: summary, encoding: .utf8)) ?? ""
        #expect(text.contains("\"finalScore\""), "the cell found its task and was graded: \(bench.output.suffix(1500))")
        // The cell is a `starling run`: its last lines say where its report is, and the report is there.
        let cell = out.appendingPathComponent("runs/tiny/examples/seed-1")
        let log = (try? String(contentsOf: cell.appendingPathComponent("bench.log"), encoding: .utf8)) ?? ""
        #expect(log.contains("report      \(cell.appendingPathComponent("report.html").path)"), "\(log.suffix(800))")
        #expect(FileManager.default.fileExists(atPath: cell.appendingPathComponent("report.html").path))
    }
}
