import Foundation
import StarlingBench
import StarlingCore
import StarlingStore
import StarlingRunFolder

/// A run folder read once for export: its nodes with their outcomes, and its LLM exchanges,
/// each tied to the node its reply produced.
struct RunTrace {
    /// The trajectory id: task, strategy, folder name and the run's UUID (the folder name alone
    /// repeats: every bench cell's folder is `seed-1`).
    var id: String
    var folder: URL
    var taskID: String
    var strategy: String
    var nodes: [JournalNode]
    var calls: [JournalLLMCall]
    var finalScore: Double?
    var ended: Bool
    /// The metric's direction (for comparing cross-validated scores).
    var direction: Direction
    /// Outcome of each node, by node id.
    var outcomes: [Int: Outcome]

    /// What a node came to, for rewards and filters.
    struct Outcome {
        var nodeID: Int
        var stepKey: String
        var status: NodeStatus
        var harnessScore: Double?
        /// Partial credit in [0, 1]: position of the score when graded, else the furthest stage reached.
        var credit: Double
        var stages: [ExecutionStage: Bool]
        var executionSeconds: Double
        var llmSeconds: Double
        var error: String?
        var origin: NodeOrigin
        /// A reply thrown away before running, not the node's own.
        var discarded = false
        /// The node's parent.
        var parentID: Int?
        /// The node's cross-validated score, when the run had folds.
        var crossValidation: CrossValidation?

        var durationSeconds: Double { executionSeconds + llmSeconds }
    }

    /// What a call's reply came to.
    enum Attribution: Equatable {
        /// Its code is the node's: the node's outcome is the reply's.
        case produced(Int)
        /// An earlier reply of the same role in the node's step that was thrown away (an echo,
        /// code that did not parse, an edit that did not apply) and asked again: it ran nothing.
        case discarded(Int)
    }

    /// What each call's reply came to, by call index; calls that produced no node (plans,
    /// retrieval, reviews of a node that ran) are absent.
    var attributions: [Int: Attribution] = [:]

    /// The outcome of a call's reply: its node's, or for a discarded reply a failure with
    /// nothing run (reward 0).
    func outcome(ofCall index: Int) -> Outcome? {
        switch attributions[index] {
        case .produced(let id): return outcomes[id]
        case .discarded(let id):
            guard let node = outcomes[id] else { return nil }
            return Outcome(nodeID: id, stepKey: node.stepKey, status: .failed, harnessScore: nil, credit: 0, stages: [:],
                           executionSeconds: 0, llmSeconds: calls[index].latencySeconds,
                           error: "reply discarded before running (asked again)", origin: node.origin, discarded: true)
        case nil: return nil
        }
    }

    /// Ties each node to the call whose reply holds its code: of the calls in the node's step,
    /// the one whose code shares the most lines with the node's script (the last on a tie).
    /// Earlier calls of the same role in that step were discarded replies.
    static func attribute(nodes: [JournalNode], calls: [JournalLLMCall]) -> [Int: Attribution] {
        var byStep: [String: [Int]] = [:]
        for (index, call) in calls.enumerated() { byStep[call.stepKey, default: []].append(index) }
        var result: [Int: Attribution] = [:]
        for entry in nodes {
            guard let indices = byStep[entry.stepKey] else { continue }
            let codeLines = Set(entry.node.code.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count > 3 })
            var best: (index: Int, overlap: Int)?
            for index in indices {
                guard let reply = calls[index].exchange?.reply else { continue }
                let overlap = reply.split(separator: "\n").reduce(0) { $0 + (codeLines.contains($1.trimmingCharacters(in: .whitespaces)) ? 1 : 0) }
                if overlap > 0, overlap >= (best?.overlap ?? 0) { best = (index, overlap) }
            }
            guard let producer = best?.index else { continue }
            result[producer] = .produced(entry.node.id)
            for index in indices where index < producer && calls[index].role == calls[producer].role && calls[index].exchange != nil {
                result[index] = .discarded(entry.node.id)
            }
        }
        return result
    }

    /// Reads a run folder.
    ///
    /// - Throws: ``TrajectoryExportError`` when the journal cannot be read.
    init(folder: URL, tasks: TaskStore?) throws {
        let run: RunRecord?
        let journal: Journal
        do {
            journal = try Journal(path: RunLayout(folder).journal)
            nodes = try journal.nodes()
            calls = try journal.llmCalls()
            run = try journal.run()
        } catch {
            throw TrajectoryExportError("\(RunLayout(folder).journal.path) cannot be read: \(error)")
        }
        self.folder = folder
        let summary = try? RunLayout.readJSON(RunSummary.self, from: RunLayout(folder).summary)
        taskID = run?.taskID ?? summary?.taskID ?? ""
        strategy = run?.strategy ?? summary?.strategy ?? ""
        finalScore = summary?.finalScore
        ended = run?.runStatus != .running
        let name = folder.lastPathComponent
        id = [taskID, strategy, name].filter { !$0.isEmpty }.joined(separator: "/") + (run?.uuid.map { "/" + $0.prefix(8) } ?? "")
        let positions = Self.positionScorer(taskID: taskID, summary: summary, tasks: tasks)
        direction = positions.direction
        var latency: [String: Double] = [:]
        for call in calls { latency[call.stepKey, default: 0] += call.latencySeconds }
        var outcomes: [Int: Outcome] = [:]
        for entry in nodes {
            let node = entry.node
            let stages = Self.derivedStages(node)
            let credit: Double
            if node.status == .succeeded, let score = node.harnessScore {
                credit = PartialCredit.credit(gradedWith: positions.position(of: score) ?? 0)
            } else {
                let furthest = ExecutionStage.allCases.last { stages[$0] == true }
                credit = furthest.flatMap { PartialCredit.stageCredit[$0] } ?? 0
            }
            outcomes[node.id] = Outcome(nodeID: node.id, stepKey: entry.stepKey, status: node.status, harnessScore: node.harnessScore,
                                        credit: credit, stages: stages, executionSeconds: node.executionSeconds ?? 0,
                                        llmSeconds: latency[entry.stepKey] ?? 0, error: node.error, origin: node.origin, parentID: node.parentID,
                                        crossValidation: try? journal.artifact(CrossValidation.self, forKey: CrossValidation.journalKey(node: node.id)))
        }
        self.outcomes = outcomes
        attributions = Self.attribute(nodes: nodes, calls: calls)
    }

    /// Stages the harness knows for a run node: whether a submission was written and valid.
    static func derivedStages(_ node: Node) -> [ExecutionStage: Bool] {
        switch node.status {
        case .pending:
            return [:]
        case .succeeded:
            return node.harnessScore != nil ? [.submissionWritten: true, .submissionValid: true] : [:]
        case .failed:
            let error = node.error ?? ""
            if error.hasPrefix("The submission is invalid") { return [.submissionWritten: true, .submissionValid: false] }
            if error.contains("did not write submission") { return [.submissionWritten: false, .submissionValid: false] }
            return [.submissionValid: false]
        }
    }

    static func positionScorer(taskID: String, summary: RunSummary?, tasks: TaskStore?) -> PositionScorer {
        if let tasks, !taskID.isEmpty, let task = try? tasks.task(taskID), let scorer = try? PositionScorer(task: task) {
            return scorer
        }
        let direction = summary.flatMap { Direction(rawValue: $0.direction) } ?? .higher
        if let baseline = summary?.baseline, let reference = summary?.reference, baseline != reference {
            return PositionScorer(basis: .calibration(baseline: baseline, reference: reference), direction: direction)
        }
        return PositionScorer(basis: .none, direction: direction)
    }
}
