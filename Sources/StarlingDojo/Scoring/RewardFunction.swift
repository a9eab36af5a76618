import StarlingCore

/// Turns an execution's outcome into the step's score and reward, by the environment's
/// `score_mode` and `partial_credit` options.
///
/// Reward of `execute_code`:
///
/// | outcome | `position` | `gap` | `raw` |
/// | --- | --- | --- | --- |
/// | graded, partial credit on | 0.5 + 0.5 × position | 0.5 + 0.5 × clip(gap, 0, 1) | metric value (negated when lower is better) |
/// | graded, partial credit off | position | gap | metric value (negated when lower is better) |
/// | not graded, partial credit on | stage credit (0–0.5) | stage credit (0–0.5) | 0 |
/// | not graded, partial credit off | 0 | 0 | 0 |
///
/// A missing position or gap (the task has no leaderboard and no calibration) counts as 0. Every
/// other action earns 0. ``PartialCredit`` gives the stage credits; the partial credit itself is
/// always reported in `info`, whatever the mode.
package struct RewardFunction: Sendable {
    /// The score the environment reports and rewards.
    package var mode: ScoreMode
    /// Whether failing scripts earn stage credit and graded ones are lifted above them.
    package var partialCredit: Bool
    /// The task's calibration, for `gap`.
    package var spec: TaskSpec
    /// Position scores for the task.
    package var positions: PositionScorer

    /// The score of a raw dev score in this mode.
    ///
    /// - Parameter raw: The metric value.
    /// - Returns: Position, raw value, or gap fraction; `nil` when the mode cannot place it.
    package func score(raw: Double) -> Double? {
        switch mode {
        case .position: positions.position(of: raw)
        case .raw: raw
        case .gap: spec.gapClosed(by: raw).map { $0 / 100 }
        }
    }

    /// The partial credit of an execution, whatever the mode: stage credit, or for a graded
    /// execution `0.5 + 0.5 ×` its position (its clipped gap when there is no position; 0 when
    /// neither exists).
    ///
    /// - Parameters:
    ///   - stages: The stages reached.
    ///   - raw: The dev score when the submission was graded.
    /// - Returns: A value in [0, 1].
    package func partialCredit(stages: StageReport, raw: Double?) -> Double {
        guard let raw else { return PartialCredit.credit(for: stages) }
        let unit = positions.position(of: raw) ?? spec.gapClosed(by: raw).map { $0 / 100 } ?? 0
        return PartialCredit.credit(gradedWith: unit)
    }

    /// The reward of an `execute_code` step.
    ///
    /// - Parameters:
    ///   - stages: The stages reached.
    ///   - raw: The dev score when the submission was graded.
    /// - Returns: The reward by the table above.
    package func reward(stages: StageReport, raw: Double?) -> Double {
        guard let raw else {
            return partialCredit && mode != .raw ? PartialCredit.credit(for: stages) : 0
        }
        switch mode {
        case .raw:
            return spec.direction == .lower ? -raw : raw
        case .position, .gap:
            let value = score(raw: raw) ?? 0
            return partialCredit ? PartialCredit.credit(gradedWith: value) : value
        }
    }
}
