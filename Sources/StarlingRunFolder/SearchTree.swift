import Foundation
public import StarlingCore
public import StarlingStore

/// The journal's node tree as JSON, for reports and other tools (`tree.json` in the run folder).
public struct SearchTree: Sendable, Codable {
    /// One node without its code.
    public struct Entry: Sendable, Codable {
        public var id: Int
        public var parent: Int?
        public var children: [Int]
        public var step: String
        public var stage: String
        public var status: String
        public var score: Double?
        public var selfReportedScore: Double?
        public var plan: String
        public var error: String?
        public var seconds: Double?
        public var createdAt: Date
    }

    /// The task's metric.
    public var metric: String
    /// `higher` or `lower`.
    public var direction: String
    /// The best solution's id.
    public var best: Int?
    /// Every node, by id.
    public var nodes: [Entry]

    /// Builds the tree from a journal.
    ///
    /// - Parameters:
    ///   - journal: The run journal.
    ///   - spec: The task.
    /// - Throws: ``JournalError`` when the journal cannot be read.
    public init(journal: Journal, spec: TaskSpec) throws {
        try self.init(journal: journal, metric: spec.metric.rawValue, direction: spec.direction)
    }

    /// Builds the tree from a journal, for runs without a prediction task (repo tasks: `pass`).
    ///
    /// - Throws: ``JournalError`` when the journal cannot be read.
    public init(journal: Journal, metric: String, direction: Direction) throws {
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
