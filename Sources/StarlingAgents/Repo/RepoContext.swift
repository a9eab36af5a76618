import Foundation
import StarlingRepo
import StarlingLLM
import StarlingStore
import StarlingRunFolder

/// A repository a prediction run may read and import (`starling run TASK --repo DIR`): its
/// brief and what exploring it found go into every prompt's task block, and its folder goes on
/// the scripts' `sys.path`, mounted read-only.
package struct RepoContext: Sendable, Hashable, Codable {
    /// The repository root.
    package var root: URL
    /// The folders on `sys.path` (the root, or its `src/`).
    package var importRoots: [URL]
    /// The brief, cut to the run's budget.
    package var brief: String
    /// The plan and the tool answers from exploring it.
    package var findings: String
    /// Tool calls exploring made.
    package var toolCalls: Int

    /// The block added to the task context.
    package var promptText: String {
        let names = importRoots.map { root in
            ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter {
                FileManager.default.fileExists(atPath: root.appendingPathComponent($0).appendingPathComponent("__init__.py").path)
            }.sorted()
        }.flatMap { $0 }
        // Starts with a blank line: the task block without a repository stays byte for byte as it was.
        return "\n\n" + """
            # A code repository you may use
            Its packages are importable (already on sys.path, read-only): \(names.isEmpty ? "its modules" : names.map { "`import \($0)`" }.joined(separator: ", ")). \
            Call what helps; keep the required submission format.
            \(brief)

            ## What reading it found
            \(findings)
            """
    }

    /// The folders that go on `sys.path`: `src/` when the repository uses that layout, else the root.
    package static func importRoots(of root: URL) -> [URL] {
        let src = root.appendingPathComponent("src")
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: src.path, isDirectory: &isFolder), isFolder.boolValue { return [src, root] }
        return [root]
    }

    /// Reads `root` for a prediction task: analysis, brief, and (once per run: the result is kept
    /// in the journal) an exploration aimed at the task.
    ///
    /// - Parameters:
    ///   - root: The repository.
    ///   - task: The task's description.
    ///   - client: The coder's client (journaled).
    ///   - journal: The run journal (tool calls are recorded; the context is memoised).
    ///   - turns: Tool calls at most.
    ///   - local: Whether the model is a small local one (shorter brief and answers).
    ///   - deadline: When reading must stop (a share of the run's time budget).
    static func make(root: URL, task: String, client: any LLMClient, journal: Journal, turns: Int, local: Bool, deadline: Date? = nil) async throws -> RepoContext {
        if let recorded = try? journal.artifact(RepoContext.self, forKey: "repo-context"), recorded.root == root { return recorded }
        let analysis = try await RepoAnalysis.analyze(root)
        let brief = RepoBrief(analysis, budget: local ? 1200 : 4000)
        try? journal.record(EventRecord(.stage, "repository \(root.lastPathComponent): \(analysis.sizeLine); brief ≈\(brief.tokens) tokens"))
        var explorer = RepoExplorer(toolbox: RepoToolbox(analysis, outputLimit: local ? 2000 : 5000), client: client, prompts: try PromptLibrary(),
                                    journal: journal, maxTurns: turns, answerLimit: local ? 1500 : 4000)
        explorer.deadline = deadline
        let goal = String(task.prefix(3000)) + "\n\nFind what in this repository helps solve this machine-learning task (loading the data, features, models, metrics), and how to call it."
        let findings = try await CurrentStep.$key.withValue(.explore) { try await explorer.explore(task: goal, brief: brief.text) }
        let context = RepoContext(root: root, importRoots: importRoots(of: root), brief: brief.text,
                                  findings: findings.text(characters: local ? 2500 : 8000), toolCalls: findings.turns.count)
        try? journal.setArtifact(context, forKey: "repo-context")
        return context
    }
}
