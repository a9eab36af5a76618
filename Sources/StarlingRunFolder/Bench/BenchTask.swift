import StarlingBench
import StarlingCore

/// What the bench needs to know of a task to judge a cell even when its run failed.
package struct BenchTask: Sendable, Hashable, Codable {
    /// The task id.
    package var id: String
    /// The metric's name.
    package var metric: String
    /// Which way it improves.
    package var direction: Direction
    /// The calibrated baseline score.
    package var baseline: Double?
    /// The calibrated reference score.
    package var reference: Double?
    /// Medal thresholds, when the task has a leaderboard.
    package var thresholds: MedalThresholds?

    /// Creates a task description.
    package init(id: String, metric: String, direction: Direction, baseline: Double? = nil, reference: Double? = nil,
                thresholds: MedalThresholds? = nil) {
        self.id = id
        self.metric = metric
        self.direction = direction
        self.baseline = baseline
        self.reference = reference
        self.thresholds = thresholds
    }

    /// Reads a bench task from a task definition (scores from its config, thresholds from its
    /// leaderboard when it has one).
    ///
    /// - Parameter task: The task.
    package init(_ task: TaskDefinition) {
        self.init(id: task.id, metric: task.spec.metric.rawValue, direction: task.spec.direction,
                  baseline: task.spec.baseline?.value, reference: task.spec.reference?.value,
                  thresholds: try? TaskGrader(task: task).leaderboardThresholds())
    }

    /// Percentage of the baseline-to-reference gap `score` closes, when both are known.
    package func gapClosed(by score: Double) -> Double? {
        guard let baseline, let reference, reference != baseline else { return nil }
        return 100 * (score - baseline) / (reference - baseline)
    }
}
