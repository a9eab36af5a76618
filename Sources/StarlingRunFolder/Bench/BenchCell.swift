/// One run of the grid: a strategy on a task with a seed number.
public struct BenchCell: Sendable, Hashable, Codable {
    /// The task id.
    public var task: String
    /// The strategy (`mle-star`, `aide`).
    public var strategy: String
    /// The seed number, from 1.
    public var seed: Int

    /// Creates a cell.
    public init(task: String, strategy: String, seed: Int) {
        self.task = task
        self.strategy = strategy
        self.seed = seed
    }

    /// The cell's run folder relative to the bench folder: `runs/<task>/<strategy>/seed-<n>`.
    public var folderPath: String { "runs/\(task)/\(strategy)/seed-\(seed)" }

    /// `task / strategy / seed n`, for logs and tables.
    public var label: String { "\(task) / \(strategy) / seed \(seed)" }
}
