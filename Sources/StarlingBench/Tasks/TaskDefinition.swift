import Foundation
import StarlingCore

/// A task folder: its `config.yaml` read into a ``TaskSpec`` plus the files around it.
///
/// Layout: `config.yaml`, `description.md`, `prepare.py`, `baseline.py`, `reference.py`,
/// optional `leaderboard.csv`, and after preparation `prepared/public/` (what an agent may
/// see) and `prepared/private/` (answers).
public struct TaskDefinition: Sendable, Hashable {
    /// Starling's view of the task.
    public var spec: TaskSpec
    /// The task folder.
    public var folder: URL
    /// MLE-bench's `competition_type`, e.g. `simple`.
    public var competitionType: String
    /// `dataset.answers`, relative to the task folder.
    public var answersPath: String
    /// `dataset.sample_submission`, relative to the task folder.
    public var sampleSubmissionPath: String
    /// Where the data comes from.
    public var source: String?
    /// `prepare.seed`.
    public var prepareSeed: Int?
    /// `prepare.checksums`: SHA-256 of prepared files, keyed by path relative to `prepared/`.
    public var checksums: [String: String]
    /// `grader.pos_label`: the positive class for binary F1.
    public var positiveLabel: String
    /// `grader.k`: the cut-off for MAP@K.
    public var k: Int?
    /// How strictly submissions are read (`grader.columns`, `grader.align`, ...).
    public var submissionRules: SubmissionRules
    /// Where the training rows, test ids and per-row files are (`inputs`).
    public var inputs: TaskInputs
    /// A code repository the agent may read and import (`repo:` in config.yaml, relative to the
    /// task folder or absolute); `--repo` overrides it.
    public var repository: String?

    /// The repository's folder, when the task names one.
    public var repositoryURL: URL? {
        repository.map { $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : folder.appendingPathComponent($0) }
    }

    /// Creates a definition.
    public init(
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
    public var id: String { spec.id }
    /// `config.yaml`.
    public var configURL: URL { folder.appendingPathComponent("config.yaml") }
    /// `description.md`, the task statement shown to agents.
    public var descriptionURL: URL { folder.appendingPathComponent("description.md") }
    /// `prepare.py`.
    public var prepareScriptURL: URL { folder.appendingPathComponent("prepare.py") }
    /// `baseline.py`.
    public var baselineScriptURL: URL { folder.appendingPathComponent("baseline.py") }
    /// `reference.py`.
    public var referenceScriptURL: URL { folder.appendingPathComponent("reference.py") }
    /// `leaderboard.csv`, present for imported competitions.
    public var leaderboardURL: URL { folder.appendingPathComponent("leaderboard.csv") }
    /// `prepared/`.
    public var preparedURL: URL { folder.appendingPathComponent("prepared") }
    /// `prepared/public/`: everything an agent may see.
    public var publicURL: URL { preparedURL.appendingPathComponent("public") }
    /// `prepared/private/`: never shown to an agent.
    public var privateURL: URL { preparedURL.appendingPathComponent("private") }
    /// The answers file.
    public var answersURL: URL { folder.appendingPathComponent(answersPath) }
    /// The sample submission.
    public var sampleSubmissionURL: URL { folder.appendingPathComponent(sampleSubmissionPath) }
    /// The public training file (`inputs.train`, default `train.csv`).
    public var trainURL: URL { publicURL.appendingPathComponent(inputs.train) }
    /// The public test file (`inputs.test`, default `test.csv`); `nil` when the test ids are only
    /// in the sample submission.
    public var testURL: URL? { inputs.test.map(publicURL.appendingPathComponent) }

    /// The note on a non-standard layout (``TaskInputs/describe(idColumn:targets:sampleFile:)``).
    public var layoutNote: String? {
        inputs.describe(idColumn: spec.idColumn, targets: spec.targetColumns, sampleFile: sampleSubmissionURL.lastPathComponent,
                        trainExists: inputs.namedLabels != nil || FileManager.default.fileExists(atPath: trainURL.path))
    }

    /// Whether the prepared answers and sample submission exist.
    public var isPrepared: Bool {
        let files = FileManager.default
        return files.fileExists(atPath: answersURL.path) && files.fileExists(atPath: sampleSubmissionURL.path)
    }

    /// A grader for this task's metric and columns.
    public var grader: Grader {
        Grader(metric: spec.metric, idColumn: spec.idColumn, targetColumns: spec.targetColumns, positiveLabel: positiveLabel, k: k,
               rules: submissionRules)
    }

    /// A validator for submissions against `sample` (the task's sample submission, or a view's).
    public func validator(sample: CSVTable) -> SubmissionValidator {
        SubmissionValidator(sample: sample, idColumn: spec.idColumn, metric: spec.metric,
                            targetColumns: spec.targetColumns, rules: submissionRules)
    }
}
