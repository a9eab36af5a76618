public import StarlingRuntime

/// A script's run as the search sees it: how it ended, its harness score, and the error text the
/// debug step gets.
public struct ScriptOutcome: Sendable {
    /// The sandbox result, when the script ran (pre-flight failures never run).
    public var execution: ExecutionResult?
    /// The harness's dev-row score, when the submission was valid; on a task without dev rows,
    /// the script's own validation score (``scoreIsSelfReported``).
    public var score: Double?
    /// Whether ``score`` is the script's own, for want of hidden dev rows.
    public var scoreIsSelfReported = false
    /// The score the script printed about itself.
    public var selfReported: Double?
    /// What went wrong, for the debug prompt; `nil` when it worked.
    public var error: String?
    /// The script's captured output.
    public var output: String

    /// Whether the script worked and was scored.
    public var succeeded: Bool { error == nil && score != nil }
}
