import Foundation
import StarlingBench
import StarlingCore
import StarlingRunFolder

/// A ``TaskHarness`` over a bundled or imported task: the agent view with hidden dev rows lives
/// in the run folder (`view/`, secrets in `.harness/`), and grading uses StarlingBench's graders.
package struct BenchTaskHarness: TaskHarness {
    /// The task.
    package let definition: TaskDefinition
    /// The agent view and its dev-row mapping.
    package let view: AgentView
    /// For a task not laid out as `train.csv` + `test.csv`, the whole public data laid out as
    /// the view is (no dev rows, the task's own ids): the final run's input. `nil`: the task's
    /// public folder is that input.
    package let fullView: AgentView?

    package var spec: TaskSpec { definition.spec }
    package let taskDescription: String
    package var viewFolder: URL { view.folder }
    package var publicFolder: URL { fullView?.folder ?? definition.publicURL }
    package var hiddenPaths: [URL] {
        [definition.privateURL, definition.publicURL, view.secretsFolder, definition.answersURL]
            + (fullView.map { [$0.folder, $0.secretsFolder] } ?? [])
    }

    /// Opens the run's agent view, building it on first use.
    ///
    /// - Parameters:
    ///   - task: A prepared task.
    ///   - runFolder: The run folder.
    /// - Throws: ``AgentError`` when the task is not prepared; view-building errors otherwise.
    package init(task: TaskDefinition, runFolder: URL) throws {
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
    private static func openOrBuild(_ task: TaskDefinition, into folder: URL, secrets: URL, fold: DevFold? = nil) throws -> AgentView {
        if FileManager.default.fileExists(atPath: secrets.appendingPathComponent("view.json").path) {
            return try AgentView.open(secretsFolder: secrets)
        }
        try? FileManager.default.removeItem(at: folder)
        try? FileManager.default.removeItem(at: secrets)
        return try AgentViewBuilder(task: task, fold: fold).build(into: folder, secretsFolder: secrets)
    }

    package var sampleSubmission: URL? { definition.sampleSubmissionURL }

    package func gradeDev(submission: URL) throws -> Double? {
        try view.scoreDev(view.split(submissionAt: submission))
    }

    package func foldViews(count: Int, layout: RunLayout) throws -> [AgentView]? {
        let split = definition.spec.devSplit
        guard count >= 2, split == .random || split == .tail, definition.inputs.isStandard, view.devRowCount > 0 else { return nil }
        let window = split == .tail ? try forwardWindow(count: count) : nil
        if split == .tail, window == nil { return nil }
        let fm = FileManager.default
        // The fold views are built from the agent view as if it were a task: its files are the
        // public data, and the dev rows of fold k are the k-th fold of its training rows.
        let scaffold = layout.crossValidationHarness.appendingPathComponent("task")
        let publicFolder = scaffold.appendingPathComponent("prepared/public")
        if !fm.fileExists(atPath: publicFolder.path) {
            try fm.createDirectory(at: scaffold.appendingPathComponent("prepared/private"), withIntermediateDirectories: true)
            try fm.createSymbolicLink(at: publicFolder, withDestinationURL: view.folder)
            try Data((([definition.spec.idColumn] + definition.spec.targetColumns).joined(separator: ",") + "\n").utf8)
                .write(to: scaffold.appendingPathComponent("prepared/private/answers.csv"))
        }
        let source = TaskDefinition(spec: definition.spec, folder: scaffold, sampleSubmissionPath: "prepared/public/" + definition.sampleSubmissionURL.lastPathComponent,
                                    positiveLabel: definition.positiveLabel, k: definition.k, submissionRules: definition.submissionRules,
                                    inputs: definition.inputs)
        return try (0..<count).map { k in
            try Self.openOrBuild(source, into: layout.foldView(k), secrets: layout.foldSecrets(k), fold: DevFold(index: k, count: count, window: window))
        }
    }

    /// The window of a forward-chaining fold on a time series: as many rows as the task's test
    /// horizon (its sample submission), fewer when `count` such windows would leave less than
    /// one window to train on; `nil` when the training rows are too few for any.
    private func forwardWindow(count: Int) throws -> Int? {
        let trainRows = try CSVTable.read(contentsOf: view.folder.appendingPathComponent(definition.inputs.train)).rowCount
        let horizon = try CSVTable.read(contentsOf: definition.sampleSubmissionURL).rowCount
        let window = min(horizon, trainRows / (count + 1))
        return window >= 1 ? window : nil
    }

    package func gradeFinal(submission: URL, reportFile: URL) throws -> Double? {
        try FinalSubmission.grade(definition, submission: submission, reportFile: reportFile)
    }
}
