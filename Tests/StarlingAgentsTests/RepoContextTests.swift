import Foundation
import Testing
@testable import StarlingAgents
import StarlingCore
import StarlingRuntime
import StarlingStore
import StarlingRunFolder

/// `starling run TASK --repo DIR` on the toy task with a scripted model: the repository is read
/// once with the tools (journaled, memoised), its brief and findings reach the task block, and
/// scripts can import it.
@Suite("Prediction runs with a repository")
struct RepoContextTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: StarlingHome.resolve().solutionPython.path), "needs the solution environment"))
    func theRepositoryIsReadOnceShownInPromptsAndImportable() async throws {
        let root = try agentScratch()
        let repo = root.appendingPathComponent("library")
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("strengthlib"), withIntermediateDirectories: true)
        try "\"\"\"Model strengths.\"\"\"\nSTRENGTH = 0.8\n\ndef best_strength() -> float:\n    \"\"\"The best known strength.\"\"\"\n    return STRENGTH\n"
            .write(to: repo.appendingPathComponent("strengthlib/__init__.py"), atomically: true, encoding: .utf8)
        let llm = ScriptedLLM([
            .init(step: "explore", replies: [
                #"{"thought": "find it", "tool": "search_code", "target": "best_strength", "notes": ""}"#,
                #"{"thought": "ok", "tool": "done", "target": "", "notes": "use strengthlib.best_strength()"}"#,
            ], delaySeconds: 0.6),
        ])
        var runner = try await toyRunner(llm: llm, cards: [], settings: AgentSettings(), root: root)
        runner.repoFolder = repo
        let context = try await runner.makeContext()
        #expect(context.taskContext().contains("# A code repository you may use"))
        #expect(context.taskContext().contains("use strengthlib.best_strength()"))
        #expect(context.taskContext().contains("`import strengthlib`"))
        #expect(try context.journal.events().filter { $0.eventKind == .tool }.count == 1)
        // The reading (two replies of 0.6 s) counts against the run's time budget.
        #expect(context.elapsedSeconds >= 1.2)

        let code = """
        import os, strengthlib
        os.makedirs("submission", exist_ok=True)
        open("submission/submission.csv", "w").write("id,y\\n1," + str(strengthlib.best_strength()) + "\\n")
        """
        let outcome = try await context.harness.run(code: code, in: root.appendingPathComponent("node"))
        #expect(outcome.error == nil)
        #expect(outcome.score == 0.8)

        // A second session (resume) reuses the reading: no new exploration calls.
        let again = try await runner.makeContext(journal: context.journal)
        #expect(again.taskContext() == context.taskContext())
        #expect(llm.count(step: "explore") == 2)
    }
}
