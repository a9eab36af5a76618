import ArgumentParser
import Foundation
import StarlingBench
import StarlingReport
import StarlingRunFolder

/// `starling report RUN_DIR`: one self-contained HTML file about a run.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a run's HTML report: solution tree, score against time, ablations, diff, LLM use, grade.",
        discussion: """
            The report is one self-contained file (inline CSS and SVG, nothing loaded from the network), \
            written to RUN_DIR/report.html unless --out says otherwise. Given a bench folder (one with \
            results.json), it rewrites the bench's results.md and index.html instead.
            """
    )

    @Argument(help: "A run folder (or a bench folder).")
    var runFolder: String

    @Option(help: "The HTML file to write (default: RUN_DIR/report.html).")
    var out: String?

    @OptionGroup var location: TaskLocation

    func run() throws {
        let folder = URL(fileURLWithPath: runFolder)
        let bench = BenchLayout(folder)
        if !RunLayout(folder).holdsRun, let stored = try BenchResults.read(from: bench) {
            // Summaries are recomputed from the cells, so an edited or merged results.json stays consistent.
            try BenchResults(configuration: stored.configuration, cells: stored.cells, updatedAt: stored.updatedAt).write(to: bench)
            print(bench.page.path)
            return
        }
        let file = try RunReport.write(folder: folder, to: out.map { URL(fileURLWithPath: $0) }, tasks: location.store)
        print(file.path)
    }
}
