import Foundation

/// Prints live progress lines: elapsed time, stage, step, best score so far, tokens and cost.
package struct ProgressReporter: Sendable {
    /// Where lines go; standard error by default so standard output stays clean.
    let write: @Sendable (String) -> Void

    /// Creates a reporter.
    ///
    /// - Parameter write: Receives each line; `nil` prints to standard error.
    package init(write: (@Sendable (String) -> Void)? = nil) {
        self.write = write ?? { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }

    /// A reporter that prints nothing (tests).
    package static let silent = ProgressReporter { _ in }

    /// Prints one progress line.
    ///
    /// - Parameters:
    ///   - elapsed: Seconds since the run started.
    ///   - message: What happened.
    ///   - best: Best harness score so far.
    ///   - tokens: Tokens used so far.
    ///   - cost: Dollars spent so far.
    package func report(elapsed: Double, _ message: String, best: Double?, tokens: Int, cost: Double) {
        let minutes = Int(elapsed) / 60, seconds = Int(elapsed) % 60
        let bestText = best.map { String(format: "best %.5g", $0) } ?? "best —"
        let tokenText = tokens >= 1000 ? String(format: "%.1fk tok", Double(tokens) / 1000) : "\(tokens) tok"
        write(String(format: "[%3d:%02d] ", minutes, seconds) + "\(message)  · \(bestText) · \(tokenText) · $\(String(format: "%.4f", cost))")
    }
}
