import StarlingCore

/// What an agent sees after an action: MLE-Dojo's observation fields plus `content`, the
/// action's structured result. Missing scores are encoded as `null`, never left out.
package struct Observation: Sendable, Hashable, Encodable {
    /// Whether the action did what it was asked (a script that crashed is `FAILED`).
    package enum Status: String, Sendable, Hashable, Codable {
        /// The action did what it was asked.
        case success = "SUCCESS"
        /// It did not (a script crashed or wrote no valid submission, nothing was graded).
        case failed = "FAILED"
    }

    /// Whether the action worked.
    package var actionStatus: Status
    /// Text for the agent: the information asked for, or how the script ran and why it failed.
    package var feedback: String
    /// The action's result as data (the info asked for, the history, stages and scores).
    package var content: JSONValue
    /// This step's dev score in the metric's units (graded executions only).
    package var currentRawScore: Double?
    /// This step's position score.
    package var currentPositionScore: Double?
    /// The episode's best dev score so far, in the task's direction.
    package var bestRawScore: Double?
    /// The position score of that best dev score.
    package var bestPositionScore: Double?

    /// Creates an observation.
    package init(
        actionStatus: Status, feedback: String, content: JSONValue = .object([:]), currentRawScore: Double? = nil,
        currentPositionScore: Double? = nil, bestRawScore: Double? = nil, bestPositionScore: Double? = nil
    ) {
        self.actionStatus = actionStatus
        self.feedback = feedback
        self.content = content
        self.currentRawScore = currentRawScore
        self.currentPositionScore = currentPositionScore
        self.bestRawScore = bestRawScore
        self.bestPositionScore = bestPositionScore
    }

    enum CodingKeys: String, CodingKey {
        case actionStatus = "action_status"
        case feedback, content
        case currentRawScore = "current_raw_score"
        case currentPositionScore = "current_position_score"
        case bestRawScore = "best_raw_score"
        case bestPositionScore = "best_position_score"
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(actionStatus, forKey: .actionStatus)
        try c.encode(feedback, forKey: .feedback)
        try c.encode(content, forKey: .content)
        try c.encode(JSONValue.number(currentRawScore), forKey: .currentRawScore)
        try c.encode(JSONValue.number(currentPositionScore), forKey: .currentPositionScore)
        try c.encode(JSONValue.number(bestRawScore), forKey: .bestRawScore)
        try c.encode(JSONValue.number(bestPositionScore), forKey: .bestPositionScore)
    }
}
