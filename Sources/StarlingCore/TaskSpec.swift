/// One score recorded for a task, with where it came from.
public struct RecordedScore: Sendable, Hashable, Codable {
    /// The graded score.
    public var value: Double
    /// How it was obtained, e.g. `"starling tasks calibrate, 2026-11-26, python 3.11"`.
    public var source: String

    /// Creates a recorded score.
    public init(value: Double, source: String) {
        self.value = value
        self.source = source
    }
}

/// Everything Starling needs to know about a task, read from its `config.yaml`.
public struct TaskSpec: Sendable, Hashable, Codable {
    /// Stable identifier, e.g. `"wa-churn"`.
    public var id: String
    /// Human-readable name.
    public var name: String
    /// The metric used for grading.
    public var metric: Metric
    /// Which way the metric improves, as stated by the task.
    public var direction: Direction
    /// The kind of prediction.
    public var taskType: TaskType
    /// The column that identifies rows in test and submission files.
    public var idColumn: String
    /// The columns a submission predicts.
    public var targetColumns: [String]
    /// How dev rows are held out.
    public var devSplit: DevSplit
    /// Share of training rows held out as dev rows.
    public var devFraction: Double
    /// Score of the simple baseline solution, when calibrated.
    public var baseline: RecordedScore?
    /// Score of the strong reference solution, when calibrated.
    public var reference: RecordedScore?

    /// Creates a task specification.
    public init(
        id: String,
        name: String,
        metric: Metric,
        direction: Direction,
        taskType: TaskType,
        idColumn: String,
        targetColumns: [String],
        devSplit: DevSplit = .random,
        devFraction: Double = 0.2,
        baseline: RecordedScore? = nil,
        reference: RecordedScore? = nil
    ) {
        self.id = id
        self.name = name
        self.metric = metric
        self.direction = direction
        self.taskType = taskType
        self.idColumn = idColumn
        self.targetColumns = targetColumns
        self.devSplit = devSplit
        self.devFraction = devFraction
        self.baseline = baseline
        self.reference = reference
    }

    /// Percentage of the baseline-to-reference gap that `score` closes (MLRC-Bench). Correct for
    /// both directions because both differences flip sign together.
    ///
    /// - Parameter score: A graded score on this task.
    /// - Returns: `100·(score − baseline)/(reference − baseline)`, or `nil` when either end is
    ///   missing or they are equal.
    public func gapClosed(by score: Double) -> Double? {
        guard let baseline, let reference, reference.value != baseline.value else { return nil }
        return 100 * (score - baseline.value) / (reference.value - baseline.value)
    }
}
