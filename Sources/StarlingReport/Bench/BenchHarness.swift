import Foundation
import StarlingAgents

/// Runs a bench grid into a folder: each cell in `runs/<task>/<strategy>/seed-<n>/`, at most
/// ``BenchConfiguration/parallel`` at a time, then a report per run and the bench's
/// `results.json`, `results.md` and `index.html`, rewritten after every cell.
///
/// Resumable: a cell whose `bench-cell.json` says it ended (with or without a submission) is
/// not run again; a cell that errored, or was interrupted, is handed to the runner again, which
/// resumes its run folder.
public struct BenchHarness: Sendable {
    /// The grid.
    public var configuration: BenchConfiguration
    /// The bench folder.
    public var folder: URL
    /// Runs each cell.
    public var runner: any BenchCellRunner
    /// Progress lines.
    public var log: @Sendable (String) -> Void

    /// The file in a run folder that records how its cell ended.
    public static let cellRecordName = "bench-cell.json"

    /// Creates a harness.
    public init(configuration: BenchConfiguration, folder: URL, runner: any BenchCellRunner,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.configuration = configuration
        self.folder = folder
        self.runner = runner
        self.log = log
    }

    /// Runs every cell not yet ended and writes the results.
    ///
    /// - Returns: The results over the whole grid.
    /// - Throws: ``BenchCellError`` when the folder holds a bench with another budget or model;
    ///   file errors when the bench folder or result files cannot be written. A failing cell is
    ///   a result, never a thrown error.
    @discardableResult
    public func run() async throws -> BenchResults {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let settingsFile = folder.appendingPathComponent("bench.json")
        if let data = try? Data(contentsOf: settingsFile), let earlier = try? JSONDecoder().decode(BenchConfiguration.self, from: data),
           earlier.time != configuration.time || earlier.llm != configuration.llm {
            // Reusing cells run under another budget or model would mix incomparable numbers.
            throw BenchCellError("\(folder.path) holds a bench run with --time \(earlier.time) and model \(earlier.llm ?? "default"); "
                                 + "use the same settings to resume it, or another --out")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(configuration).write(to: settingsFile)

        let collector = ResultCollector()
        var todo: [BenchCell] = []
        for cell in configuration.cells {
            if let done = recorded(cell), done.status != .error {
                await collector.add(done)
            } else {
                todo.append(cell)
            }
        }
        let skipped = configuration.cells.count - todo.count
        if skipped > 0 { log("\(skipped) of \(configuration.cells.count) cells already ended; running the other \(todo.count)") }
        try await collector.snapshot(configuration).write(to: folder)

        let tasks = Dictionary(configuration.tasks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let width = max(1, configuration.parallel)
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func launch() {
                guard next < todo.count else { return }
                let cell = todo[next]
                next += 1
                group.addTask {
                    let result = await self.runCell(cell, task: tasks[cell.task]!)
                    await collector.add(result)
                    try await collector.snapshot(self.configuration).write(to: self.folder)
                }
            }
            for _ in 0..<width { launch() }
            while try await group.next() != nil { launch() }
        }
        let results = await collector.snapshot(configuration)
        try results.write(to: folder)
        return results
    }

    /// The recorded end of a cell, if it ran before.
    func recorded(_ cell: BenchCell) -> BenchCellResult? {
        let file = folder.appendingPathComponent(cell.folderPath).appendingPathComponent(Self.cellRecordName)
        guard let data = try? Data(contentsOf: file) else { return nil }
        return try? JSONDecoder().decode(BenchCellResult.self, from: data)
    }

    /// Runs one cell and judges it; never throws.
    func runCell(_ cell: BenchCell, task: BenchTask) async -> BenchCellResult {
        let runFolder = folder.appendingPathComponent(cell.folderPath)
        log("▶ \(cell.label)")
        let clock = ContinuousClock()
        let start = clock.now
        var failure: String?
        let summaryFile = runFolder.appendingPathComponent("summary.json")
        // A run that ended before the bench could record it (bench killed) is judged, not rerun.
        let ran = !FileManager.default.fileExists(atPath: summaryFile.path)
        if ran {
            do {
                try FileManager.default.createDirectory(at: runFolder, withIntermediateDirectories: true)
                try await runner.run(cell, task: task, in: runFolder)
            } catch let error as BenchCellError {
                failure = error.reason
            } catch {
                failure = "\(error)"
            }
        }
        let elapsed = start.duration(to: clock.now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var result: BenchCellResult
        if failure == nil, let data = try? Data(contentsOf: summaryFile), let summary = try? JSONDecoder().decode(RunSummary.self, from: data) {
            // Judged without running: the run's own clock is the best measure left.
            result = BenchCellResult(cell: cell, task: task, summary: summary, wallSeconds: ran ? seconds : summary.elapsedSeconds)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            if let best = summary.bestNodeID, let data = try? Data(contentsOf: runFolder.appendingPathComponent("tree.json")),
               let tree = try? decoder.decode(SearchTree.self, from: data) {
                result.submittedStep = tree.nodes.first { $0.id == best }?.step
            }
        } else {
            result = .failure(cell: cell, task: task, reason: failure ?? "the run ended without writing summary.json", wallSeconds: seconds)
        }
        if FileManager.default.fileExists(atPath: runFolder.appendingPathComponent("journal.sqlite").path) {
            do {
                try RunReport.write(folder: runFolder)
                result.report = cell.folderPath + "/report.html"
            } catch {
                log("  report for \(cell.label) failed: \(error)")
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try? encoder.encode(result).write(to: runFolder.appendingPathComponent(Self.cellRecordName))
        let score = result.finalScore.map { "score \(Formatting.score($0)), gap closed \(Formatting.percent(result.gapClosed))" }
        log("■ \(cell.label): \(result.status.rawValue) in \(Formatting.duration(result.wallSeconds))" + (score.map { ", " + $0 } ?? "") + (result.reason.map { " — \($0)" } ?? ""))
        return result
    }
}
