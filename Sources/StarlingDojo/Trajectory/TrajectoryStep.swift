import Foundation
import StarlingCore

/// One step of a trajectory: one line of `starling export trajectories`. The JSON schema is
/// `trajectory.schema.json` in this module's resources (``TrajectorySchema``).
///
/// | field | type | meaning |
/// | --- | --- | --- |
/// | `schema` | string | `starling.trajectory/1` |
/// | `source` | `run` \| `episode` | a Starling run (a step per node) or a gym episode (a step per action) |
/// | `trajectory_id` | string | the run folder's name, or `ENV_ID/episode-N` |
/// | `task_id` | string | the task |
/// | `step` | integer ≥ 1 | position in the trajectory |
/// | `prompt` | string | what the policy saw before acting |
/// | `response` | string | what it produced (the script, or the action as JSON) |
/// | `action` | `{name, params}` | the action |
/// | `reward` | number | the step's reward |
/// | `partial_credit` | number \| null | ``PartialCredit`` of a code action |
/// | `stages` | object \| null | ``ExecutionStage`` → reached (null: not observed) |
/// | `duration_seconds` | number | how long the action took |
/// | `score` | number \| null | dev-row score of the step |
/// | `final_score` | number \| null | the trajectory's real test score, on every line |
/// | `done`, `terminated`, `truncated` | boolean | end of the trajectory, and how it ended |
/// | `metadata` | object | source-specific details |
package struct TrajectoryStep: Sendable, Hashable, Codable {
    /// The schema name written in every line.
    package static let schemaName = "starling.trajectory/1"

    /// Always ``schemaName``.
    package var schema: String = TrajectoryStep.schemaName
    /// `run` or `episode`.
    package var source: String
    /// The run folder's name, or `ENV_ID/episode-N`.
    package var trajectoryID: String
    /// The task.
    package var taskID: String
    /// Position in the trajectory, from 1.
    package var step: Int
    /// What the policy saw before acting.
    package var prompt: String
    /// What it produced: the script, or the action as JSON.
    package var response: String
    /// `{"name": ..., "params": {...}}`.
    package var action: JSONValue
    /// The step's reward.
    package var reward: Double
    /// Partial credit of a code action; `nil` for other actions.
    package var partialCredit: Double?
    /// Stage name → reached (`null`: not observed), or `null` for actions that run no code.
    package var stages: JSONValue
    /// Seconds the action took.
    package var durationSeconds: Double
    /// The step's dev-row score.
    package var score: Double?
    /// The trajectory's real test score, when graded.
    package var finalScore: Double?
    /// Whether this is the trajectory's last step.
    package var done: Bool
    /// Whether the trajectory ended by the agent's choice (`submit`, a finished run).
    package var terminated: Bool
    /// Whether it was cut off (`max_steps`).
    package var truncated: Bool
    /// Source-specific details.
    package var metadata: JSONValue

    enum CodingKeys: String, CodingKey {
        case schema, source
        case trajectoryID = "trajectory_id"
        case taskID = "task_id"
        case step, prompt, response, action, reward
        case partialCredit = "partial_credit"
        case stages
        case durationSeconds = "duration_seconds"
        case score
        case finalScore = "final_score"
        case done, terminated, truncated, metadata
    }

    /// Encodes every field, `null` included, so each line has the same keys.
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema)
        try c.encode(source, forKey: .source)
        try c.encode(trajectoryID, forKey: .trajectoryID)
        try c.encode(taskID, forKey: .taskID)
        try c.encode(step, forKey: .step)
        try c.encode(prompt, forKey: .prompt)
        try c.encode(response, forKey: .response)
        try c.encode(action, forKey: .action)
        try c.encode(reward.isFinite ? reward : 0, forKey: .reward)
        try c.encode(JSONValue.number(partialCredit), forKey: .partialCredit)
        try c.encode(stages, forKey: .stages)
        try c.encode(durationSeconds.isFinite ? max(0, durationSeconds) : 0, forKey: .durationSeconds)
        try c.encode(JSONValue.number(score), forKey: .score)
        try c.encode(JSONValue.number(finalScore), forKey: .finalScore)
        try c.encode(done, forKey: .done)
        try c.encode(terminated, forKey: .terminated)
        try c.encode(truncated, forKey: .truncated)
        try c.encode(metadata, forKey: .metadata)
    }
}
