import Foundation
import StarlingCore
import StarlingBench
import StarlingRunFolder

/// What a strategy may know about a task, and the grader it may not see inside.
///
/// Scripts see `viewFolder` (train rows minus the hidden dev rows; test rows plus the dev rows
/// under fresh ids). The harness splits their submissions back and grades the dev part: that is
/// every node's score. `hiddenPaths` are covered inside the sandbox.
package protocol TaskHarness: Sendable {
    /// The task's metric, direction, columns and calibration scores.
    var spec: TaskSpec { get }
    /// The task description the agent reads.
    var taskDescription: String { get }
    /// The task's sample submission with the real test ids, the final fallback; `nil` when none.
    var sampleSubmission: URL? { get }
    /// The agent view used during search.
    var viewFolder: URL { get }
    /// The full public data, used for the final submission.
    var publicFolder: URL { get }
    /// Paths no script may read (answers, the dev-row mapping, the full public data during search).
    var hiddenPaths: [URL] { get }

    /// Validates a submission written against the agent view and grades its dev rows.
    ///
    /// - Parameter submission: The script's `submission.csv`.
    /// - Returns: The dev-row score; `nil` for a valid submission on a task without dev rows
    ///   (`dev_split: none`), which the search then knows only by the script's own score.
    /// - Throws: An error whose description says what is wrong with the submission.
    func gradeDev(submission: URL) throws -> Double?

    /// Validates a submission against the real test set and grades it when answers exist.
    ///
    /// - Parameters:
    ///   - submission: The final `submission.csv`.
    ///   - reportFile: Where to write the grade report (JSON).
    /// - Returns: The score, or `nil` when the task has no answers.
    /// - Throws: An error whose description says what is wrong with the submission.
    func gradeFinal(submission: URL, reportFile: URL) throws -> Double?

    /// The views of a K-fold split of the agent view's training rows (fold k's training rows
    /// held out as its dev rows), built on first use.
    ///
    /// - Parameters:
    ///   - count: K.
    ///   - layout: The run folder, where the views and their secrets go.
    /// - Returns: K views, or `nil` when the task cannot be cross-validated this way (no dev
    ///   rows, a time-ordered split, or training rows spread over per-row files).
    /// - Throws: View-building errors.
    func foldViews(count: Int, layout: RunLayout) throws -> [AgentView]?
}

extension TaskHarness {
    /// No sample submission to fall back on.
    package var sampleSubmission: URL? { nil }

    /// No cross-validation folds.
    package func foldViews(count: Int, layout: RunLayout) throws -> [AgentView]? { nil }
}
