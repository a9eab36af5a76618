import Foundation
public import StarlingStore

/// What a run produced, written to `summary.json`.
public struct RunSummary: Sendable, Codable {
    /// The run folder.
    public var runFolder: String
    /// The task.
    public var taskID: String
    /// The strategy.
    public var strategy: String
    /// Why the search stopped: `search finished`, `time`, `cancelled`, or an error.
    public var stopReason: String
    /// The task's metric and direction.
    public var metric = ""
    public var direction = ""
    /// The node whose script made the final submission.
    public var bestNodeID: Int?
    /// That node's harness score on the hidden dev rows.
    public var devScore: Double?
    /// The score that node printed about itself.
    public var selfReportedScore: Double?
    /// The final submission's score on the real test set, when answers exist.
    public var finalScore: Double?
    /// The task's calibrated baseline and reference scores.
    public var baseline: Double?
    public var reference: Double?
    /// Percentage of the baseline-to-reference gap the final score closes.
    public var gapClosed: Double?
    /// Whether a valid final submission was written.
    public var validSubmission = false
    /// What the final submission is when no script wrote a valid one (the task's sample
    /// submission); `nil` when a script made it.
    public var fallback: String?
    /// Possible leaks found by the checks.
    public var leakFlags: [String] = []
    /// LLM usage.
    public var llm = LLMTotals()
    /// Nodes in the journal.
    public var nodes = 0
    /// Seconds spent, all sessions included.
    public var elapsedSeconds: Double = 0
    /// What the model's own work amounted to; `nil` in summaries written before it was measured.
    public var modelWork: ModelWork?
    /// How cross-validation chose the submitted script; `nil` when it was not cross-validated.
    public var crossValidation: CrossValidatedChoice?
    /// How the model changed scripts in this run.
    public var editFormat: EditFormat?
    /// A repo task's verdict and effort; `nil` for other tasks.
    public var repo: RepoOutcome?
    /// Exploration tool calls a run with `--repo` made before writing scripts; `nil` without one.
    public var repoToolCalls: Int?

    /// Creates an empty summary.
    public init(runFolder: String, taskID: String, strategy: String, stopReason: String) {
        self.runFolder = runFolder
        self.taskID = taskID
        self.strategy = strategy
        self.stopReason = stopReason
    }
}
