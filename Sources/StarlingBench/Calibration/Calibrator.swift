import Foundation
import StarlingCore
import StarlingRuntime

/// Measures a task's baseline and reference scores: runs `baseline.py` and `reference.py` on
/// the prepared public data, grades their submissions against the private answers, and records
/// the scores with the date and environment in `config.yaml`.
package struct Calibrator: Sendable {
    /// Runs the scripts; the sandbox in production.
    package var runner: any ScriptRunner
    /// Folder for the scripts' work folders.
    package var workRoot: URL
    /// Wall-clock limit per script.
    package var timeoutSeconds: Double

    /// Creates a calibrator.
    ///
    /// - Parameters:
    ///   - runner: How scripts run.
    ///   - workRoot: Where work folders go (`<root>/<task>/<script>/`).
    ///   - timeoutSeconds: Limit per script.
    package init(runner: any ScriptRunner, workRoot: URL, timeoutSeconds: Double = 1800) {
        self.runner = runner
        self.workRoot = workRoot
        self.timeoutSeconds = timeoutSeconds
    }

    /// The measured scores of one task.
    package struct Result: Sendable, Hashable {
        /// The baseline's graded score.
        package var baseline: RecordedScore
        /// The reference's graded score.
        package var reference: RecordedScore
        /// Whether the reference is better than the baseline in the task's direction.
        package var referenceBeatsBaseline: Bool
        /// Seconds the baseline ran.
        package var baselineSeconds: Double
        /// Seconds the reference ran.
        package var referenceSeconds: Double
    }

    /// Runs and grades both scripts.
    ///
    /// - Parameters:
    ///   - task: A prepared task.
    ///   - date: The date recorded with the scores.
    /// - Returns: Both scores.
    /// - Throws: ``CalibrationError`` when a script fails or writes no valid submission;
    ///   ``GradingError`` when the task is not prepared.
    package func calibrate(_ task: TaskDefinition, date: Date = Date()) async throws -> Result {
        guard task.isPrepared else {
            throw GradingError("task \(task.id) is not prepared: run `starling tasks prepare \(task.id)`")
        }
        let day = ISO8601DateFormatter.string(from: date, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
        let source = "starling tasks calibrate, \(day), \(runner.environmentDescription)"
        let baseline = try await measure(task, script: task.baselineScriptURL)
        let reference = try await measure(task, script: task.referenceScriptURL)
        return Result(
            baseline: RecordedScore(value: baseline.score, source: source),
            reference: RecordedScore(value: reference.score, source: source),
            referenceBeatsBaseline: task.spec.direction.isBetter(reference.score, than: baseline.score),
            baselineSeconds: baseline.seconds, referenceSeconds: reference.seconds)
    }

    /// Writes calibrated scores into the task's `config.yaml`, leaving every other line as it
    /// was, and checks that the file still loads.
    ///
    /// - Parameters:
    ///   - result: Scores from ``calibrate(_:date:)``.
    ///   - task: The task.
    /// - Returns: The task as reloaded from the rewritten file.
    /// - Throws: ``TaskConfigError`` when the rewritten file would not load (nothing is written).
    @discardableResult
    package static func record(_ result: Result, in task: TaskDefinition) throws -> TaskDefinition {
        let text = try String(contentsOf: task.configURL, encoding: .utf8)
        var editor = TaskConfigEditor(text: text)
        editor.setScores(baseline: result.baseline, reference: result.reference)
        let updated = try TaskDefinition.parse(yaml: editor.text, file: task.configURL.path, folder: task.folder)
        try Data(editor.text.utf8).write(to: task.configURL, options: .atomic)
        return updated
    }

    private func measure(_ task: TaskDefinition, script: URL) async throws -> (score: Double, seconds: Double) {
        let name = script.lastPathComponent
        let files = FileManager.default
        guard files.fileExists(atPath: script.path) else {
            throw CalibrationError(taskID: task.id, script: name, message: "missing from \(task.folder.path)")
        }
        let work = workRoot.appendingPathComponent(task.id).appendingPathComponent(script.deletingPathExtension().lastPathComponent)
        if files.fileExists(atPath: work.path) { try files.removeItem(at: work) }
        try files.createDirectory(at: work, withIntermediateDirectories: true)
        let workspace = ScriptWorkspace(work)
        try workspace.prepare(code: try String(contentsOf: script, encoding: .utf8), input: .copy(task.publicURL))
        try ViewFiles.unpack(task.inputs.unpack, in: workspace.input)  // as the agent view does: train.zip -> train/
        let solution = workspace.script
        let outcome = try await runner.run(script: solution, workDir: work, timeoutSeconds: timeoutSeconds)
        guard outcome.succeeded else {
            throw CalibrationError(taskID: task.id, script: name, message: outcome.summary, outputTail: outcome.outputTail)
        }
        let submission = workspace.submission
        guard workspace.hasSubmission else {
            throw CalibrationError(taskID: task.id, script: name, message: "wrote no \(ScriptWorkspace.Name.submissionPath)", outputTail: outcome.outputTail)
        }
        do {
            return (try TaskGrader(task: task).score(submissionAt: submission), outcome.seconds)
        } catch {
            throw CalibrationError(taskID: task.id, script: name, message: "its submission cannot be graded: \(error)")
        }
    }
}
