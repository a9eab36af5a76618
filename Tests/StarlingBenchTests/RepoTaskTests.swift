import Foundation
import Testing
@testable import StarlingBench
import StarlingRuntime

/// The bundled repo tasks (tasks/repo): they load, span enough repositories, and each task's own
/// test script passes its ground truth and refuses an empty or wrong output — run for real in
/// the sandbox, the way a run's final check runs it.
@Suite("Bundled repo tasks")
struct RepoTaskTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let store = RepoTaskStore(roots: [repository.appendingPathComponent("tasks/repo")])
    static var python: URL {
        let venv = StarlingHome.resolve().solutionPython
        return FileManager.default.isExecutableFile(atPath: venv.path) ? venv : URL(fileURLWithPath: Shell.which("python3") ?? "/usr/bin/python3")
    }

    @Test func theSuiteHasFourTasksOverThreePinnedRepositories() throws {
        let (tasks, errors) = Self.store.loadAll()
        #expect(errors.isEmpty)
        #expect(tasks.count >= 4)
        #expect(Set(tasks.compactMap(\.source.pypi)).count >= 3)
        for task in tasks {
            #expect(task.source.sha256?.count == 64, "\(task.id) pins its sdist by SHA-256")
            #expect(!task.outputs.isEmpty && !task.inputs.isEmpty)
            #expect(task.groundtruth != nil)
            for input in task.inputs { #expect(FileManager.default.fileExists(atPath: task.resolve(input).path), "\(task.id): \(input)") }
        }
    }

    @Test func aTaskIsFoundByIdAndAPredictionTaskIsNot() throws {
        #expect(try Self.store.task("sqlparse-format")?.source.name == "sqlparse")
        #expect(try Self.store.task("wa-churn") == nil)
    }

    @Test(arguments: RepoTaskTests.store.loadAll().tasks.map(\.id))
    func theTestScriptJudgesGroundTruthEmptyAndWrongOutputs(id: String) async throws {
        let task = try #require(try Self.store.task(id))
        let sandbox = try await Sandbox.probing()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("starling-repo-check-\(UUID().uuidString.prefix(8))")
        let right = scratch.appendingPathComponent("right")
        try FileManager.default.copyItem(at: try #require(task.groundtruth), to: right)
        let pass = try await RepoCheck.run(task: task, output: right, scratch: scratch.appendingPathComponent("c1"), sandbox: sandbox, python: Self.python)
        #expect(pass.process && pass.result, "\(id): \(pass.comments)")

        let empty = scratch.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let none = try await RepoCheck.run(task: task, output: empty, scratch: scratch.appendingPathComponent("c2"), sandbox: sandbox, python: Self.python)
        #expect(!none.process && !none.result)

        // The input itself, under each output's name, is readable but not the answer.
        let wrong = scratch.appendingPathComponent("wrong")
        try FileManager.default.createDirectory(at: wrong, withIntermediateDirectories: true)
        let input = try String(contentsOf: task.resolve(task.inputs[0]), encoding: .utf8)
        for name in task.outputs { try (input + "\n").write(to: wrong.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let bad = try await RepoCheck.run(task: task, output: wrong, scratch: scratch.appendingPathComponent("c3"), sandbox: sandbox, python: Self.python)
        #expect(!bad.result, "\(id): the input passed as the answer")
    }

    @Test func verdictsInGitTaskBenchSpellingsAreRead() {
        #expect(RepoCheck.parse(#"{"Process": true, "Result": "True", "TimePoint": "x", "comments": "ok"}"#) == RepoCheck(process: true, result: true, comments: "ok"))
        #expect(RepoCheck.parse("noise\n" + #"{"Process": true, "Results": false, "comments": ""}"#)?.result == false)
        #expect(RepoCheck.parse(#"{"Process": "False", "Result": "False"}"#)?.process == false)
        #expect(RepoCheck.parse("no json here") == nil)
    }

    @Test func aSingleFileOutputIsFoundAsGitTaskBenchDoes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("starling-output-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("output_dir"), withIntermediateDirectories: true)
        try "x".write(to: folder.appendingPathComponent("notes.py"), atomically: true, encoding: .utf8)
        try "x".write(to: folder.appendingPathComponent("output.txt"), atomically: true, encoding: .utf8)
        var task = try #require(try Self.store.task("sqlparse-format"))
        task.test.output = "file"
        #expect(RepoCheck.outputArgument(task: task, output: folder)?.lastPathComponent == "output.txt")
        task.test.output = "folder"
        #expect(RepoCheck.outputArgument(task: task, output: folder) == folder)
    }
}
