/// How one sandboxed execution ended. A failing script is a result, not a thrown error.
package struct ExecutionResult: Sendable, Hashable, Codable {
    /// The script's exit code, when it exited normally.
    package var exitCode: Int32?
    /// The signal that ended the script, when one did.
    package var signal: Int32?
    /// Whether the wall-clock limit ended it.
    package var timedOut: Bool
    /// Whether the memory limit ended it (OOM kill, or a `MemoryError` under an address-space cap).
    package var killedForMemory: Bool
    /// The compiler's message when the script did not parse; nothing ran in that case.
    package var syntaxError: String?
    /// A problem starting the script (missing interpreter, sandbox set-up failure).
    package var launchError: String?
    /// Seconds from start to end.
    package var wallSeconds: Double
    /// User plus system CPU seconds of the script and its descendants.
    package var cpuSeconds: Double?
    /// Largest resident set of any process of the script, in bytes.
    package var peakRSSBytes: Int?
    /// The output (stdout and stderr interleaved), capped.
    package var output: CapturedOutput
    /// The full output on disk.
    package var logPath: String
    /// How the script was isolated, in words (for reports and `doctor`).
    package var isolation: String

    /// Whether the script ran to completion with exit code 0.
    package var succeeded: Bool {
        exitCode == 0 && !timedOut && !killedForMemory && syntaxError == nil && launchError == nil
    }

    /// A one-line account of the outcome, e.g. `"timed out after 5.0 s"`.
    package var summary: String {
        if let syntaxError { return "syntax error: \(syntaxError)" }
        if let launchError { return "could not start: \(launchError)" }
        if timedOut { return "timed out after \(String(format: "%.1f", wallSeconds)) s" }
        if killedForMemory { return "killed for exceeding its memory limit" }
        if let signal { return "killed by signal \(signal)" }
        if exitCode == 0 { return "exited 0 in \(String(format: "%.1f", wallSeconds)) s" }
        return "exited with code \(exitCode.map(String.init) ?? "?")"
    }
}
