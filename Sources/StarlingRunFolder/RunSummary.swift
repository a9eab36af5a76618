import Foundation
import StarlingStore

/// What a run produced, written to `summary.json`.
package struct RunSummary: Sendable, Codable {
    /// The run folder.
    package var runFolder: String
    /// The task.
    package var taskID: String
    /// The strategy.
    package var strategy: String
    /// Why the search stopped: `search finished`, `time`, `cancelled`, `no model answered: …`, or an error.
    package var stopReason: String
    /// Why no model answered, when the run stopped asking it (see `ModelReachability`); `nil`
    /// when the model answered or the run asked none.
    package var modelUnreachable: String?
    /// The task's metric and direction.
    package var metric = ""
    package var direction = ""
    /// The node whose script made the final submission.
    package var bestNodeID: Int?
    /// That node's harness score on the hidden dev rows.
    package var devScore: Double?
    /// The score that node printed about itself.
    package var selfReportedScore: Double?
    /// The final submission's score on the real test set, when answers exist.
    package var finalScore: Double?
    /// The task's calibrated baseline and reference scores.
    package var baseline: Double?
    package var reference: Double?
    /// Percentage of the baseline-to-reference gap the final score closes.
    package var gapClosed: Double?
    /// Whether a valid final submission was written.
    package var validSubmission = false
    /// What the final submission is when no script wrote a valid one (the task's sample
    /// submission); `nil` when a script made it.
    package var fallback: String?
    /// Possible leaks found by the checks.
    package var leakFlags: [String] = []
    /// LLM usage.
    package var llm = LLMTotals()
    /// Nodes in the journal.
    package var nodes = 0
    /// Seconds spent, all sessions included.
    package var elapsedSeconds: Double = 0
    /// What the model's own work amounted to; `nil` in summaries written before it was measured.
    package var modelWork: ModelWork?
    /// How cross-validation chose the submitted script; `nil` when it was not cross-validated.
    package var crossValidation: CrossValidatedChoice?
    /// How the model changed scripts in this run.
    package var editFormat: EditFormat?
    /// A repo task's verdict and effort; `nil` for other tasks.
    package var repo: RepoOutcome?
    /// Exploration tool calls a run with `--repo` made before writing scripts; `nil` without one.
    package var repoToolCalls: Int?

    /// Creates an empty summary.
    package init(runFolder: String, taskID: String, strategy: String, stopReason: String) {
        self.runFolder = runFolder
        self.taskID = taskID
        self.strategy = strategy
        self.stopReason = stopReason
    }
}
