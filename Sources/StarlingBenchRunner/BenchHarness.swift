import Foundation
import StarlingRunFolder
import StarlingReport

/// Runs a bench grid into a folder: each cell in `runs/<task>/<strategy>/seed-<n>/`, at most
/// ``BenchConfiguration/parallel`` at a time, then a report per run and the bench's
/// `results.json`, `results.md` and `index.html`, rewritten after every cell.
///
/// Resumable: a cell whose `bench-cell.json` says it ended (with or without a submission) is
/// not run again; a cell that errored, or was interrupted, is handed to the runner again, which
/// resumes its run folder.
package struct BenchHarness: Sendable {
    /// The grid.
    package var configuration: BenchConfiguration
    /// The bench folder.
    package var folder: URL
    /// Runs each cell.
    package var runner: any BenchCellRunner
    /// Progress lines.
    package var log: @Sendable (String) -> Void

    /// Creates a harness.
    package init(configuration: BenchConfiguration, folder: URL, runner: any BenchCellRunner,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.configuration = configuration
        self.folder = folder
        self.runner = runner
        self.log = log
    }

    /// Where the bench's files are.
    package var layout: BenchLayout { BenchLayout(folder) }

    /// Runs every cell not yet ended and writes the results.
    ///
    /// - Returns: The results over the whole grid.
    /// - Throws: ``BenchCellError`` when the folder holds a bench with another budget or model;
    ///   file errors when the bench folder or result files cannot be written. A failing cell is
    ///   a result, never a thrown error.
    @discardableResult
    package func run() async throws -> BenchResults {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let settingsFile = layout.configuration
        if let earlier = try? RunLayout.readJSON(BenchConfiguration.self, from: settingsFile),
           earlier.time != configuration.time || earlier.llm != configuration.llm {
            // Reusing cells run under another budget or model would mix incomparable numbers.
            throw BenchCellError("\(folder.path) holds a bench run with --time \(earlier.time) and model \(earlier.llm ?? "default"); "
                                 + "use the same settings to resume it, or another --out")
        }
        try RunLayout.writeJSON(configuration, to: settingsFile)

        let collector = ResultCollector()
        var todo: [BenchCell] = []
        for cell in configuration.cells {
            if let done = layout.recorded(cell), done.status != .error {
                await collector.add(done)
            } else {
                todo.append(cell)
            }
        }
        let skipped = configuration.cells.count - todo.count
        if skipped > 0 { log("\(skipped) of \(configuration.cells.count) cells already ended; running the other \(todo.count)") }
        try await collector.snapshot(configuration).write(to: layout)

        let tasks = Dictionary(configuration.tasks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let width = max(1, configuration.parallel)
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func launch() {
                // A cancelled bench (Ctrl-C) starts no further cell.
                guard next < todo.count, !Task.isCancelled else { return }
                let cell = todo[next]
                next += 1
                group.addTask {
                    let result = await self.runCell(cell, task: tasks[cell.task]!)
                    await collector.add(result)
                    try await collector.snapshot(self.configuration).write(to: self.layout)
                }
            }
            for _ in 0..<width { launch() }
            while try await group.next() != nil { launch() }
        }
        let results = await collector.snapshot(configuration)
        try results.write(to: layout)
        return results
    }

    /// Runs one cell and judges it; never throws.
    func runCell(_ cell: BenchCell, task: BenchTask) async -> BenchCellResult {
        let run = layout.run(cell)
        let runFolder = run.folder
        log("▶ \(cell.label)")
        let clock = ContinuousClock()
        let start = clock.now
        var failure: String?
        // A run that ended before the bench could record it (bench killed) is judged, not rerun.
        let ran = !run.hasEnded
        // The overhead is only comparable for a run this bench started from nothing.
        let fresh = !run.holdsRun
        if ran {
            do {
                try FileManager.default.createDirectory(at: runFolder, withIntermediateDirectories: true)
                try await runner.run(cell, task: task, in: runFolder)
            } catch let error as BenchCellError {
                failure = error.reason
            } catch is CancellationError {
                failure = "interrupted: the bench was stopped; run the same command again to resume this cell"
            } catch {
                failure = "\(error)"
            }
        }
        let elapsed = start.duration(to: clock.now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var result: BenchCellResult
        if failure == nil, let summary = try? RunLayout.readJSON(RunSummary.self, from: run.summary) {
            // Judged without running: the run's own clock is the best measure left.
            result = BenchCellResult(cell: cell, task: task, summary: summary, wallSeconds: ran ? seconds : summary.elapsedSeconds)
            if let best = summary.bestNodeID, let tree = try? RunLayout.readJSON(SearchTree.self, from: run.tree) {
                result.submittedStep = tree.nodes.first { $0.id == best }?.step
            }
            if ran && fresh { result.overheadSeconds = max(0, seconds - summary.elapsedSeconds) }
        } else {
            result = .failure(cell: cell, task: task, reason: failure ?? "the run ended without writing \(RunLayout.Name.summary)", wallSeconds: seconds)
        }
        result.placement = (try? RunLayout.readJSON(CellJob.self, from: run.cellJob))?.placement
        if run.holdsRun {
            do {
                try RunReport.write(folder: runFolder)
                result.report = cell.folderPath + "/" + RunLayout.Name.report
            } catch {
                log("  report for \(cell.label) failed: \(error)")
            }
        }
        try? RunLayout.writeJSON(result, to: run.benchCell)
        let score = result.finalScore.map { "score \(Formatting.score($0)), gap closed \(Formatting.percent(result.gapClosed))" }
        log("■ \(cell.label): \(result.status.rawValue) in \(Formatting.duration(result.wallSeconds))" + (score.map { ", " + $0 } ?? "") + (result.reason.map { " — \($0)" } ?? ""))
        return result
    }
}
