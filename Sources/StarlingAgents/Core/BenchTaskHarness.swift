import Foundation
public import StarlingBench
public import StarlingCore
import StarlingRunFolder

/// A ``TaskHarness`` over a bundled or imported task: the agent view with hidden dev rows lives
/// in the run folder (`view/`, secrets in `.harness/`), and grading uses StarlingBench's graders.
public struct BenchTaskHarness: TaskHarness {
    /// The task.
    public let definition: TaskDefinition
    /// The agent view and its dev-row mapping.
    public let view: AgentView

    public var spec: TaskSpec { definition.spec }
    public let taskDescription: String
    public var viewFolder: URL { view.folder }
    public var publicFolder: URL { definition.publicURL }
    public var hiddenPaths: [URL] { [definition.privateURL, definition.publicURL, view.secretsFolder, definition.answersURL] }

    /// Opens the run's agent view, building it on first use.
    ///
    /// - Parameters:
    ///   - task: A prepared task.
    ///   - runFolder: The run folder.
    /// - Throws: ``AgentError`` when the task is not prepared; view-building errors otherwise.
    public init(task: TaskDefinition, runFolder: URL) throws {
        guard task.isPrepared else {
            throw AgentError("task \(task.id) is not prepared: run `starling tasks prepare \(task.id)`")
        }
        definition = task
        // The layout note goes first: prompts keep only the start of a long description.
        taskDescription = (task.layoutNote.map { $0 + "\n\n" } ?? "")
            + ((try? String(contentsOf: task.descriptionURL, encoding: .utf8)) ?? task.spec.name)
        let secrets = runFolder.appendingPathComponent(".harness")
        if FileManager.default.fileExists(atPath: secrets.appendingPathComponent("view.json").path) {
            view = try AgentView.open(secretsFolder: secrets)
        } else {
            try? FileManager.default.removeItem(at: RunLayout(runFolder).view)
            try? FileManager.default.removeItem(at: secrets)
            view = try AgentViewBuilder(task: task).build(into: RunLayout(runFolder).view, secretsFolder: secrets)
        }
    }

    public func gradeDev(submission: URL) throws -> Double? {
        try view.scoreDev(view.split(submissionAt: submission))
    }

    public func gradeFinal(submission: URL, reportFile: URL) throws -> Double? {
        try FinalSubmission.grade(definition, submission: submission, reportFile: reportFile)
    }
}
