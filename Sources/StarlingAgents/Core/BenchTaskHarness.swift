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
    /// For a task not laid out as `train.csv` + `test.csv`, the whole public data laid out as
    /// the view is (no dev rows, the task's own ids): the final run's input. `nil`: the task's
    /// public folder is that input.
    public let fullView: AgentView?

    public var spec: TaskSpec { definition.spec }
    public let taskDescription: String
    public var viewFolder: URL { view.folder }
    public var publicFolder: URL { fullView?.folder ?? definition.publicURL }
    public var hiddenPaths: [URL] {
        [definition.privateURL, definition.publicURL, view.secretsFolder, definition.answersURL]
            + (fullView.map { [$0.folder, $0.secretsFolder] } ?? [])
    }

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
        let layout = RunLayout(runFolder)
        view = try Self.openOrBuild(task, into: layout.view, secrets: layout.harness)
        if task.inputs.isStandard {
            fullView = nil
        } else {
            var whole = task
            whole.spec.devSplit = .none
            fullView = try Self.openOrBuild(whole, into: layout.fullView, secrets: layout.fullViewHarness)
        }
    }

    /// The view recorded in `secrets`, or a new one (on a run's first start).
    private static func openOrBuild(_ task: TaskDefinition, into folder: URL, secrets: URL) throws -> AgentView {
        if FileManager.default.fileExists(atPath: secrets.appendingPathComponent("view.json").path) {
            return try AgentView.open(secretsFolder: secrets)
        }
        try? FileManager.default.removeItem(at: folder)
        try? FileManager.default.removeItem(at: secrets)
        return try AgentViewBuilder(task: task).build(into: folder, secretsFolder: secrets)
    }

    public var sampleSubmission: URL? { definition.sampleSubmissionURL }

    public func gradeDev(submission: URL) throws -> Double? {
        try view.scoreDev(view.split(submissionAt: submission))
    }

    public func gradeFinal(submission: URL, reportFile: URL) throws -> Double? {
        try FinalSubmission.grade(definition, submission: submission, reportFile: reportFile)
    }
}
