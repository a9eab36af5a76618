import Foundation
import StarlingTestSupport
import StarlingAgents
import StarlingCore
import Testing
@testable import StarlingReport
@testable import StarlingRunFolder
import StarlingRuntime
@testable import StarlingBenchRunner

/// A runner that writes what `starling run` would leave, without running an agent: a scored
/// summary (and, for mle-star, a full sample run folder), or an error for the cells it is told
/// to fail.
actor ScriptedCellRunner: BenchCellRunner {
    var calls: [BenchCell] = []
    let failing: Set<String>

    init(failing: Set<String>) { self.failing = failing }

    nonisolated func run(_ cell: BenchCell, task: BenchTask, in folder: URL) async throws {
        await record(cell)
        if failing.contains(cell.task + "/" + cell.strategy) { throw BenchCellError("llama-server <crashed>") }
        if cell.strategy == "mle-star" {
            try SampleRun.write(to: folder)
        } else {
            var summary = RunSummary(runFolder: folder.path, taskID: cell.task, strategy: cell.strategy, stopReason: "time")
            summary.validSubmission = true
            summary.finalScore = 0.82
            summary.gapClosed = 20
            try JSONEncoder().encode(summary).write(to: folder.appendingPathComponent("summary.json"))
        }
    }

    func record(_ cell: BenchCell) { calls.append(cell) }
}

@Suite struct BenchHarnessTests {
    static let configuration = BenchConfiguration(
        suite: "lite",
        tasks: [BenchTask(id: "t1", metric: "roc_auc", direction: .higher, baseline: 0.8, reference: 0.9),
                BenchTask(id: "t2", metric: "roc_auc", direction: .higher, baseline: 0.8, reference: 0.9)],
        strategies: ["mle-star", "aide"], seeds: 1, time: "5m", parallel: 2)

    @Test func writesResultsForATinyGridAndResumesOnlyWhatErrored() async throws {
        let folder = try TemporaryFolder("bench").url
        let runner = ScriptedCellRunner(failing: ["t2/aide"])
        let results = try await BenchHarness(configuration: Self.configuration, folder: folder, runner: runner).run()

        #expect(await runner.calls.count == 4)
        #expect(results.cells.count == 4 && results.pending.isEmpty)
        for name in ["results.json", "results.md", "index.html", "bench.json"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), "\(name) missing")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let stored = try decoder.decode(BenchResults.self, from: Data(contentsOf: folder.appendingPathComponent("results.json")))
        #expect(stored.cells.map(\.cell.label) == ["t1 / mle-star / seed 1", "t1 / aide / seed 1", "t2 / mle-star / seed 1", "t2 / aide / seed 1"])
        let failed = try #require(stored.cells.first { $0.cell.task == "t2" && $0.cell.strategy == "aide" })
        #expect(failed.status == .error && failed.reason == "llama-server <crashed>")
        #expect(failed.aboveBaseline == false)

        let aide = try #require(stored.byStrategy.first { $0.strategy == "aide" })
        #expect(aide.validSubmission == BenchRate(hits: 1, total: 2))
        #expect(aide.gapClosed.median == 20)
        let star = try #require(stored.byStrategy.first { $0.strategy == "mle-star" })
        #expect(star.validSubmission == BenchRate(hits: 2, total: 2))
        #expect(star.gapClosed.mean == 50 && star.gapClosed.sem == 0)
        #expect(stored.byTask.count == 4)
        // The sample run submitted node 3, made by step b1/refine/1/inner/1.
        #expect(stored.cells.first { $0.cell.strategy == "mle-star" }?.submittedStep == "b1/refine/1/inner/1")

        // The mle-star cells have journals, so they get run reports that the index links.
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs/t1/mle-star/seed-1/report.html").path))
        let index = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("<a href=\"runs/t1/mle-star/seed-1/report.html\">report</a>"))
        #expect(index.contains("llama-server &lt;crashed&gt;"))
        #expect(!index.contains("<crashed>"))
        #expect(index.contains("50% (1/2)"))
        let markdown = try String(contentsOf: folder.appendingPathComponent("results.md"), encoding: .utf8)
        #expect(markdown.contains("| t2 / aide / seed 1 | error | llama-server <crashed> | runs/t2/aide/seed-1 |"))
        #expect(markdown.contains("| mle-star | 2 | 0 | 100% (2/2) | 100% (2/2) | 50.0% | 50.0% ± 0.0% (n=2) |"))

        // Again: the three ended cells are kept, the errored one is run again.
        let again = ScriptedCellRunner(failing: [])
        let rerun = try await BenchHarness(configuration: Self.configuration, folder: folder, runner: again).run()
        #expect(await again.calls == [BenchCell(task: "t2", strategy: "aide", seed: 1)])
        #expect(rerun.cells.allSatisfy { !$0.failed })

        // Another budget in the same folder would mix incomparable cells.
        var longer = Self.configuration
        longer.time = "20m"
        await #expect(throws: BenchCellError.self) {
            try await BenchHarness(configuration: longer, folder: folder, runner: ScriptedCellRunner(failing: [])).run()
        }
    }

    @Test func processRunnerResumesAnInterruptedRunFolder() throws {
        let folder = try TemporaryFolder("cell").url
        let runner = ProcessCellRunner(executable: URL(fileURLWithPath: "/bin/true"), time: "5m", llm: "local:qwen2.5-coder-0.5b", cache: "off")
        let cell = BenchCell(task: "wa-churn", strategy: "aide", seed: 2)
        #expect(try runner.arguments(for: cell, in: folder) == [
            "run", "wa-churn", "--strategy", "aide", "--time", "5m", "--out", folder.path, "--llm", "local:qwen2.5-coder-0.5b", "--cache", "off",
        ])
        // An arm's options become the run's flags; the strategy goes alone.
        let control = BenchCell(task: "wa-churn", strategy: "aide+no-memory", seed: 2)
        #expect(try runner.arguments(for: control, in: folder).prefix(5) == ["run", "wa-churn", "--strategy", "aide", "--no-memory"])
        #expect(throws: BenchCellError.self) { try runner.arguments(for: BenchCell(task: "wa-churn", strategy: "aide+fast", seed: 1), in: folder) }
        try SampleRun.write(to: folder, finished: false)
        try Data("{}".utf8).write(to: folder.appendingPathComponent("run.json"))
        #expect(try runner.arguments(for: cell, in: folder) == ["resume", folder.path])
    }

    @Test func aCellWhoseProcessWritesNoSummaryFailsWithTheLogTail() async throws {
        let folder = try TemporaryFolder("cell").url
        let script = folder.appendingPathComponent("fake-starling")
        // Written by a shell of its own: a file this process writes can be held open for writing
        // by a child another test spawns meanwhile (the descriptor is inherited), and then
        // starting it fails with "Text file busy".
        let written = try await Shell.run("/bin/sh", ["-c", "printf '%s\\n' '#!/bin/sh' \"echo 'error: the local model is not installed' >&2\" 'exit 1' > \"$0\" && chmod 755 \"$0\"",
                                                      script.path])
        #expect(written.succeeded, "\(written.output)")
        let runner = ProcessCellRunner(executable: script, time: "5m")
        let run = folder.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        await #expect {
            try await runner.run(BenchCell(task: "t", strategy: "aide", seed: 1), task: BenchHarnessTests.configuration.tasks[0], in: run)
        } throws: { error in
            (error as? BenchCellError)?.reason.contains("status 1") == true
                && (error as? BenchCellError)?.reason.contains("the local model is not installed") == true
        }
    }

    @Test func routingSendsAidemlCellsToTheirRunnerAndTheTablesSayWhichRowIsWhich() async throws {
        let folder = try TemporaryFolder("bench-routing").url
        let starling = ScriptedCellRunner(failing: [])
        let peer = ScriptedCellRunner(failing: ["t1/aideml"])
        var configuration = Self.configuration
        configuration.tasks = [configuration.tasks[0]]
        configuration.strategies = ["aide", "aideml", "aideml-adapter"]
        let router = RoutingCellRunner(routes: ["aideml": peer, "aideml-adapter": peer], fallback: starling)
        let results = try await BenchHarness(configuration: configuration, folder: folder, runner: router).run()
        #expect(await starling.calls.map(\.strategy) == ["aide"])
        #expect(await peer.calls.map(\.strategy) == ["aideml", "aideml-adapter"])
        #expect(results.cells.first { $0.cell.strategy == "aideml" }?.status == .error)
        #expect(results.markdown.contains("`aideml-adapter` = aideml + adapter"))
        #expect(results.markdown.contains("`aideml` = aideml 0.2.2 unchanged"))
        #expect(results.html.contains("<b>aideml-adapter</b>: aideml + adapter"))
    }
}
