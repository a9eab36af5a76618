import Foundation

/// A bench's results: every cell, per-strategy and per-task summaries (`results.json`; StarlingReport
/// renders them as `results.md` and `index.html`).
package struct BenchResults: Sendable, Hashable, Codable {
    /// What was run.
    package var configuration: BenchConfiguration
    /// When these results were written.
    package var updatedAt: Date
    /// Every cell that has run, in grid order.
    package var cells: [BenchCellResult]
    /// Cells of the grid not run yet.
    package var pending: [BenchCell]
    /// One row per strategy over all tasks.
    package var byStrategy: [BenchGroupSummary]
    /// One row per task and strategy.
    package var byTask: [BenchGroupSummary]

    /// Aggregates cell results.
    ///
    /// - Parameters:
    ///   - configuration: The grid.
    ///   - cells: Results so far.
    ///   - updatedAt: The time stamp.
    package init(configuration: BenchConfiguration, cells: [BenchCellResult], updatedAt: Date = Date()) {
        self.configuration = configuration
        self.updatedAt = updatedAt
        let order = Dictionary(configuration.cells.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        self.cells = cells.sorted { (order[$0.cell] ?? Int.max, $0.cell.label) < (order[$1.cell] ?? Int.max, $1.cell.label) }
        let done = Set(cells.map(\.cell))
        pending = configuration.cells.filter { !done.contains($0) }
        byStrategy = configuration.strategies.map { strategy in
            BenchGroupSummary(strategy: strategy, task: nil, results: cells.filter { $0.cell.strategy == strategy })
        }
        byTask = configuration.tasks.flatMap { task in
            configuration.strategies.map { strategy in
                BenchGroupSummary(strategy: strategy, task: task.id,
                                  results: cells.filter { $0.cell.strategy == strategy && $0.cell.task == task.id })
            }
        }
    }

    /// Writes `results.json` into the bench folder (the pages, `results.md` and `index.html`,
    /// are StarlingReport's).
    ///
    /// - Throws: When the file cannot be written.
    package func writeJSON(to layout: BenchLayout) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(self).write(to: layout.results, options: .atomic)
    }

    /// Reads `results.json` of a bench folder; `nil` when there is none.
    ///
    /// - Throws: ``RunFolderError`` when the file does not decode.
    package static func read(from layout: BenchLayout) throws -> BenchResults? {
        try RunLayout.readJSON(BenchResults.self, from: layout.results)
    }
}
