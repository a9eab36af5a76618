import Foundation
import StarlingTestSupport
@testable import StarlingBench
import StarlingCore
import StarlingRuntime
import Testing

/// All 22 MLE-bench Lite competitions on the synthetic data of `tasks/mlebench-lite/synthesize.py`:
/// each imports without flags, grades its perfect, sample, random and invalid submissions as
/// MLE-bench's own graders did (`tasks/mlebench-lite/agreement.json`, recorded by
/// `bench/mlebench_agreement.py`), and gets an agent view whose test ids all have their files.
@Suite(.serialized) struct MLEBenchLiteTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let synthesizer = repository.appendingPathComponent("tasks/mlebench-lite/synthesize.py")
    static let agreement = repository.appendingPathComponent("tasks/mlebench-lite/agreement.json")

    struct Fixture: Decodable {
        struct Check: Decodable {
            var score: Double?
            var invalid: String?
        }
        struct Competition: Decodable {
            var grader: String
            var checks: [String: Check]
        }
        var competitions: [String: Competition]
    }

    static var python: String? {
        SolutionPython.isAvailable ? SolutionPython.url.path : Shell.which("python3")
    }

    /// Synthesizes the competitions and imports each one, as a user would without flags.
    static func imported() async throws -> (folder: TemporaryFolder, tasks: [String: TaskDefinition], fixture: Fixture) {
        let folder = try TemporaryFolder("lite")
        let python = try #require(python, "the Lite suite needs Python 3 (run `starling setup`)")
        let run = try await Shell.capture(python, [synthesizer.path, folder.file("lite").path])
        try #require(run.succeeded, "synthesize.py failed: \(run.standardError)")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: agreement))
        var tasks: [String: TaskDefinition] = [:]
        for id in fixture.competitions.keys.sorted() {
            let competition = folder.file("lite/\(id)")
            tasks[id] = try MLEBenchImporter(competitionFolder: competition, dataFolder: competition)
                .importTask(into: folder.file("tasks"), options: .init(linkData: true))
        }
        return (folder, tasks, fixture)
    }

    @Test func everyLiteCompetitionGradesAsMLEBenchsOwnGrader() async throws {
        guard Self.python != nil else { return }
        let (folder, tasks, fixture) = try await Self.imported()
        #expect(fixture.competitions.count == 22)
        var compared = 0
        for (id, competition) in fixture.competitions.sorted(by: { $0.key < $1.key }) {
            let task = try #require(tasks[id])
            for (check, expected) in competition.checks.sorted(by: { $0.key < $1.key }) {
                let report = try TaskGrader(task: task).report(submissionAt: folder.file("lite/\(id)/checks/\(check).csv"))
                if let score = expected.score {
                    let ours = try #require(report.score, "\(id) \(check): MLE-bench scores \(score), Starling rejects it: \(report.error ?? "")")
                    #expect(abs(ours - score) <= 1e-9, "\(id) \(check): Starling \(ours), MLE-bench \(score)")
                } else {
                    #expect(report.validSubmission == false, "\(id) \(check): MLE-bench rejects it (\(expected.invalid ?? "")), Starling scores \(String(describing: report.score))")
                    #expect(report.error?.isEmpty == false)
                }
                compared += 1
            }
            #expect(["perfect", "sample", "random"].allSatisfy(competition.checks.keys.contains), "\(id)")
            #expect(competition.checks.keys.contains { $0.hasPrefix("invalid-") }, "\(id)")
        }
        #expect(compared >= 22 * 4)
    }

    @Test func importFindsLayoutsIdsAndChecksWithoutFlags() async throws {
        guard Self.python != nil else { return }
        let (_, tasks, _) = try await Self.imported()
        // The id is the sample's first all-distinct column; Date is carried, not predicted.
        let insults = try #require(tasks["detecting-insults-in-social-commentary"])
        #expect(insults.spec.idColumn == "Comment")
        #expect(insults.spec.targetColumns == ["Insult"])
        #expect(insults.inputs.keepIDs)
        // Rows of text are a text task (its model cards are TF-IDF ones); images and tables are not.
        let textTasks = tasks.filter { $0.value.spec.taskType == .text }.keys.sorted()
        #expect(textTasks == ["detecting-insults-in-social-commentary", "jigsaw-toxic-comment-classification-challenge",
                              "random-acts-of-pizza", "spooky-author-identification"])
        #expect(tasks["new-york-city-taxi-fare-prediction"]?.inputs.keepIDs == false)  // time-stamp keys are not text
        // Labels in labels.csv behind 120 one-hot answer columns; test ids from the sample.
        let dogs = try #require(tasks["dog-breed-identification"])
        #expect(dogs.inputs.train == "labels.csv")
        #expect(dogs.inputs.labelColumn == "breed")
        #expect(dogs.inputs.test == nil)
        #expect(dogs.inputs.files == [TaskInputs.FilePattern(train: "train/{id}.jpg", test: "test/{id}.jpg")])
        #expect(dogs.spec.metric == .multiClassLogLoss && dogs.spec.targetColumns.count == 120)
        // Images in zip archives, ids that are file names.
        let cactus = try #require(tasks["aerial-cactus-identification"])
        #expect(cactus.inputs.unpack == ["test.zip", "train.zip"])
        #expect(cactus.inputs.files == [TaskInputs.FilePattern(train: "train/{id}", test: "test/{id}")])
        // Several target columns: ranzcr scores 9 columns of its 11 labels, jigsaw skips -1 rows.
        let ranzcr = try #require(tasks["ranzcr-clip-catheter-line-classification"])
        #expect(ranzcr.spec.metric == .rocAUCColumnMean && ranzcr.spec.targetColumns.count == 9)
        #expect(tasks["jigsaw-toxic-comment-classification-challenge"]?.submissionRules.unscoredAnswer == "-1")
        #expect(tasks["nomad2018-predict-transparent-conductors"]?.submissionRules.alignment == .position)
        #expect(tasks["spooky-author-identification"]?.submissionRules.idFirst == true)
        // Labels in file names: dogs-vs-cats' cat/dog (mapped to the answers' 0/1), the whale's _0/_1.
        let cats = try #require(tasks["dogs-vs-cats-redux-kernels-edition"])
        #expect(cats.inputs.namedLabels == TaskInputs.NamedLabels(folder: "train", token: 0, values: ["cat": "0", "dog": "1"]))
        #expect(cats.spec.devSplit == .random)
        #expect(tasks["the-icml-2013-whale-challenge-right-whale-redux"]?.inputs.namedLabels?.token == 4)
        // No training file Starling can split: the run scores scripts by their own validation.
        for id in ["denoising-dirty-documents", "mlsp-2013-birds", "text-normalization-challenge-english-language"] {
            #expect(tasks[id]?.spec.devSplit == DevSplit.none, "\(id)")
        }
        #expect(tasks.values.filter { $0.spec.devSplit == .random }.count == 18)
        // JSON records, with the zips that hold the same files unpacked in the view.
        let pizza = try #require(tasks["random-acts-of-pizza"])
        #expect(pizza.inputs.train == "train.json" && pizza.inputs.test == "test.json")
        #expect(pizza.inputs.unpack == ["test.zip", "train.zip"])
    }

    @Test func agentViewsHoldDevRowsOutOfFileBackedLayouts() async throws {
        guard Self.python != nil else { return }
        let (folder, tasks, _) = try await Self.imported()
        for (id, task) in tasks.sorted(by: { $0.key < $1.key }) {
            let viewFolder = folder.file("views/\(id)")
            let view = try AgentViewBuilder(task: task, seed: 1).build(into: viewFolder, secretsFolder: folder.file("secrets/\(id)"))
            if task.spec.devSplit == .random { #expect(view.devRowCount > 0, "\(id)") }
            // Every id of the view's sample has its files; the training files of dev rows are gone.
            let sample = try CSVTable.read(contentsOf: viewFolder.appendingPathComponent(task.sampleSubmissionURL.lastPathComponent))
            let ids = try #require(sample.column(task.spec.idColumn))
            for pattern in task.inputs.files {
                let missing = ids.filter { !FileManager.default.fileExists(atPath: viewFolder.appendingPathComponent(TaskInputs.FilePattern.item(pattern.test, id: $0)).path) }
                #expect(missing.isEmpty, "\(id): \(missing.count) test ids without \(pattern.test)")
            }
            for archive in task.inputs.unpack {
                #expect(!FileManager.default.fileExists(atPath: viewFolder.appendingPathComponent(archive).path), "\(id): \(archive) left packed")
            }
            // The view's own sample is a valid submission, and its dev part grades.
            let split = try view.split(sample)
            if view.devRowCount > 0 {
                #expect(split.dev.rowCount == view.devRowCount)
                #expect(try view.scoreDev(split) != nil)
            }
        }
        // Dev rows of dog-breed: one-hot answers from the breed label, files moved out of train/.
        let dogs = try #require(tasks["dog-breed-identification"])
        let secrets = folder.file("secrets/dog-breed-identification")
        let devAnswers = try CSVTable.read(contentsOf: secrets.appendingPathComponent(AgentView.devAnswersFile))
        #expect(devAnswers.header.count == 121)
        for r in 0..<devAnswers.rowCount {
            #expect(devAnswers.row(r).dropFirst().filter { $0 == "1" }.count == 1)
        }
        let trainLabels = try CSVTable.read(contentsOf: folder.file("views/dog-breed-identification/labels.csv"))
        let trainImages = try FileManager.default.contentsOfDirectory(atPath: folder.file("views/dog-breed-identification/train").path)
        #expect(trainImages.count == trainLabels.rowCount)
        // Per-row files are hard links to the public data, not second copies.
        let kept = try #require(trainImages.first)
        let links = try FileManager.default.attributesOfItem(atPath: folder.file("views/dog-breed-identification/train/\(kept)").path)[.referenceCount] as? NSNumber
        #expect((links?.intValue ?? 1) >= 2, "train/\(kept) has \(links?.intValue ?? 1) link(s)")
        #expect(trainLabels.rowCount + devAnswers.rowCount == (try CSVTable.read(contentsOf: dogs.trainURL)).rowCount)
        // Pizza's JSON records: the view's train.json lost the dev records, keeps JSON booleans,
        // and no zip in the view still holds the full training file.
        let pizzaView = folder.file("views/random-acts-of-pizza")
        let records = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: pizzaView.appendingPathComponent("train.json"))) as? [[String: Any]])
        let pizzaDev = try CSVTable.read(contentsOf: folder.file("secrets/random-acts-of-pizza").appendingPathComponent(AgentView.devAnswersFile))
        let pizzaTask = try #require(tasks["random-acts-of-pizza"])
        let allRecords = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: pizzaTask.trainURL)) as? [[String: Any]])
        #expect(records.count + pizzaDev.rowCount == allRecords.count && pizzaDev.rowCount > 0)
        #expect(Set(pizzaDev.column("requester_received_pizza") ?? []).isSubset(of: ["0", "1"]))
        #expect(!FileManager.default.fileExists(atPath: pizzaView.appendingPathComponent("train.zip").path))
        let note = try String(contentsOf: folder.file("views/dog-breed-identification/description.md"), encoding: .utf8)
        #expect(note.contains("labels.csv") && note.contains("test/{id}.jpg"))
    }
}
