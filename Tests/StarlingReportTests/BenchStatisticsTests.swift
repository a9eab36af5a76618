import Foundation
import StarlingAgents
@testable import StarlingBench
import Testing
@testable import StarlingReport
@testable import StarlingRunFolder

@Suite struct BenchStatisticsTests {
    @Test func medianMeanAndStandardError() throws {
        let stats = BenchStatistics([2, 4, 4, 4, 5, 5, 7, 9])
        #expect(stats.count == 8)
        #expect(stats.median == 4.5)
        #expect(stats.mean == 5)
        // Sample standard deviation √(32/7); SEM = that / √8.
        let sem = try #require(stats.sem)
        #expect(abs(sem - (32.0 / 7).squareRoot() / 8.0.squareRoot()) < 1e-12)
        #expect(stats.meanText(digits: 2) == "5.00 ± 0.76")
        #expect(BenchStatistics([3, 1, 2]).median == 2)
    }

    @Test func smallAndOddSamples() {
        let one = BenchStatistics([7])
        #expect(one.median == 7 && one.mean == 7 && one.sem == nil)
        #expect(one.meanText() == "7.0")
        let none = BenchStatistics([])
        #expect(none.count == 0 && none.median == nil && none.mean == nil)
        #expect(none.meanText() == "—" && none.medianText() == "—")
        #expect(BenchStatistics([1, .nan, 3, .infinity]).mean == 2)
    }

    @Test func ratesCountHitsOverJudgedCells() {
        #expect(BenchRate(hits: 2, total: 3).text == "67% (2/3)")
        #expect(BenchRate(hits: 0, total: 0).value == nil)
        #expect(BenchRate(hits: 0, total: 0).text == "—")
    }

    static let task = BenchTask(id: "t", metric: "rmse", direction: .lower, baseline: 10, reference: 6,
                                thresholds: MedalThresholds(gold: 5, silver: 6, bronze: 7, median: 8))

    func summary(score: Double?, valid: Bool = true) -> RunSummary {
        var summary = RunSummary(runFolder: "/x", taskID: "t", strategy: "aide", stopReason: "time")
        summary.validSubmission = valid
        summary.finalScore = score
        summary.devScore = score
        summary.nodes = 4
        summary.elapsedSeconds = 100
        summary.llm.promptTokens = 900
        summary.llm.completionTokens = 100
        summary.llm.costUSD = 0.5
        return summary
    }

    @Test func cellIsJudgedAgainstItsTaskInTheTasksDirection() {
        let cell = BenchCell(task: "t", strategy: "aide", seed: 1)
        let silver = BenchCellResult(cell: cell, task: Self.task, summary: summary(score: 6), wallSeconds: 120)
        #expect(silver.status == .finished)
        #expect(silver.gapClosed == 100)  // (6 − 10) / (6 − 10)
        #expect(silver.aboveBaseline == true)
        #expect(silver.medal == .init(gold: false, silver: true, bronze: false, aboveMedian: true))
        #expect(silver.tokens == 1000 && silver.costUSD == 0.5)

        let worse = BenchCellResult(cell: cell, task: Self.task, summary: summary(score: 12), wallSeconds: 120)
        #expect(worse.gapClosed == -50)
        #expect(worse.aboveBaseline == false)
        #expect(worse.medal?.any == false)

        let none = BenchCellResult(cell: cell, task: Self.task, summary: summary(score: nil, valid: false), wallSeconds: 120)
        #expect(none.status == .noSubmission)
        #expect(none.reason?.contains("no valid submission") == true)
        #expect(none.aboveBaseline == false && none.gapClosed == nil && none.medal?.any == false)
    }

    @Test func groupRatesCountFailedCells() {
        func cell(_ seed: Int) -> BenchCell { BenchCell(task: "t", strategy: "aide", seed: seed) }
        let results = [
            BenchCellResult(cell: cell(1), task: Self.task, summary: summary(score: 8), wallSeconds: 100),   // gap 50
            BenchCellResult(cell: cell(2), task: Self.task, summary: summary(score: 5), wallSeconds: 200),   // gap 125, gold
            BenchCellResult(cell: cell(3), task: Self.task, summary: summary(score: nil, valid: false), wallSeconds: 300),
            BenchCellResult.failure(cell: cell(4), task: Self.task, reason: "boom", wallSeconds: 400),
        ]
        let group = BenchGroupSummary(strategy: "aide", task: nil, results: results)
        #expect(group.cells == 4 && group.failed == 2)
        #expect(group.validSubmission == BenchRate(hits: 2, total: 4))
        #expect(group.aboveBaseline == BenchRate(hits: 2, total: 4))
        #expect(group.gapClosed.count == 2)
        #expect(group.gapClosed.median == 87.5)
        #expect(group.gapClosed.mean == 87.5)
        #expect(group.gapClosed.sem == 37.5)  // sd of {50, 125} is 53.03…; /√2
        #expect(group.anyMedal == BenchRate(hits: 1, total: 4))
        #expect(group.gold == BenchRate(hits: 1, total: 4))
        #expect(group.aboveMedian == BenchRate(hits: 1, total: 4))  // 8 is not strictly better than the median 8
        #expect(group.wallSeconds.mean == 250)
        #expect(group.costUSD == 1.5)  // the error cell spent nothing it could report
    }

    @Test func tasksWithoutLeaderboardOrBaselineAreNotJudgedOnThem() {
        let plain = BenchTask(id: "p", metric: "roc_auc", direction: .higher)
        let result = BenchCellResult(cell: BenchCell(task: "p", strategy: "aide", seed: 1), task: plain, summary: summary(score: 0.9), wallSeconds: 1)
        #expect(result.medal == nil && result.aboveBaseline == nil && result.gapClosed == nil)
        let group = BenchGroupSummary(strategy: "aide", task: nil, results: [result])
        #expect(group.anyMedal.total == 0 && group.aboveBaseline.total == 0)
        #expect(BenchResults.summaryCells(group, withTask: false)[7] == "no leaderboard")
    }

    @Test func eachStrategyIsComparedWithExamplesAndWithItsOwnControlArm() throws {
        // Scores 8, 7, 6 on a task with baseline 10 and reference 6: gap closed 50, 75, 100.
        let labels = ["examples": 8.0, "mle-star+no-memory": 7, "mle-star": 6]
        let cells = labels.map { label, score in
            BenchCellResult(cell: BenchCell(task: "t", strategy: label, seed: 1), task: Self.task, summary: summary(score: score), wallSeconds: 1)
        }
        let configuration = BenchConfiguration(suite: "lite", tasks: [Self.task], strategies: Array(labels.keys), seeds: 1, time: "5m")
        let results = BenchResults(configuration: configuration, cells: cells)
        let pairs = results.marginalValue.map { "\($0.strategy)/\($0.controlName)=\($0.gap - $0.control)" }.sorted()
        #expect(pairs == ["mle-star+no-memory/examples=25.0", "mle-star/examples=50.0", "mle-star/mle-star+no-memory=25.0"])
        #expect(results.marginalValueSummary.contains("`mle-star` against `mle-star+no-memory`: median +25.0"))
        #expect(results.markdown.contains("| mle-star | t | 100.0% | mle-star+no-memory | 75.0% | +25.0 |"))
        #expect(BenchResults.describe(strategy: "mle-star+no-memory").hasSuffix("lessons from earlier runs neither used nor kept"))
        #expect(throws: BenchArmError.self) { try BenchArm("mle-star+fast") }
    }
}
