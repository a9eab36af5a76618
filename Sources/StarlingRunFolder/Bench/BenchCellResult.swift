import Foundation
import StarlingCore

/// How one cell ended, written to `bench-cell.json` in its run folder and to `results.json`.
package struct BenchCellResult: Sendable, Hashable, Codable {
    /// How a cell ended.
    package enum Status: String, Sendable, Hashable, Codable {
        /// The run ended with a valid, graded submission.
        case finished
        /// The run ended without a valid submission (no script worked, or every final run failed).
        case noSubmission = "no-submission"
        /// The run could not run or did not end (crash, killed, missing model); rerun on resume.
        case error
    }

    /// The cell.
    package var cell: BenchCell
    /// How it ended.
    package var status: Status
    /// Why it failed, for `no-submission` and `error`.
    package var reason: String?
    /// The final submission's score on the real test rows.
    package var finalScore: Double?
    /// The submitted script's score on the hidden dev rows.
    package var devScore: Double?
    /// Percentage of the baseline-to-reference gap closed.
    package var gapClosed: Double?
    /// Whether the final score beats the baseline; `nil` when the task has no baseline.
    package var aboveBaseline: Bool?
    /// Medals earned; `nil` when the task has no leaderboard.
    package var medal: Medal?
    /// Seconds the cell took, measured by the bench around the run.
    package var wallSeconds: Double
    /// Seconds the agent accounted for (its own clock, all sessions).
    package var agentSeconds: Double?
    /// LLM calls, tokens (prompt + completion) and cost.
    package var llmCalls: Int, tokens: Int, costUSD: Double
    /// Nodes in the journal.
    package var nodes: Int
    /// Why the search stopped.
    package var stopReason: String?
    /// Leak flags the run raised.
    package var leakFlags: [String]
    /// The step whose script was submitted (`rescue/1` means a model card's example script,
    /// unchanged: the LLM contributed nothing).
    package var submittedStep: String?
    /// What the model's own work amounted to (from the run's summary); `nil` for peers and
    /// for results written before it was measured.
    package var modelWork: ModelWork?
    /// How cross-validation chose the submitted script (from the run's summary).
    package var crossValidation: CrossValidatedChoice?
    /// A repo task's verdict and tool calls; `nil` for prediction tasks.
    package var repo: RepoOutcome?
    /// The job that ran the cell, with a cluster executor; `nil` for the local executor.
    package var placement: Placement?
    /// Seconds the cell took beyond the run's own clock (process start, job submission,
    /// queueing, polling), measured when the bench ran the cell; `nil` when it was only judged.
    package var overheadSeconds: Double?
    /// The run folder, relative to the bench folder.
    package var runFolder: String
    /// The run's HTML report, relative to the bench folder, when one was written.
    package var report: String?

    /// Medals by MLE-bench's rules.
    package struct Medal: Sendable, Hashable, Codable {
        /// Medals earned (at most one) and whether the score beats the leaderboard's median.
        package var gold: Bool, silver: Bool, bronze: Bool, aboveMedian: Bool
        /// Any of gold, silver, bronze.
        package var any: Bool { gold || silver || bronze }
    }

    /// Creates a result.
    package init(cell: BenchCell, status: Status, reason: String? = nil, finalScore: Double? = nil, devScore: Double? = nil,
                gapClosed: Double? = nil, aboveBaseline: Bool? = nil, medal: Medal? = nil, wallSeconds: Double = 0,
                agentSeconds: Double? = nil, llmCalls: Int = 0, tokens: Int = 0, costUSD: Double = 0, nodes: Int = 0,
                stopReason: String? = nil, leakFlags: [String] = [], runFolder: String? = nil, report: String? = nil) {
        self.cell = cell
        self.status = status
        self.reason = reason
        self.finalScore = finalScore
        self.devScore = devScore
        self.gapClosed = gapClosed
        self.aboveBaseline = aboveBaseline
        self.medal = medal
        self.wallSeconds = wallSeconds
        self.agentSeconds = agentSeconds
        self.llmCalls = llmCalls
        self.tokens = tokens
        self.costUSD = costUSD
        self.nodes = nodes
        self.stopReason = stopReason
        self.leakFlags = leakFlags
        self.runFolder = runFolder ?? cell.folderPath
        self.report = report
    }

    /// Judges a cell from its run's summary against the task: a cell without a valid submission
    /// is above no baseline and earns no medal, but still counts.
    ///
    /// - Parameters:
    ///   - cell: The cell.
    ///   - task: Its task.
    ///   - summary: The run's `summary.json`.
    ///   - wallSeconds: Seconds the bench measured.
    package init(cell: BenchCell, task: BenchTask, summary: RunSummary, wallSeconds: Double) {
        let valid = summary.validSubmission && summary.finalScore != nil
        var reason: String?
        if !valid {
            reason = summary.validSubmission
                ? "the submission was valid but could not be scored (no answers)"
                : "no valid submission (\(summary.nodes) nodes; search stopped: \(summary.stopReason))"
        }
        let score = valid ? summary.finalScore : nil
        var medal: Medal?
        if let thresholds = task.thresholds {
            let m = score.map { thresholds.medals(for: $0, direction: task.direction) }
            medal = Medal(gold: m?.gold ?? false, silver: m?.silver ?? false, bronze: m?.bronze ?? false, aboveMedian: m?.aboveMedian ?? false)
        }
        self.init(cell: cell, status: valid ? .finished : .noSubmission, reason: reason, finalScore: score,
                  devScore: summary.devScore, gapClosed: score.flatMap { summary.gapClosed ?? task.gapClosed(by: $0) },
                  aboveBaseline: task.baseline.map { baseline in score.map { task.direction.isBetter($0, than: baseline) } ?? false },
                  medal: medal, wallSeconds: wallSeconds, agentSeconds: summary.elapsedSeconds, llmCalls: summary.llm.calls,
                  tokens: summary.llm.promptTokens + summary.llm.completionTokens, costUSD: summary.llm.costUSD,
                  nodes: summary.nodes, stopReason: summary.stopReason, leakFlags: summary.leakFlags)
        modelWork = summary.modelWork
        crossValidation = summary.crossValidation
        repo = summary.repo
        if let repo = summary.repo, !repo.process { self.reason = "the test script found no readable output: \(repo.comments)" }
    }

    /// Whether the cell failed (no submission or error).
    package var failed: Bool { status != .finished }
}

extension BenchCellResult {
    /// A cell that could not run or did not end: counted as failed, with the reason.
    ///
    /// - Parameters:
    ///   - cell: The cell.
    ///   - task: Its task.
    ///   - reason: What went wrong, for the tables.
    ///   - wallSeconds: Seconds spent on it.
    /// - Returns: An `error` result that is above no baseline and earns no medal.
    package static func failure(cell: BenchCell, task: BenchTask, reason: String, wallSeconds: Double) -> BenchCellResult {
        BenchCellResult(cell: cell, status: .error, reason: reason,
                        aboveBaseline: task.baseline == nil ? nil : false,
                        medal: task.thresholds == nil ? nil : Medal(gold: false, silver: false, bronze: false, aboveMedian: false),
                        wallSeconds: wallSeconds)
    }
}
