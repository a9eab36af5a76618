import Foundation
import Testing
@testable import StarlingAgents
import StarlingBench
import StarlingRuntime

/// The model cards' examples read a view's `layout.json`, so the same unchanged script runs on
/// MLE-bench layouts: images in zips named by id with test ids only in the sample
/// (aerial-cactus), a label column behind one-hot answers (spooky), an id that is the text
/// itself (detecting-insults). Real Python, real synthetic competitions, real agent views.
@Suite(.serialized) struct CardExampleLayoutTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Synthesizes, imports and views one Lite competition.
    func view(_ id: String, root: URL) async throws -> AgentView {
        let python = agentTestPython()
        let synthesizer = Self.repository.appendingPathComponent("tasks/mlebench-lite/synthesize.py")
        let made = try await Shell.capture(python.path, [synthesizer.path, root.appendingPathComponent("lite").path, "--only", id])
        try #require(made.succeeded, "synthesize.py: \(made.standardError)")
        let competition = root.appendingPathComponent("lite/\(id)")
        let task = try MLEBenchImporter(competitionFolder: competition, dataFolder: competition)
            .importTask(into: root.appendingPathComponent("tasks"), options: .init(linkData: true))
        return try AgentViewBuilder(task: task, seed: 2).build(into: root.appendingPathComponent("view-\(id)"),
                                                                secretsFolder: root.appendingPathComponent("secrets-\(id)"))
    }

    /// Runs a card's unchanged example on the view; returns its dev score.
    func runExample(_ cardID: String, on view: AgentView, root: URL, environment: [String: String] = [:],
                    expectOutput: String? = nil) async throws -> Double? {
        let card = try #require(try KnowledgeBase.bundled().cards.first { $0.id == cardID })
        let work = root.appendingPathComponent("run-\(cardID)-\(view.manifest.taskID)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: work.appendingPathComponent("input"), withDestinationURL: view.folder)
        #expect(LayoutAdapter.isNeeded(viewFolder: view.folder))
        try LayoutAdapter.adapt(card.example).write(to: ScriptWorkspace(work).script, atomically: true, encoding: .utf8)
        let run = try await Shell.capture(agentTestPython().path, [ScriptWorkspace.Name.script], environment: environment, workingDirectory: work)
        try #require(run.succeeded, "\(cardID) on \(view.manifest.taskID): \(run.standardError.suffix(1500))")
        if let expectOutput { #expect(run.standardOutput.contains(expectOutput), "\(run.standardOutput.suffix(600))") }
        return try view.scoreDev(view.split(submissionAt: ScriptWorkspace(work).submission))
    }

    /// A folder with no `layout.json` (a task's own public folder, as the final run of a
    /// `train.csv` + `test.csv` task reads it) works as it always did.
    @Test func cardExamplesRunWithoutALayoutFile() async throws {
        guard (try? await Shell.capture(agentTestPython().path, ["-c", "import lightgbm, sklearn"]))?.succeeded == true else { return }
        let root = try agentScratch()
        let data = root.appendingPathComponent("public")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        var train = "id,x,colour,y\n", test = "id,x,colour\n", sample = "id,y\n"
        for i in 0..<120 {
            let x = Double(i % 17) / 17
            train += "\(i),\(x),\(i % 3 == 0 ? "red" : "blue"),\(x > 0.5 ? 1 : 0)\n"
        }
        for i in 120..<160 {
            test += "\(i),\(Double(i % 13) / 13),red\n"
            sample += "\(i),0.5\n"
        }
        try train.write(to: data.appendingPathComponent("train.csv"), atomically: true, encoding: .utf8)
        try test.write(to: data.appendingPathComponent("test.csv"), atomically: true, encoding: .utf8)
        try sample.write(to: data.appendingPathComponent("sample_submission.csv"), atomically: true, encoding: .utf8)
        let card = try #require(try KnowledgeBase.bundled().cards.first { $0.id == "lightgbm-tabular" })
        let work = root.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: work.appendingPathComponent("input"), withDestinationURL: data)
        try card.example.write(to: ScriptWorkspace(work).script, atomically: true, encoding: .utf8)
        let run = try await Shell.capture(agentTestPython().path, [ScriptWorkspace.Name.script], workingDirectory: work)
        try #require(run.succeeded, "\(run.standardError.suffix(1500))")
        let written = try String(contentsOf: ScriptWorkspace(work).submission, encoding: .utf8)
        #expect(written.hasPrefix("id,y\n120,"))
        #expect(written.split(separator: "\n").count == 41)
    }

    /// Every bundled card's example has the fragments the adapter replaces, and a plain
    /// `train.csv` + `test.csv` view keeps the short examples.
    @Test func everyCardIsAdaptedOnlyWhereTheLayoutNeedsIt() throws {
        let cards = try KnowledgeBase.bundled().cards
        for card in cards {
            let adapted = LayoutAdapter.adapt(card.example)
            #expect(adapted.contains("LAYOUT = json.load(open(\"input/layout.json\"))"), "\(card.id)")
            #expect(adapted.contains("\nimport json\n"), "\(card.id)")
            if card.example.contains("\ndef fit_predict(") { #expect(adapted.contains("def class_probabilities("), "\(card.id)") }
        }
        let folder = try agentScratch()
        try #"{"id_column": "id", "train": "train.csv", "test": "test.csv", "sample_submission": "sample_submission.csv", "files": [], "label_column": null}"#
            .write(to: folder.appendingPathComponent("layout.json"), atomically: true, encoding: .utf8)
        try "id,y\n1,0\n".write(to: folder.appendingPathComponent("sample_submission.csv"), atomically: true, encoding: .utf8)
        #expect(!LayoutAdapter.isNeeded(viewFolder: folder))
        try #"{"id_column": "id", "train": "labels.csv", "test": null, "sample_submission": "sample_submission.csv", "files": [], "label_column": null}"#
            .write(to: folder.appendingPathComponent("layout.json"), atomically: true, encoding: .utf8)
        #expect(LayoutAdapter.isNeeded(viewFolder: folder))
    }

    @Test func cardExamplesRunOnMLEBenchLayouts() async throws {
        guard FileManager.default.isExecutableFile(atPath: agentTestPython().path),
              (try? await Shell.capture(agentTestPython().path, ["-c", "import lightgbm, sklearn, PIL"]))?.succeeded == true else { return }
        let root = try agentScratch()
        // Images named by id in zips, no test.csv: pixel columns make the synthetic cacti learnable.
        let cactus = try await view("aerial-cactus-identification", root: root)
        #expect(FileManager.default.fileExists(atPath: cactus.folder.appendingPathComponent(AgentView.layoutFile).path))
        let auc = try #require(try await runExample("lightgbm-tabular", on: cactus, root: root, expectOutput: "16x16 grey pixels"))
        #expect(auc > 0.8, "AUC \(auc) on the hidden dev rows")
        // With the zoo installed (as `make test` installs it), the same example reads the images as
        // pretrained features through the run's zoo access instead.
        let home = StarlingHome.resolve()
        if let zoo = ZooAccess.forRun(home: home, runFolder: root) {
            let request = zoo.apply(to: ExecutionRequest(script: root, workDir: root, python: agentTestPython()))
            let zooAUC = try #require(try await runExample("logistic-regression", on: cactus, root: root.appendingPathComponent("zoo"),
                                                           environment: request.environment, expectOutput: "the zoo's mobilenet_v2, 1280 each"))
            #expect(zooAUC > 0.5, "AUC \(zooAUC) from pretrained features")
            // Sounds named by id (.aif): Whisper's encoder features, through the same access.
            let whale = try await view("the-icml-2013-whale-challenge-right-whale-redux", root: root)
            #expect(try await runExample("logistic-regression", on: whale, root: root.appendingPathComponent("zoo-sound"),
                                         environment: request.environment, expectOutput: "sound features: the zoo's whisper_tiny_en, 1536 each") != nil)
        }
        // One label column, three probability columns that must sum to 1 per row.
        let spooky = try await view("spooky-author-identification", root: root)
        let logLoss = try #require(try await runExample("tfidf-logistic-text", on: spooky, root: root))
        #expect(logLoss < log(3.0), "log loss \(logLoss) is no better than uniform")
        // Labels in the training files' names, images in zips.
        let cats = try await view("dogs-vs-cats-redux-kernels-edition", root: root)
        let catLogLoss = try #require(try await runExample("lightgbm-tabular", on: cats, root: root))
        #expect(catLogLoss < log(2.0), "log loss \(catLogLoss)")
        // JSON records with a boolean target, graded by AUC: probabilities, not True/False.
        let pizza = try await view("random-acts-of-pizza", root: root)
        #expect(try await runExample("lightgbm-tabular", on: pizza, root: root) != nil)
        // The id column is the comment text, and the only input.
        let insults = try await view("detecting-insults-in-social-commentary", root: root)
        let insultAUC = try #require(try await runExample("tfidf-logistic-text", on: insults, root: root))
        #expect(insultAUC > 0.7, "AUC \(insultAUC)")
    }
}
