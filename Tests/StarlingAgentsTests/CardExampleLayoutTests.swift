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
    func runExample(_ cardID: String, on view: AgentView, root: URL) async throws -> Double? {
        let card = try #require(try KnowledgeBase.bundled().cards.first { $0.id == cardID })
        let work = root.appendingPathComponent("run-\(cardID)-\(view.manifest.taskID)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: work.appendingPathComponent("input"), withDestinationURL: view.folder)
        try card.example.write(to: work.appendingPathComponent("solution.py"), atomically: true, encoding: .utf8)
        let run = try await Shell.capture(agentTestPython().path, ["solution.py"], workingDirectory: work)
        try #require(run.succeeded, "\(cardID) on \(view.manifest.taskID): \(run.standardError.suffix(1500))")
        return try view.scoreDev(view.split(submissionAt: work.appendingPathComponent("submission/submission.csv")))
    }

    @Test func cardExamplesRunOnMLEBenchLayouts() async throws {
        guard FileManager.default.isExecutableFile(atPath: agentTestPython().path),
              (try? await Shell.capture(agentTestPython().path, ["-c", "import lightgbm, sklearn, PIL"]))?.succeeded == true else { return }
        let root = try agentScratch()
        // Images named by id in zips, no test.csv: pixel columns make the synthetic cacti learnable.
        let cactus = try await view("aerial-cactus-identification", root: root)
        #expect(FileManager.default.fileExists(atPath: cactus.folder.appendingPathComponent(AgentView.layoutFile).path))
        let auc = try #require(try await runExample("lightgbm-tabular", on: cactus, root: root))
        #expect(auc > 0.8, "AUC \(auc) on the hidden dev rows")
        // One label column, three probability columns that must sum to 1 per row.
        let spooky = try await view("spooky-author-identification", root: root)
        let logLoss = try #require(try await runExample("tfidf-logistic-text", on: spooky, root: root))
        #expect(logLoss < log(3.0), "log loss \(logLoss) is no better than uniform")
        // Labels in the training files' names, images in zips.
        let cats = try await view("dogs-vs-cats-redux-kernels-edition", root: root)
        let catLogLoss = try #require(try await runExample("lightgbm-tabular", on: cats, root: root))
        #expect(catLogLoss < log(2.0), "log loss \(catLogLoss)")
        // The id column is the comment text, and the only input.
        let insults = try await view("detecting-insults-in-social-commentary", root: root)
        let insultAUC = try #require(try await runExample("tfidf-logistic-text", on: insults, root: root))
        #expect(insultAUC > 0.7, "AUC \(insultAUC)")
    }
}
