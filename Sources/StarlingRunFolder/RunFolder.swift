import Foundation
import StarlingBench
import StarlingCore
import StarlingStore

/// Everything a run folder records, read once for the report: the journal (nodes, LLM calls,
/// events, artifacts) and, when the run got that far, `summary.json`, `tree.json`,
/// `final/grade.json` and `final/solution.py`. Missing files leave their fields empty, so an
/// interrupted run still gets a report.
package struct RunFolder: Sendable {
    /// An artifact the strategy stored as text under a step key.
    package struct Note: Sendable, Hashable {
        /// The artifact key, e.g. `b1/refine/2/ablation-summary`.
        package var key: String
        /// The text.
        package var text: String
        /// For a refinement block: the plan for it.
        package var plan: String?
    }

    /// The folder.
    package var folder: URL
    /// Where its files are.
    package var layout: RunLayout { RunLayout(folder) }
    /// The run record, when the journal has one.
    package var run: RunRecord?
    /// Every node in id order.
    package var nodes: [JournalNode]
    /// Every LLM call in order.
    package var calls: [JournalLLMCall]
    /// Every event in order.
    package var events: [EventRecord]
    /// Characters of the LLM exchanges' messages as sent, and as the journal stores them.
    package var exchangeStorage: (sentCharacters: Int, storedCharacters: Int)?
    /// Ablation summaries, in the order they were written.
    package var ablationSummaries: [Note]
    /// Code blocks (or functions) chosen for refinement, with their plans.
    package var refinementBlocks: [Note]
    /// `summary.json`, when the run finished.
    package var summary: RunSummary?
    /// `tree.json`, when the run finished.
    package var tree: SearchTree?
    /// `final/grade.json`, when a final submission was graded.
    package var grade: GradeReport?
    /// `final/solution.py`, when a final submission was written.
    package var finalCode: String?
    /// `run.json`, when the run was started by `starling run` (peers write none).
    package var configuration: RunConfiguration?
    /// Model per role from `run.json`.
    package var models: [String: String] { configuration?.models ?? [:] }
    /// The task's metric name, when known.
    package var metric: String?
    /// Which way the metric improves.
    package var direction: Direction
    /// The task's calibrated baseline and reference scores, when known.
    package var baseline: Double?, reference: Double?

    /// Reads a run folder.
    ///
    /// - Parameters:
    ///   - folder: The run folder (it must hold `journal.sqlite`).
    ///   - tasks: Where to look up the task's direction and scores when the run never wrote
    ///     `summary.json` or `tree.json`; `nil` skips the look-up.
    /// - Throws: ``RunFolderError`` when the folder has no journal or a file is unreadable.
    package init(folder: URL, tasks: TaskStore? = nil) throws {
        self.folder = folder
        let layout = RunLayout(folder)
        let journalFile = layout.journal
        guard layout.holdsRun else {
            throw RunFolderError("\(folder.path) has no \(RunLayout.Name.journal): it is not a Starling run folder (or the run never started)")
        }
        let journal: Journal
        do { journal = try Journal(path: journalFile) } catch { throw RunFolderError("\(error)") }
        do {
            run = try journal.run()
            nodes = try journal.nodes()
            calls = try journal.llmCalls()
            events = try journal.events()
            exchangeStorage = try? journal.exchangeStorage()
            let keys = try journal.artifactKeys(prefix: "")
            ablationSummaries = try keys.filter { StepKey($0).parts.last == "ablation-summary" }.compactMap { key in
                try journal.artifact(String.self, forKey: key).map { Note(key: key, text: $0) }
            }
            refinementBlocks = keys.compactMap { key in
                let step = StepKey(key)
                if step.parts.last == "block", let block = try? journal.artifact(BlockPlan.self, forKey: key) {
                    return Note(key: key, text: block.code_block, plan: block.plan)
                }
                if step.parts.last == "function", let choice = try? journal.artifact(FunctionPlan.self, forKey: key) {
                    return Note(key: key, text: "function `\(choice.function)`", plan: choice.plan)
                }
                return nil
            }
        } catch {
            throw RunFolderError("cannot read \(journalFile.path): \(error)")
        }

        summary = try RunLayout.readJSON(RunSummary.self, from: layout.summary)
        tree = try RunLayout.readJSON(SearchTree.self, from: layout.tree)
        grade = try RunLayout.readJSON(GradeReport.self, from: layout.finalGrade)
        finalCode = try? String(contentsOf: layout.finalSolution, encoding: .utf8)
        // A report shows what it can: an unreadable run.json costs the models line, not the report.
        configuration = try? RunLayout.readJSON(RunConfiguration.self, from: layout.configuration)

        metric = summary?.metric.nonEmpty ?? tree?.metric
        direction = (summary?.direction.nonEmpty ?? tree?.direction).flatMap(Direction.init(rawValue:)) ?? .higher
        baseline = summary?.baseline
        reference = summary?.reference
        if summary == nil, let taskID = run?.taskID, let task = try? tasks?.task(taskID) {
            metric = metric ?? task.spec.metric.rawValue
            direction = task.spec.direction
            baseline = task.spec.baseline?.value
            reference = task.spec.reference?.value
        }
    }

    // MARK: Derived

    /// Nodes whose script ran and got a harness score: the search's real solutions.
    package var scoredNodes: [Node] {
        nodes.map(\.node).filter { $0.status == .succeeded && $0.harnessScore != nil }
    }

    /// The node the final submission came from, else the best scored node.
    package var bestNodeID: Int? {
        if let id = summary?.bestNodeID ?? tree?.best { return id }
        return scoredNodes.filter { $0.stage != .ablation && $0.stage != .final }
            .reduce(nil as Node?) { best, node in
                guard let best else { return node }
                return direction.isBetter(node.harnessScore!, than: best.harnessScore!) ? node : best
            }?.id
    }

    /// The first script that ran and was scored (not an ablation study).
    package var firstWorkingNode: Node? {
        scoredNodes.first { $0.stage != .ablation && $0.stage != .final }
    }

    /// The final script: `final/solution.py`, else the best node's code.
    package var finalScript: (code: String, label: String)? {
        if let finalCode { return (finalCode, "final/solution.py") }
        guard let id = bestNodeID, let node = nodes.first(where: { $0.node.id == id }) else { return nil }
        return (node.node.code, "node \(id) (best; no final/solution.py)")
    }

    /// Leak flags from the summary and `leak-warning` events, without repeats.
    package var leakFlags: [String] {
        var seen = Set<String>()
        let all = (summary?.leakFlags ?? []) + events.filter { $0.eventKind == .leakWarning }.map(\.message)
        return all.filter { seen.insert($0).inserted }
    }

    /// Seconds from the start to the last thing the journal recorded (for a run without a
    /// summary): the last node's end, call or event. For a resumed run this includes the pause.
    package var recordedSeconds: Double? {
        guard let start = startedAt else { return nil }
        let ends = nodes.map { $0.node.createdAt.addingTimeInterval($0.node.executionSeconds ?? 0) }
            + calls.map(\.createdAt) + events.map(\.at)
        guard let last = ends.max() else { return nil }
        return max(0, last.timeIntervalSince(start))
    }

    /// When the run started: the run record, else the first node.
    package var startedAt: Date? {
        run?.startedAt ?? nodes.map(\.node.createdAt).min()
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
