import Foundation
public import StarlingRunFolder

/// Hands each cell to the runner for its strategy (aideml cells to ``AidemlCellRunner``),
/// and every other cell to a default runner.
public struct RoutingCellRunner: BenchCellRunner {
    /// Runners by strategy name.
    public var routes: [String: any BenchCellRunner]
    /// The runner for strategies not in ``routes``.
    public var fallback: any BenchCellRunner

    /// Creates a router.
    public init(routes: [String: any BenchCellRunner], fallback: any BenchCellRunner) {
        self.routes = routes
        self.fallback = fallback
    }

    public func run(_ cell: BenchCell, task: BenchTask, in folder: URL) async throws {
        try await (routes[cell.strategy] ?? fallback).run(cell, task: task, in: folder)
    }
}
