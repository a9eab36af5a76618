import Foundation
import StarlingCore

/// A task folder: its `config.yaml` read into a ``TaskSpec`` plus the files around it.
///
/// Layout: `config.yaml`, `description.md`, `prepare.py`, `baseline.py`, `reference.py`,
/// optional `leaderboard.csv`, and after preparation `prepared/public/` (what an agent may
/// see) and `prepared/private/` (answers).
package struct TaskDefinition: Sendable, Hashable {
    /// Starling's view of the task.
    package var spec: TaskSpec
    /// The task folder.
    package var folder: URL
    /// MLE-bench's `competition_type`, e.g. `simple`.
    package var competitionType: String
    /// `dataset.answers`, relative to the task folder.
    package var answersPath: String
    /// `dataset.sample_submission`, relative to the task folder.
    package var sampleSubmissionPath: String
    /// Where the data comes from.
    package var source: String?
    /// `prepare.seed`.
    package var prepareSeed: Int?
    /// `prepare.checksums`: SHA-256 of prepared files, keyed by path relative to `prepared/`.
    package var checksums: [String: String]
    /// `grader.pos_label`: the positive class for binary F1.
    package var positiveLabel: String
    /// `grader.k`: the cut-off for MAP@K.
    package var k: Int?
    /// How strictly submissions are read (`grader.columns`, `grader.align`, ...).
    package var submissionRules: SubmissionRules
    /// Where the training rows, test ids and per-row files are (`inputs`).
    package var inputs: TaskInputs
    /// A code repository the agent may read and import (`repo:` in config.yaml, relative to the
    /// task folder or absolute); `--repo` overrides it.
    package var repository: String?

    /// The repository's folder, when the task names one.
    package var repositoryURL: URL? {
        repository.map { $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : folder.appendingPathComponent($0) }
    }

    /// Creates a definition.
    package init(
        spec: TaskSpec, folder: URL, competitionType: String = "simple",
        answersPath: String = "prepared/private/answers.csv",
        sampleSubmissionPath: String = "prepared/public/sample_submission.csv",
        source: String? = nil, prepareSeed: Int? = nil, checksums: [String: String] = [:],
        positiveLabel: String = "1", k: Int? = nil, submissionRules: SubmissionRules = .strict,
        inputs: TaskInputs = .standard
    ) {
        self.spec = spec
        self.folder = folder.standardizedFileURL
        self.competitionType = competitionType
        self.answersPath = answersPath
        self.sampleSubmissionPath = sampleSubmissionPath
        self.source = source
        self.prepareSeed = prepareSeed
        self.checksums = checksums
        self.positiveLabel = positiveLabel
        self.k = k
        self.submissionRules = submissionRules
        self.inputs = inputs
    }

    /// The task id.
    package var id: String { spec.id }
    /// `config.yaml`.
    package var configURL: URL { folder.appendingPathComponent("config.yaml") }
    /// `description.md`, the task statement shown to agents.
    package var descriptionURL: URL { folder.appendingPathComponent("description.md") }
    /// `prepare.py`.
    package var prepareScriptURL: URL { folder.appendingPathComponent("prepare.py") }
    /// `baseline.py`.
    package var baselineScriptURL: URL { folder.appendingPathComponent("baseline.py") }
    /// `reference.py`.
    package var referenceScriptURL: URL { folder.appendingPathComponent("reference.py") }
    /// `leaderboard.csv`, present for imported competitions.
    package var leaderboardURL: URL { folder.appendingPathComponent("leaderboard.csv") }
    /// `prepared/`.
    package var preparedURL: URL { folder.appendingPathComponent("prepared") }
    /// `prepared/public/`: everything an agent may see.
    package var publicURL: URL { preparedURL.appendingPathComponent("public") }
    /// `prepared/private/`: never shown to an agent.
    package var privateURL: URL { preparedURL.appendingPathComponent("private") }
    /// The answers file.
    package var answersURL: URL { folder.appendingPathComponent(answersPath) }
    /// The sample submission.
    package var sampleSubmissionURL: URL { folder.appendingPathComponent(sampleSubmissionPath) }
    /// The public training file (`inputs.train`, default `train.csv`).
    package var trainURL: URL { publicURL.appendingPathComponent(inputs.train) }
    /// The public test file (`inputs.test`, default `test.csv`); `nil` when the test ids are only
    /// in the sample submission.
    package var testURL: URL? { inputs.test.map(publicURL.appendingPathComponent) }

    /// The note on a non-standard layout (``TaskInputs/describe(idColumn:targets:sampleFile:)``).
    package var layoutNote: String? {
        inputs.describe(idColumn: spec.idColumn, targets: spec.targetColumns, sampleFile: sampleSubmissionURL.lastPathComponent,
                        trainExists: inputs.namedLabels != nil || FileManager.default.fileExists(atPath: trainURL.path))
    }

    /// Whether the prepared answers and sample submission exist.
    package var isPrepared: Bool {
        let files = FileManager.default
        return files.fileExists(atPath: answersURL.path) && files.fileExists(atPath: sampleSubmissionURL.path)
    }

    /// A grader for this task's metric and columns.
    package var grader: Grader {
        Grader(metric: spec.metric, idColumn: spec.idColumn, targetColumns: spec.targetColumns, positiveLabel: positiveLabel, k: k,
               rules: submissionRules)
    }

    /// A validator for submissions against `sample` (the task's sample submission, or a view's).
    package func validator(sample: CSVTable) -> SubmissionValidator {
        SubmissionValidator(sample: sample, idColumn: spec.idColumn, metric: spec.metric,
                            targetColumns: spec.targetColumns, rules: submissionRules)
    }
}
