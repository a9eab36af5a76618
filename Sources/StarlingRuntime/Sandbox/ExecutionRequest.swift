import Foundation
import StarlingCore

/// One script to run in the sandbox.
package struct ExecutionRequest: Sendable, Hashable {
    /// The Python file to run.
    package var script: URL
    /// Arguments passed to the script.
    package var arguments: [String]
    /// The script's working directory; everything it writes belongs here.
    package var workDir: URL
    /// Files and folders the script may read but never change (task inputs).
    package var readOnlyPaths: [URL]
    /// Files and folders the script must not see at all (task answers, the harness's dev-row
    /// mapping): covered by empty mounts inside the script's mount namespace.
    package var hiddenPaths: [URL]
    /// The Python interpreter; the solution environment's by default.
    package var python: URL
    /// Time, memory, core and output limits.
    package var limits: ExecutionLimits
    /// Extra variables for the script. These are the only variables besides Starling's own
    /// allow-list that reach it; pass no secrets here.
    package var environment: [String: String]
    /// Where the full output goes; `workDir/run.log` by default.
    package var logFile: URL?

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - script: Python file to run.
    ///   - arguments: Script arguments.
    ///   - workDir: Working directory, created when missing.
    ///   - readOnlyPaths: Inputs that must stay unchanged.
    ///   - hiddenPaths: Paths the script must not read.
    ///   - python: Interpreter to use.
    ///   - limits: Resource limits.
    ///   - environment: Extra variables for the script.
    ///   - logFile: Full-output log path.
    package init(
        script: URL,
        arguments: [String] = [],
        workDir: URL,
        readOnlyPaths: [URL] = [],
        hiddenPaths: [URL] = [],
        python: URL,
        limits: ExecutionLimits = ExecutionLimits(),
        environment: [String: String] = [:],
        logFile: URL? = nil
    ) {
        self.script = script
        self.arguments = arguments
        self.workDir = workDir
        self.readOnlyPaths = readOnlyPaths
        self.hiddenPaths = hiddenPaths
        self.python = python
        self.limits = limits
        self.environment = environment
        self.logFile = logFile
    }
}
