import Foundation
import Testing
@testable import StarlingAgents
import StarlingBench
import StarlingCore
import StarlingLLM
import StarlingRuntime
import StarlingStore
import StarlingRunFolder
import StarlingRepo

/// The `repo` strategy's control flow on a tiny repo task (a local repository, a real test
/// script, real Python in the sandbox) with a scripted model: exploration turns become journal
/// events and reach the next prompt, a failed script is fixed with the repository's definitions
/// in the prompt, and the task's own test script judges the final output.
@Suite("Repo task runner")
struct RepoTaskRunnerTests {
    static func makeTask() throws -> RepoTask {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("starling-repo-task-\(UUID().uuidString.prefix(8))")
        let files = [
            "config.yaml": """
            id: shout
            type: repo
            title: Shout the words
            repo:
              name: shouter
              path: repo
            inputs: [input/words.txt]
            outputs: [shout.txt]
            """,
            "description.md": "Write `output/shout.txt`: the text of `input/words.txt` shouted with the shouter library.",
            "repo/shouter/__init__.py": "def shout(text: str) -> str:\n    \"\"\"Upper-case text and add an exclamation mark.\"\"\"\n    return text.strip().upper() + \"!\"\n",
            "input/words.txt": "hello\n",
            "groundtruth/shout.txt": "HELLO!",
            "test_script.py": """
            import argparse, json, pathlib
            p = argparse.ArgumentParser()
            p.add_argument("--output"); p.add_argument("--groundtruth"); p.add_argument("--result")
            a = p.parse_args()
            out = pathlib.Path(a.output) / "shout.txt"
            want = (pathlib.Path(a.groundtruth) / "shout.txt").read_text()
            got = out.read_text() if out.exists() else None
            verdict = {"Process": got is not None and got.strip() != "", "Result": "True" if got is not None and got.strip() == want else "False", "comments": repr(got)}
            pathlib.Path(a.result).write_text(json.dumps(verdict) + "\\n")
            print(json.dumps(verdict))
            """,
        ]
        for (path, text) in files {
            let file = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        return try RepoTask(folder: root)
    }

    static let broken = """
    ```python
    import shouter
    text = open("input/words.txt").read()
    open("output/shout.txt", "w").write(shouter.yell(text))
    ```
    """
    static let fixed = """
    ```python
    import os, shouter
    os.makedirs("output", exist_ok=True)
    text = open("input/words.txt").read()
    open("output/shout.txt", "w").write(shouter.shout(text))
    print("wrote output/shout.txt")
    ```
    """

    func runner(_ task: RepoTask, llm: ScriptedLLM, toolsOn: Bool) async throws -> RepoTaskRunner {
        var settings = AgentSettings()
        settings.repoTurns = 3
        settings.repoAttempts = 3
        settings.scriptTimeoutSeconds = 60
        let root = task.folder.appendingPathComponent("repo")
        return RepoTaskRunner(task: task, repoRoot: root, importRoots: [root], toolsOn: toolsOn, settings: settings, budget: Budget(),
                              client: llm, runFolder: task.folder.deletingLastPathComponent().appendingPathComponent("run-\(UUID().uuidString.prefix(6))"),
                              sandbox: try await Sandbox.probing(), python: agentTestPython(), progress: ProgressReporter { _ in }, prices: nil)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: StarlingHome.resolve().solutionPython.path), "needs the solution environment"))
    func exploresFixesAndIsJudgedByTheTestScript() async throws {
        let task = try Self.makeTask()
        let llm = ScriptedLLM([
            .init(step: "explore", replies: [
                #"{"thought": "see the function", "tool": "view_function", "target": "shout", "notes": ""}"#,
                #"{"thought": "enough", "tool": "done", "target": "", "notes": "call shouter.shout(text)"}"#,
            ]),
            .init(step: "attempt/1", replies: [Self.broken]),
            .init(step: "attempt/2", replies: [Self.fixed]),
        ])
        let runner = try await runner(task, llm: llm, toolsOn: true)
        let summary = try await runner.run(configJSON: "{}")
        let repo = try #require(summary.repo)
        #expect(repo.process && repo.result)
        #expect(repo.toolCalls == 1 && repo.attempts == 2)
        #expect(summary.finalScore == 1 && summary.validSubmission)
        // The second exploration turn saw the first tool's answer.
        #expect(llm.prompts(step: "explore")[1].contains("return text.strip().upper()"))
        // The fix was asked with the error and the module's real contents.
        let fix = try #require(llm.prompts(step: "attempt/2").first)
        #expect(fix.contains("has no attribute 'yell'"))
        #expect(fix.contains("def shout(text: str) -> str"))
        let journal = try Journal(path: RunLayout(runner.runFolder).journal)
        let tools = try journal.events().filter { $0.eventKind == .tool }
        #expect(tools.count == 1 && tools[0].message.contains("\"tool\":\"view_function\""))
        #expect(FileManager.default.fileExists(atPath: RunLayout(runner.runFolder).finalFolder.appendingPathComponent("output/shout.txt").path))
        let grade = try String(contentsOf: RunLayout(runner.runFolder).finalFolder.appendingPathComponent("check.json"), encoding: .utf8)
        #expect(grade.contains("\"result\" : true"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: StarlingHome.resolve().solutionPython.path), "needs the solution environment"))
    func withToolsOffNothingIsExploredAndAWrongOutputFails() async throws {
        let task = try Self.makeTask()
        let wrong = "```python\nimport os\nos.makedirs('output', exist_ok=True)\nopen('output/shout.txt', 'w').write('hello')\n```"
        let llm = ScriptedLLM([.init(step: "attempt/*", replies: [wrong])])
        let summary = try await runner(task, llm: llm, toolsOn: false).run(configJSON: "{}")
        #expect(llm.count(step: "explore") == 0)
        #expect(summary.repo?.process == true)
        #expect(summary.repo?.result == false)
        #expect(summary.repo?.toolCalls == 0 && summary.repo?.toolsOn == false)
        #expect(summary.finalScore == 0)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: StarlingHome.resolve().solutionPython.path), "needs the solution environment"))
    func theScriptCannotReadTheGroundTruth() async throws {
        let task = try Self.makeTask()
        let peek = "```python\nimport os\nos.makedirs('output', exist_ok=True)\nopen('output/shout.txt', 'w').write(open('\(task.folder.path)/groundtruth/shout.txt').read())\n```"
        let llm = ScriptedLLM([.init(step: "attempt/*", replies: [peek])])
        let summary = try await runner(task, llm: llm, toolsOn: false).run(configJSON: "{}")
        #expect(summary.repo?.result == false)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: StarlingHome.resolve().solutionPython.path), "needs the solution environment"))
    func anEchoedFixIsNotRunAndAMissingModuleIsExplained() async throws {
        let task = try Self.makeTask()
        let needsClick = "```python\nimport click, shouter\nopen('output/shout.txt', 'w').write(shouter.shout('x'))\n```"
        let llm = ScriptedLLM([
            .init(step: "attempt/1", replies: [needsClick]),
            .init(step: "attempt/2", replies: [needsClick]),
            .init(step: "attempt/3", replies: [Self.fixed]),
        ])
        let summary = try await runner(task, llm: llm, toolsOn: false).run(configJSON: "{}")
        #expect(summary.repo?.attempts == 2)
        #expect(summary.repo?.process == true)
        let second = try #require(llm.prompts(step: "attempt/2").first)
        #expect(second.contains("The module `click` is not installed"))
        let third = try #require(llm.prompts(step: "attempt/3").first)
        #expect(third.contains("Your last reply repeated this script unchanged"))
        #expect(llm.temperatures.last == 0.5)
    }

    @Test func readingStopsAtItsDeadline() async throws {
        let task = try Self.makeTask()
        let calls = ["shouter", "shout", "text", "upper"].map { #"{"thought": "look", "tool": "search_code", "target": ""# + $0 + #"", "notes": ""}"# }
        let llm = ScriptedLLM([.init(step: "**", replies: calls, delaySeconds: 0.5)])
        let analysis = try await RepoAnalysis.analyze(task.folder.appendingPathComponent("repo"))
        var explorer = RepoExplorer(toolbox: .init(analysis), client: llm, prompts: try PromptLibrary(), journal: nil, maxTurns: 10)
        explorer.deadline = Date().addingTimeInterval(0.8)
        let findings = try await explorer.explore(task: "t", brief: "b")
        #expect(findings.stopReason == "its share of the time budget was used")
        // Four turns would take 2 s; the deadline leaves time for one or two (one on a loaded machine).
        #expect((1...2).contains(llm.prompts.count), "\(llm.prompts.count) turns")
    }

    @Test func aRepeatedToolCallEndsTheExploration() async throws {
        let task = try Self.makeTask()
        let call = #"{"thought": "look", "tool": "search_code", "target": "def shout", "notes": ""}"#
        let llm = ScriptedLLM([.init(step: "**", replies: [call, call, call])])
        let analysis = try await RepoAnalysis.analyze(task.folder.appendingPathComponent("repo"))
        let explorer = RepoExplorer(toolbox: .init(analysis), client: llm, prompts: try PromptLibrary(), journal: nil, maxTurns: 5)
        let findings = try await explorer.explore(task: "t", brief: "b")
        #expect(findings.turns.count == 2)
        #expect(findings.stopReason == "repeated a call")
        #expect(llm.prompts.count == 2)
    }
}

@Suite("Exploration targets as small models write them")
struct RepoExplorerTargetTests {
    @Test func labelsAndQuotesCopiedFromThePromptAreDropped() {
        #expect(RepoExplorer.cleanTarget("path:input/field-guide.md:1-40", tool: "view_file") == "input/field-guide.md:1-40")
        #expect(RepoExplorer.cleanTarget("view_file:path:src/a.py", tool: "view_file") == "src/a.py")
        #expect(RepoExplorer.cleanTarget("`markdown.core.Markdown`", tool: "view_class") == "markdown.core.Markdown")
        #expect(RepoExplorer.cleanTarget("name: convert", tool: "view_function") == "convert")
        #expect(RepoExplorer.cleanTarget("view_file(faker/providers/person/Provider)", tool: "view_file") == "faker/providers/person/Provider")
        let arguments = RepoExplorer.arguments(tool: "view_file", target: RepoExplorer.cleanTarget("path:input/a.md:1-40", tool: "view_file"))
        #expect(arguments["path"] == .string("input/a.md") && arguments["start_line"] == .number(1) && arguments["end_line"] == .number(40))
    }
}
