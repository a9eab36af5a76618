import Foundation

/// Runs a solution script in a work folder; the seam between calibration and the sandbox, so
/// tests can substitute a scripted runner.
package protocol ScriptRunner: Sendable {
    /// Words naming the environment scripts run in, recorded with calibrated scores,
    /// e.g. `"python 3.11.7, scikit-learn 1.9.1, lightgbm 4.6.0"`.
    var environmentDescription: String { get }

    /// Runs `script` with `workDir` as its working directory; `workDir/input/` holds the
    /// task's public files and the script writes `workDir/submission/submission.csv`.
    ///
    /// - Parameters:
    ///   - script: The Python file, already inside `workDir`.
    ///   - workDir: The working directory.
    ///   - timeoutSeconds: Wall-clock limit.
    /// - Returns: How the run ended.
    /// - Throws: When the script could not be started at all.
    func run(script: URL, workDir: URL, timeoutSeconds: Double) async throws -> ScriptOutcome
}

/// How one script run ended.
package struct ScriptOutcome: Sendable, Hashable {
    /// Whether it exited 0 within its limits.
    package var succeeded: Bool
    /// One line, e.g. `"exited 0 in 12.3 s"`.
    package var summary: String
    /// The end of its output.
    package var outputTail: String
    /// Seconds it ran.
    package var seconds: Double

    /// Creates an outcome.
    package init(succeeded: Bool, summary: String, outputTail: String = "", seconds: Double = 0) {
        self.succeeded = succeeded
        self.summary = summary
        self.outputTail = outputTail
        self.seconds = seconds
    }
}
