import Foundation
public import StarlingCore

/// What a strategy may know about a task, and the grader it may not see inside.
///
/// Scripts see `viewFolder` (train rows minus the hidden dev rows; test rows plus the dev rows
/// under fresh ids). The harness splits their submissions back and grades the dev part: that is
/// every node's score. `hiddenPaths` are covered inside the sandbox.
public protocol TaskHarness: Sendable {
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
}

extension TaskHarness {
    /// No sample submission to fall back on.
    public var sampleSubmission: URL? { nil }
}
