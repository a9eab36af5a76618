/// One run of the grid: a strategy on a task with a seed number.
package struct BenchCell: Sendable, Hashable, Codable {
    /// The task id.
    package var task: String
    /// The strategy (`mle-star`, `aide`).
    package var strategy: String
    /// The seed number, from 1.
    package var seed: Int

    /// Creates a cell.
    package init(task: String, strategy: String, seed: Int) {
        self.task = task
        self.strategy = strategy
        self.seed = seed
    }

    /// The cell's run folder relative to the bench folder: `runs/<task>/<strategy>/seed-<n>`.
    package var folderPath: String { "runs/\(task)/\(strategy)/seed-\(seed)" }

    /// `task / strategy / seed n`, for logs and tables.
    package var label: String { "\(task) / \(strategy) / seed \(seed)" }
}
