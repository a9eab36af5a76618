import Foundation
import StarlingCore
import StarlingRuntime

/// Runs an agent's script in the sandbox under the stage probe (`stage_probe.py`), so the
/// harness learns how far the script got without the script doing anything for it.
///
/// The script is written to `folder/solution.py` and run with `folder` as its working
/// directory, `input/` linked (read-only) to the data folder, and `hiddenPaths` covered.
package struct InstrumentedExecutor: Sendable {
    /// What one instrumented execution produced.
    package struct Outcome: Sendable {
        /// How the process ended.
        package var execution: ExecutionResult
        /// The stages reached; `submission_written` is set here, `submission_valid` by the caller.
        package var stages: StageReport
        /// `folder/submission/submission.csv`.
        package var submission: URL
        /// Whether the script exited 0 within its limits and parsed.
        package var ranCleanly: Bool { execution.succeeded && stages.syntaxError == nil }
    }

    /// The sandbox.
    package let sandbox: Sandbox
    /// Shares cores between concurrent executions of all environments.
    package let scheduler: SlotScheduler
    /// The solution environment's interpreter.
    package let python: URL
    /// The probe script.
    package let probe: URL

    /// The probe bundled with Starling.
    package static var bundledProbe: URL? {
        Bundle.module.url(forResource: "stage_probe", withExtension: "py", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "stage_probe", withExtension: "py")
    }

    /// Creates an executor.
    ///
    /// - Parameters:
    ///   - sandbox: The sandbox.
    ///   - scheduler: The shared core scheduler.
    ///   - python: The interpreter that runs solutions.
    ///   - probe: The probe; the bundled one by default.
    /// - Throws: ``DojoError`` when the probe is missing from the build.
    package init(sandbox: Sandbox, scheduler: SlotScheduler, python: URL, probe: URL? = nil) throws {
        guard let probe = probe ?? Self.bundledProbe else {
            throw DojoError(.internalError, "stage_probe.py is missing from Starling's resources; rebuild with `swift build`")
        }
        self.sandbox = sandbox
        self.scheduler = scheduler
        self.python = python
        self.probe = probe
    }

    /// Runs `code` in `folder`.
    ///
    /// - Parameters:
    ///   - code: The agent's script.
    ///   - folder: The work folder (created; an earlier `submission/` is removed).
    ///   - input: The data folder the script sees as `input/`.
    ///   - hiddenPaths: Paths the script must not see.
    ///   - limits: Time, memory and core limits.
    /// - Returns: The outcome; a failing script is an outcome, not an error.
    /// - Throws: ``SandboxError`` when the sandbox could not start at all.
    package func run(code: String, in folder: URL, input: URL, hiddenPaths: [URL], limits: ExecutionLimits) async throws -> Outcome {
        let fm = FileManager.default
        let workspace = ScriptWorkspace(folder)
        try workspace.prepare(code: code, input: .link(input))
        let script = workspace.script
        try fm.createDirectory(at: folder.appendingPathComponent(".starling"), withIntermediateDirectories: true)
        let events = folder.appendingPathComponent(".starling/stages.jsonl")
        try? fm.removeItem(at: events)

        let request = ExecutionRequest(
            script: probe, arguments: [script.path], workDir: folder, readOnlyPaths: [input], hiddenPaths: hiddenPaths,
            python: python, limits: limits, environment: ["STARLING_STAGE_FILE": events.path])
        let execution = try await scheduler.withSlot(cores: limits.cores) { try await sandbox.run(request) }
        var stages = StageReport.read(eventsAt: events)
        let submission = workspace.submission
        if workspace.hasSubmission {
            stages.mark(.submissionWritten, at: execution.wallSeconds)
        }
        return Outcome(execution: execution, stages: stages, submission: submission)
    }

    /// A failure in words with the end of the output, where Python puts the traceback.
    ///
    /// - Parameter outcome: A failed execution.
    /// - Returns: Text for the agent.
    package static func describeFailure(_ outcome: Outcome) -> String {
        if let syntax = outcome.stages.syntaxError ?? outcome.execution.syntaxError { return syntax }
        let lines = outcome.execution.output.text.split(separator: "\n", omittingEmptySubsequences: false)
        let tail = lines.suffix(30).joined(separator: "\n")
        let clipped = tail.count > 3000 ? String(tail.suffix(3000)) : tail
        return "The script \(outcome.execution.summary). End of its output:\n\(clipped)"
    }
}
