import Foundation
import StarlingCore
import StarlingStore

/// The journal's node tree as JSON, for reports and other tools (`tree.json` in the run folder).
package struct SearchTree: Sendable, Codable {
    /// One node without its code.
    package struct Entry: Sendable, Codable {
        package var id: Int
        package var parent: Int?
        package var children: [Int]
        package var step: String
        package var stage: String
        package var status: String
        package var score: Double?
        package var selfReportedScore: Double?
        package var plan: String
        package var error: String?
        package var seconds: Double?
        package var createdAt: Date
    }

    /// The task's metric.
    package var metric: String
    /// `higher` or `lower`.
    package var direction: String
    /// The best solution's id.
    package var best: Int?
    /// Every node, by id.
    package var nodes: [Entry]

    /// Builds the tree from a journal.
    ///
    /// - Parameters:
    ///   - journal: The run journal.
    ///   - spec: The task.
    /// - Throws: ``JournalError`` when the journal cannot be read.
    package init(journal: Journal, spec: TaskSpec) throws {
        try self.init(journal: journal, metric: spec.metric.rawValue, direction: spec.direction)
    }

    /// Builds the tree from a journal, for runs without a prediction task (repo tasks: `pass`).
    ///
    /// - Throws: ``JournalError`` when the journal cannot be read.
    package init(journal: Journal, metric: String, direction: Direction) throws {
        let entries = try journal.nodes()
        var children: [Int: [Int]] = [:]
        for entry in entries { if let parent = entry.node.parentID { children[parent, default: []].append(entry.node.id) } }
        nodes = entries.map { entry in
            let node = entry.node
            return Entry(id: node.id, parent: node.parentID, children: children[node.id] ?? [], step: entry.stepKey,
                         stage: node.stage.rawValue, status: node.status.rawValue, score: node.harnessScore,
                         selfReportedScore: node.selfReportedScore, plan: node.plan, error: node.error.map { String($0.prefix(500)) },
                         seconds: node.executionSeconds, createdAt: node.createdAt)
        }
        self.metric = metric
        self.direction = direction.rawValue
        let solutions = nodes.filter { $0.status == NodeStatus.succeeded.rawValue && $0.score != nil && $0.stage != NodeStage.ablation.rawValue && $0.stage != NodeStage.final.rawValue }
        best = solutions.reduce(nil as Entry?) { best, node in
            guard let best else { return node }
            return direction.isBetter(node.score!, than: best.score!) ? node : best
        }?.id
    }

}
