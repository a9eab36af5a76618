import StarlingRuntime

/// A script's run as the search sees it: how it ended, its harness score, and the error text the
/// debug step gets.
package struct ScriptOutcome: Sendable {
    /// The sandbox result, when the script ran (pre-flight failures never run).
    package var execution: ExecutionResult?
    /// The harness's dev-row score, when the submission was valid; on a task without dev rows,
    /// the script's own validation score (``scoreIsSelfReported``).
    package var score: Double?
    /// Whether ``score`` is the script's own, for want of hidden dev rows.
    package var scoreIsSelfReported = false
    /// The score the script printed about itself.
    package var selfReported: Double?
    /// What went wrong, for the debug prompt; `nil` when it worked.
    package var error: String?
    /// The script's captured output.
    package var output: String

    /// Whether the script worked and was scored.
    package var succeeded: Bool { error == nil && score != nil }
}
