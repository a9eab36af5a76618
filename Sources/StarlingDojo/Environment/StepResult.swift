import StarlingCore

/// The answer to a step, Gymnasium's five-tuple as a JSON object.
package struct StepResult: Sendable, Hashable, Encodable {
    /// What the agent sees.
    package var observation: Observation
    /// The step's reward (see ``RewardFunction``).
    package var reward: Double
    /// Whether the episode reached its end (`submit`).
    package var terminated: Bool
    /// Whether the episode was cut off (`max_steps` reached).
    package var truncated: Bool
    /// Everything else: step number, duration, stages, partial credit, scores, and at the
    /// episode's end `final` with the real test score.
    package var info: JSONValue

    enum CodingKeys: String, CodingKey { case observation, reward, terminated, truncated, info }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(observation, forKey: .observation)
        try c.encode(reward.isFinite ? reward : 0, forKey: .reward)
        try c.encode(terminated, forKey: .terminated)
        try c.encode(truncated, forKey: .truncated)
        try c.encode(info, forKey: .info)
    }
}
