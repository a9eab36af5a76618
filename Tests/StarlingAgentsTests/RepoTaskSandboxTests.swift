import Foundation
import Testing
@testable import StarlingAgents
import StarlingBench
import StarlingCore
import StarlingRuntime
import StarlingStore
import StarlingRunFolder
import StarlingTestSupport

/// A repo task's script sees its own inputs and the repository, and nothing of any task's
/// ground truth or test script, laid out as GitTaskBench lays them out: `code_base/`,
/// `groundtruth/<id>/` and `test_scripts/<id>/` side by side in one checkout, the imported task
/// folders beside each other elsewhere.
@Suite("Repo task sandbox")
struct RepoTaskSandboxTests {
    /// The checkout and two imported tasks; returns them with the checkout's folder.
    static func gitTaskBenchLayout() throws -> (checkout: URL, tasks: [RepoTask]) {
        let top = try TemporaryFolder("gtb")
        let checkout = top.file("GitTaskBench")
        try top.write("GitTaskBench/code_base/Shouter/shouter/__init__.py", "def shout(text):\n    return text.upper() + '!'\n")
        var tasks: [RepoTask] = []
        for id in ["Shout_01", "Shout_02"] {
            try top.write("GitTaskBench/groundtruth/\(id)/gt.txt", "ANSWER-OF-\(id)")
            try top.write("GitTaskBench/test_scripts/\(id)/test_script.py", "# TEST-SCRIPT-OF-\(id)\n")
            try top.write("tasks/\(id)/input/words.txt", "INPUT-OF-\(id)")
            try top.write("tasks/\(id)/description.md", "Shout.")
            try top.write("tasks/\(id)/config.yaml", """
                id: \(id)
                type: repo
                repo: {name: shouter, path: \(checkout.path)/code_base/Shouter}
                inputs: [input/words.txt]
                test: {script: \(checkout.path)/test_scripts/\(id)/test_script.py, output: file, groundtruth: \(checkout.path)/groundtruth/\(id)/gt.txt}
                """)
            tasks.append(try RepoTask(folder: top.file("tasks/\(id)")))
        }
        return (checkout, tasks)
    }

    @Test func secretsAreEveryTasksGroundTruthAndTestScriptButNotTheRepository() throws {
        let (checkout, tasks) = try Self.gitTaskBenchLayout()
        let repo = checkout.appendingPathComponent("code_base/Shouter")
        let hidden = Set(tasks[0].secretPaths(visible: [repo, URL(fileURLWithPath: "/usr/bin/python3")]).map(\.path))
        let real = checkout.resolvingSymlinksInPath()
        #expect(hidden.contains(real.appendingPathComponent("groundtruth").path))
        #expect(hidden.contains(real.appendingPathComponent("test_scripts").path))
        #expect(hidden.contains(tasks[0].folder.resolvingSymlinksInPath().path) && hidden.contains(tasks[1].folder.resolvingSymlinksInPath().path))
        #expect(!hidden.contains { repo.resolvingSymlinksInPath().path.hasPrefix($0) }, "the repository must stay readable: \(hidden)")
    }

    @Test func aScriptReadsItsInputsAndTheRepositoryButNoTasksSecrets() async throws {
        let sandbox = try await Sandbox.probing()
        try #require(sandbox.isolation.usesNamespaces, "hidden paths need mount namespaces")
        let (checkout, tasks) = try Self.gitTaskBenchLayout()
        let repo = checkout.appendingPathComponent("code_base/Shouter")
        let targets = ["groundtruth/Shout_01/gt.txt", "groundtruth/Shout_02/gt.txt", "test_scripts/Shout_01/test_script.py",
                       "test_scripts/Shout_02/test_script.py"].map { checkout.appendingPathComponent($0).path }
            + [tasks[1].folder.appendingPathComponent("input/words.txt").path, tasks[0].folder.appendingPathComponent("input/words.txt").path]
        let script = """
            import json, os, shouter
            seen = {}
            for path in \(targets.description):
                try:
                    seen[path] = open(path).read()
                except OSError as error:
                    seen[path] = None
            seen["own input"] = open("input/words.txt").read()
            seen["repository"] = shouter.shout("ok")
            os.makedirs("output", exist_ok=True)
            json.dump(seen, open("output/seen.json", "w"))
            """
        let runFolder = tasks[0].folder.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("run")
        let runner = RepoTaskRunner(task: tasks[0], repoRoot: repo, importRoots: [repo], toolsOn: false, settings: AgentSettings(), budget: Budget(),
                                    client: FixedReplyClient(reply: ""), runFolder: runFolder, sandbox: sandbox, python: agentTestPython(),
                                    progress: ProgressReporter { _ in }, prices: nil)
        try FileManager.default.createDirectory(at: runFolder, withIntermediateDirectories: true)
        let journal = try Journal(path: RunLayout(runFolder).journal)
        _ = try journal.startRun(RunRecord(id: "sandbox", taskID: tasks[0].id, strategy: "repo", configJSON: "{}"))
        let attempt = try await runner.execute(code: script, step: .attempt(1), number: 1, parent: nil, journal: journal)
        #expect(attempt.produced, "\(attempt.error ?? "")")
        let seen = try JSONValue.parse(Data(contentsOf: attempt.folder.appendingPathComponent("output/seen.json")))
        #expect(seen["own input"]?.string == "INPUT-OF-Shout_01")
        #expect(seen["repository"]?.string == "OK!")
        for path in targets {
            #expect(seen[path]?.string == nil, "the script read \(path): \(seen[path]?.string ?? "")")
        }
    }
}
