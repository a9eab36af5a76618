/// The bench's figures over a group of cells (one strategy, or one strategy on one task).
/// Rates count every cell, failed ones included, so a strategy that crashes is not flattered.
package struct BenchGroupSummary: Sendable, Hashable, Codable {
    /// The strategy.
    package var strategy: String
    /// The task, for a per-task row; `nil` for a strategy's row over all tasks.
    package var task: String?
    /// Cells in the group.
    package var cells: Int
    /// Cells that failed (no submission or error).
    package var failed: Int
    /// Cells with a valid, scored submission.
    package var validSubmission: BenchRate
    /// Cells whose final score beats the baseline, among cells on tasks with a baseline.
    package var aboveBaseline: BenchRate
    /// Gap closed over cells with a valid submission on tasks with both calibrated scores.
    package var gapClosed: BenchStatistics
    /// Medal rates among cells on tasks with a leaderboard (all zero totals when none has one).
    package var anyMedal: BenchRate, gold: BenchRate, silver: BenchRate, bronze: BenchRate, aboveMedian: BenchRate
    /// Seconds per cell.
    package var wallSeconds: BenchStatistics
    /// LLM tokens per cell.
    package var tokens: BenchStatistics
    /// Total LLM cost over the group's cells, in US dollars.
    package var costUSD: Double
    /// LLM cost per cell.
    package var costPerCell: BenchStatistics
    /// LLM-written scripts that wrote a valid, graded submission, over all LLM-written scripts of
    /// the group's cells (cells that measured it; `nil` in results from before).
    package var llmScriptsValid: BenchRate?
    /// Cells whose submitted script holds model-written changes (not an unchanged card example),
    /// over cells with a valid submission.
    package var modelWrittenSubmission: BenchRate?
    /// Cells whose submitted model-written script beat the run's best unchanged card example on
    /// the dev rows, over cells where both scores exist.
    package var beatsExample: BenchRate?
    /// LLM calls per cell.
    package var llmCalls: BenchStatistics?
    /// Repo tasks: cells whose output the test script could read (GitTaskBench's execution completion).
    package var processRate: BenchRate?
    /// Repo tasks: cells whose output the test script accepted (GitTaskBench's pass rate).
    package var passRate: BenchRate?
    /// Repo tasks: exploration tool calls per cell.
    package var toolCalls: BenchStatistics?

    /// Aggregates `results`.
    ///
    /// - Parameters:
    ///   - strategy: The group's strategy.
    ///   - task: The group's task, or `nil` for all tasks.
    ///   - results: The group's cells.
    package init(strategy: String, task: String?, results: [BenchCellResult]) {
        self.strategy = strategy
        self.task = task
        cells = results.count
        failed = results.filter(\.failed).count
        validSubmission = BenchRate(hits: results.filter { !$0.failed }.count, total: results.count)
        let judged = results.compactMap(\.aboveBaseline)
        aboveBaseline = BenchRate(hits: judged.filter { $0 }.count, total: judged.count)
        gapClosed = BenchStatistics(results.compactMap(\.gapClosed))
        let medals = results.compactMap(\.medal)
        anyMedal = BenchRate(hits: medals.filter(\.any).count, total: medals.count)
        gold = BenchRate(hits: medals.filter(\.gold).count, total: medals.count)
        silver = BenchRate(hits: medals.filter(\.silver).count, total: medals.count)
        bronze = BenchRate(hits: medals.filter(\.bronze).count, total: medals.count)
        aboveMedian = BenchRate(hits: medals.filter(\.aboveMedian).count, total: medals.count)
        wallSeconds = BenchStatistics(results.map(\.wallSeconds))
        tokens = BenchStatistics(results.map { Double($0.tokens) })
        costUSD = results.reduce(0) { $0 + $1.costUSD }
        costPerCell = BenchStatistics(results.map(\.costUSD))
        let works = results.compactMap(\.modelWork)
        if !works.isEmpty {
            llmScriptsValid = BenchRate(hits: works.reduce(0) { $0 + $1.scriptsValid }, total: works.reduce(0) { $0 + $1.scriptsWritten })
            let submitted = results.filter { !$0.failed }.compactMap { $0.modelWork?.submittedOrigin }
            modelWrittenSubmission = BenchRate(hits: submitted.filter { $0 != .example }.count, total: submitted.count)
            let judged = works.compactMap(\.beatsBestExample)
            beatsExample = BenchRate(hits: judged.filter { $0 }.count, total: judged.count)
        }
        llmCalls = BenchStatistics(results.map { Double($0.llmCalls) })
        let repos = results.map(\.repo)
        if repos.contains(where: { $0 != nil }) {
            processRate = BenchRate(hits: repos.filter { $0?.process == true }.count, total: results.count)
            passRate = BenchRate(hits: repos.filter { $0?.result == true }.count, total: results.count)
            toolCalls = BenchStatistics(repos.map { Double($0?.toolCalls ?? 0) })
        }
    }
}
