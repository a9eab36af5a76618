/// How one sandboxed execution ended. A failing script is a result, not a thrown error.
public struct ExecutionResult: Sendable, Hashable, Codable {
    /// The script's exit code, when it exited normally.
    public var exitCode: Int32?
    /// The signal that ended the script, when one did.
    public var signal: Int32?
    /// Whether the wall-clock limit ended it.
    public var timedOut: Bool
    /// Whether the memory limit ended it (OOM kill, or a `MemoryError` under an address-space cap).
    public var killedForMemory: Bool
    /// The compiler's message when the script did not parse; nothing ran in that case.
    public var syntaxError: String?
    /// A problem starting the script (missing interpreter, sandbox set-up failure).
    public var launchError: String?
    /// Seconds from start to end.
    public var wallSeconds: Double
    /// User plus system CPU seconds of the script and its descendants.
    public var cpuSeconds: Double?
    /// Largest resident set of any process of the script, in bytes.
    public var peakRSSBytes: Int?
    /// The output (stdout and stderr interleaved), capped.
    public var output: CapturedOutput
    /// The full output on disk.
    public var logPath: String
    /// How the script was isolated, in words (for reports and `doctor`).
    public var isolation: String

    /// Whether the script ran to completion with exit code 0.
    public var succeeded: Bool {
        exitCode == 0 && !timedOut && !killedForMemory && syntaxError == nil && launchError == nil
    }

    /// A one-line account of the outcome, e.g. `"timed out after 5.0 s"`.
    public var summary: String {
        if let syntaxError { return "syntax error: \(syntaxError)" }
        if let launchError { return "could not start: \(launchError)" }
        if timedOut { return "timed out after \(String(format: "%.1f", wallSeconds)) s" }
        if killedForMemory { return "killed for exceeding its memory limit" }
        if let signal { return "killed by signal \(signal)" }
        if exitCode == 0 { return "exited 0 in \(String(format: "%.1f", wallSeconds)) s" }
        return "exited with code \(exitCode.map(String.init) ?? "?")"
    }
}
