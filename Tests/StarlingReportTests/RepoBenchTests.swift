import Foundation
import Testing
@testable import StarlingReport
import StarlingRunFolder

/// Bench results of repo tasks: process and pass rates and tool calls per strategy and task, in
/// results.md and index.html; a cell whose output the test script could not read says why.
@Suite struct RepoBenchTests {
    static func cell(_ task: String, _ strategy: String, process: Bool, result: Bool, tools: Int) -> BenchCellResult {
        var summary = RunSummary(runFolder: "/tmp/x", taskID: task, strategy: strategy, stopReason: "search finished")
        var outcome = RepoOutcome()
        outcome.process = process
        outcome.result = result
        outcome.toolCalls = tools
        outcome.comments = process ? "checked" : "out.txt is missing"
        summary.repo = outcome
        summary.validSubmission = process
        summary.finalScore = result ? 1 : 0
        return BenchCellResult(cell: BenchCell(task: task, strategy: strategy, seed: 1), task: BenchTask(id: task, metric: "pass", direction: .higher),
                               summary: summary, wallSeconds: 60)
    }

    @Test func processAndPassRatesArePerStrategyAndTask() {
        let configuration = BenchConfiguration(suite: "repo", tasks: [BenchTask(id: "a", metric: "pass", direction: .higher), BenchTask(id: "b", metric: "pass", direction: .higher)],
                                               strategies: ["repo", "repo-no-tools"], seeds: 1, time: "5m")
        let results = BenchResults(configuration: configuration, cells: [
            Self.cell("a", "repo", process: true, result: true, tools: 4),
            Self.cell("b", "repo", process: false, result: false, tools: 2),
            Self.cell("a", "repo-no-tools", process: true, result: false, tools: 0),
            Self.cell("b", "repo-no-tools", process: true, result: false, tools: 0),
        ])
        let markdown = results.markdown
        #expect(markdown.contains("## Repo tasks"))
        #expect(markdown.contains("| repo | all | 2 | 50% (1/2) | 50% (1/2) | 3.0 |"))
        #expect(markdown.contains("| repo-no-tools | all | 2 | 100% (2/2) | 0% (0/2) | 0.0 |"))
        #expect(markdown.contains("the test script found no readable output: out.txt is missing"))
        #expect(results.html.contains("<h2>Repo tasks</h2>"))
    }

    @Test func predictionBenchesHaveNoRepoTable() {
        let configuration = BenchConfiguration(suite: "lite", tasks: [BenchTask(id: "a", metric: "auc", direction: .higher)], strategies: ["aide"], seeds: 1, time: "5m")
        var summary = RunSummary(runFolder: "/tmp/x", taskID: "a", strategy: "aide", stopReason: "time")
        summary.validSubmission = true
        summary.finalScore = 0.8
        let results = BenchResults(configuration: configuration, cells: [
            BenchCellResult(cell: BenchCell(task: "a", strategy: "aide", seed: 1), task: configuration.tasks[0], summary: summary, wallSeconds: 60),
        ])
        #expect(!results.markdown.contains("Repo tasks"))
    }
}
