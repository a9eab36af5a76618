/// Which score an environment reports and rewards.
package enum ScoreMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Rank-based, as MLE-Dojo: the share of the task's leaderboard the score beats, or without a
    /// leaderboard the position between the calibrated baseline (0) and reference (1), clipped
    /// to [0, 1].
    case position
    /// The metric's own value on the hidden dev rows.
    case raw
    /// Share of the baseline-to-reference gap closed (``StarlingCore/TaskSpec/gapClosed(by:)``
    /// divided by 100): 0 at the baseline, 1 at the reference, unbounded either way.
    case gap
}
