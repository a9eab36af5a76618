import Foundation
public import StarlingCore

/// One agent run as the journal keeps it.
public struct RunRecord: Sendable, Hashable, Codable {
    /// The run's identifier (the run folder's name).
    public var id: String
    /// The task it works on.
    public var taskID: String
    /// The search strategy, e.g. `"mle-star"`.
    public var strategy: String
    /// The run's settings as JSON, so `resume` continues with the same ones.
    public var configJSON: String
    /// `running`, `finished` or `failed`.
    public var status: String
    /// When it started.
    public var startedAt: Date
    /// When it ended, if it did.
    public var finishedAt: Date?
    /// Seconds spent in earlier sessions of this run (before the latest resume).
    public var priorSeconds: Double

    /// Creates a run record.
    public init(id: String, taskID: String, strategy: String, configJSON: String, status: String = "running",
                startedAt: Date = Date(), finishedAt: Date? = nil, priorSeconds: Double = 0) {
        self.id = id
        self.taskID = taskID
        self.strategy = strategy
        self.configJSON = configJSON
        self.status = status
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.priorSeconds = priorSeconds
    }
}

/// A node with the key of the step that made it. The key makes steps idempotent: a resumed run
/// asks for the node of a step before doing the step again.
public struct JournalNode: Sendable, Hashable, Codable {
    /// The step that produced the node, e.g. `"candidate/2"` or `"refine/1/3"`.
    public var stepKey: String
    /// The node.
    public var node: Node

    /// Creates a journal node.
    public init(stepKey: String, node: Node) {
        self.stepKey = stepKey
        self.node = node
    }
}

/// One LLM call, for cost accounting and reports. Never holds keys.
public struct JournalLLMCall: Sendable, Hashable, Codable {
    /// `coder`, `planner` or `reviewer`.
    public var role: String
    /// `provider:model`.
    public var model: String
    /// The step it served.
    public var stepKey: String
    /// Prompt tokens.
    public var promptTokens: Int
    /// Completion tokens.
    public var completionTokens: Int
    /// Cost in US dollars from the price table.
    public var costUSD: Double
    /// Seconds from request to reply.
    public var latencySeconds: Double
    /// Whether the reply came from the cache.
    public var cacheHit: Bool
    /// When it was made.
    public var createdAt: Date

    /// Creates a call record.
    public init(role: String, model: String, stepKey: String, promptTokens: Int, completionTokens: Int,
                costUSD: Double, latencySeconds: Double, cacheHit: Bool, createdAt: Date = Date()) {
        self.role = role
        self.model = model
        self.stepKey = stepKey
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.costUSD = costUSD
        self.latencySeconds = latencySeconds
        self.cacheHit = cacheHit
        self.createdAt = createdAt
    }
}

/// Something that happened during a run, for the progress log and reports.
public struct EventRecord: Sendable, Hashable, Codable {
    /// When.
    public var at: Date
    /// A short category: `stage`, `node`, `warning`, `leak`, `budget`, ...
    public var kind: String
    /// A sentence for people.
    public var message: String

    /// Creates an event.
    public init(at: Date = Date(), kind: String, message: String) {
        self.at = at
        self.kind = kind
        self.message = message
    }
}

/// Token, cost and call totals over a run.
public struct LLMTotals: Sendable, Hashable, Codable {
    /// Number of calls.
    public var calls: Int = 0
    /// Calls answered from the cache.
    public var cacheHits: Int = 0
    /// Prompt tokens.
    public var promptTokens: Int = 0
    /// Completion tokens.
    public var completionTokens: Int = 0
    /// US dollars.
    public var costUSD: Double = 0
    /// Seconds waiting for replies.
    public var latencySeconds: Double = 0

    /// Creates empty totals.
    public init() {}
}
