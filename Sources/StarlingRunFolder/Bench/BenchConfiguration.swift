/// What a bench runs: the grid and the settings every cell shares.
package struct BenchConfiguration: Sendable, Hashable, Codable {
    /// The suite's name (`lite`).
    package var suite: String
    /// The tasks.
    package var tasks: [BenchTask]
    /// The strategies.
    package var strategies: [String]
    /// Seeds per task and strategy.
    package var seeds: Int
    /// The wall-clock budget per cell, as given (`20m`).
    package var time: String
    /// The model for every role, when given.
    package var llm: String?
    /// Cells run at once.
    package var parallel: Int
    /// Where cells run: `local` (processes on this machine) or `ray` (jobs on a Ray cluster);
    /// `nil` in benches written before executors existed, which ran locally.
    package var executor: String?

    /// Creates a configuration.
    package init(suite: String, tasks: [BenchTask], strategies: [String], seeds: Int, time: String, llm: String? = nil, parallel: Int = 1,
                executor: String? = nil) {
        self.suite = suite
        self.tasks = tasks
        self.strategies = strategies
        self.seeds = seeds
        self.time = time
        self.llm = llm
        self.parallel = parallel
        self.executor = executor
    }

    /// Every cell, task by task, then strategy, then seed (strategies interleave, so a stopped
    /// bench has comparable cells for each).
    package var cells: [BenchCell] {
        var cells: [BenchCell] = []
        for seed in 1...max(1, seeds) {
            for task in tasks {
                for strategy in strategies { cells.append(BenchCell(task: task.id, strategy: strategy, seed: seed)) }
            }
        }
        return cells
    }
}
