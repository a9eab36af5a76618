import Foundation

/// Where in a strategy's pipeline a node was made.
public enum NodeStage: String, Sendable, Hashable, Codable, CaseIterable {
    case draft, debug, improve, candidate, merge, ablation, refine, ensemble, final
}

/// Whether a node's script worked.
public enum NodeStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Not run yet.
    case pending
    /// Ran and wrote a valid submission that the harness graded.
    case succeeded
    /// Crashed, timed out, or wrote no valid submission.
    case failed
}

/// Who wrote a node's script: the thing a run's numbers are judged by.
public enum NodeOrigin: String, Sendable, Hashable, Codable, CaseIterable {
    /// Written or edited by the LLM (mechanical pre-flight repairs included).
    case model
    /// A model card's example script, unchanged: no LLM help.
    case example
    /// A deterministic repair of a failed parent (an import or attribute moved to where the
    /// installed library defines it), made with no LLM call.
    case repair
    /// A weighted blend of other nodes' scripts, chosen on their out-of-fold predictions with
    /// no LLM call (stacking).
    case stack
    /// Another node's script with other model settings, tried by the tuning action with no LLM call.
    case tuning
    /// Another node's predictions with a decision rule fitted to the metric on its out-of-fold
    /// predictions (a calibration for log loss), with no LLM call.
    case decision
}

/// One script in a search: the code, how it ran and how the harness scored it.
public struct Node: Sendable, Hashable, Codable, Identifiable {
    /// Sequence number within the run, starting at 1.
    public var id: Int
    /// The node this one was derived from.
    public var parentID: Int?
    /// The pipeline stage that made it.
    public var stage: NodeStage
    /// What the LLM meant to do, in its words.
    public var plan: String
    /// The full Python script.
    public var code: String
    /// Outcome of running the script.
    public var status: NodeStatus
    /// Score from grading the hidden dev rows; the only score search decisions use.
    public var harnessScore: Double?
    /// The validation score the script printed about itself; recorded, never trusted alone.
    public var selfReportedScore: Double?
    /// Short explanation of a failure, for the debug step and for reports.
    public var error: String?
    /// Seconds the script ran.
    public var executionSeconds: Double?
    /// When the node was created.
    public var createdAt: Date
    /// Who wrote the script.
    public var origin: NodeOrigin

    /// Creates a node.
    public init(
        id: Int,
        parentID: Int? = nil,
        stage: NodeStage,
        plan: String = "",
        code: String,
        status: NodeStatus = .pending,
        harnessScore: Double? = nil,
        selfReportedScore: Double? = nil,
        error: String? = nil,
        executionSeconds: Double? = nil,
        createdAt: Date = Date(),
        origin: NodeOrigin = .model
    ) {
        self.id = id
        self.parentID = parentID
        self.stage = stage
        self.plan = plan
        self.code = code
        self.status = status
        self.harnessScore = harnessScore
        self.selfReportedScore = selfReportedScore
        self.error = error
        self.executionSeconds = executionSeconds
        self.createdAt = createdAt
        self.origin = origin
    }

    enum CodingKeys: String, CodingKey {
        case id, parentID, stage, plan, code, status, harnessScore, selfReportedScore, error, executionSeconds, createdAt, origin
    }

    /// Decodes a node; files written before nodes had an origin read as ``NodeOrigin/model``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int.self, forKey: .id)
        parentID = try c.decodeIfPresent(Int.self, forKey: .parentID)
        stage = try c.decode(NodeStage.self, forKey: .stage)
        plan = try c.decode(String.self, forKey: .plan)
        code = try c.decode(String.self, forKey: .code)
        status = try c.decode(NodeStatus.self, forKey: .status)
        harnessScore = try c.decodeIfPresent(Double.self, forKey: .harnessScore)
        selfReportedScore = try c.decodeIfPresent(Double.self, forKey: .selfReportedScore)
        error = try c.decodeIfPresent(String.self, forKey: .error)
        executionSeconds = try c.decodeIfPresent(Double.self, forKey: .executionSeconds)
        createdAt = try c.decode(Date.self, forKey: .createdAt)
        origin = try c.decodeIfPresent(NodeOrigin.self, forKey: .origin) ?? .model
    }
}
