import Foundation
import StarlingRunFolder

/// Hands each cell to the runner for its strategy (aideml cells to ``AidemlCellRunner``),
/// and every other cell to a default runner.
package struct RoutingCellRunner: BenchCellRunner {
    /// Runners by strategy name.
    package var routes: [String: any BenchCellRunner]
    /// The runner for strategies not in ``routes``.
    package var fallback: any BenchCellRunner

    /// Creates a router.
    package init(routes: [String: any BenchCellRunner], fallback: any BenchCellRunner) {
        self.routes = routes
        self.fallback = fallback
    }

    package func run(_ cell: BenchCell, task: BenchTask, in folder: URL) async throws {
        try await (routes[cell.strategy] ?? fallback).run(cell, task: task, in: folder)
    }
}
