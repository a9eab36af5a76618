import Foundation
public import StarlingCore

/// One script to run in the sandbox.
public struct ExecutionRequest: Sendable, Hashable {
    /// The Python file to run.
    public var script: URL
    /// Arguments passed to the script.
    public var arguments: [String]
    /// The script's working directory; everything it writes belongs here.
    public var workDir: URL
    /// Files and folders the script may read but never change (task inputs).
    public var readOnlyPaths: [URL]
    /// The Python interpreter; the solution environment's by default.
    public var python: URL
    /// Time, memory, core and output limits.
    public var limits: ExecutionLimits
    /// Extra variables for the script. These are the only variables besides Starling's own
    /// allow-list that reach it; pass no secrets here.
    public var environment: [String: String]
    /// Where the full output goes; `workDir/run.log` by default.
    public var logFile: URL?

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - script: Python file to run.
    ///   - arguments: Script arguments.
    ///   - workDir: Working directory, created when missing.
    ///   - readOnlyPaths: Inputs that must stay unchanged.
    ///   - python: Interpreter to use.
    ///   - limits: Resource limits.
    ///   - environment: Extra variables for the script.
    ///   - logFile: Full-output log path.
    public init(
        script: URL,
        arguments: [String] = [],
        workDir: URL,
        readOnlyPaths: [URL] = [],
        python: URL,
        limits: ExecutionLimits = ExecutionLimits(),
        environment: [String: String] = [:],
        logFile: URL? = nil
    ) {
        self.script = script
        self.arguments = arguments
        self.workDir = workDir
        self.readOnlyPaths = readOnlyPaths
        self.python = python
        self.limits = limits
        self.environment = environment
        self.logFile = logFile
    }
}
