import Foundation
import StarlingTestSupport
import StarlingBench
import StarlingCore
import Testing

@Suite struct AgentViewTests {
    /// Builds a view of a fresh synthetic task.
    func build(_ devSplit: DevSplit = .random, seed: UInt64 = 3) throws -> (SyntheticTask, AgentView, TemporaryFolder) {
        let synthetic = try SyntheticTask(devSplit: devSplit)
        let run = try TemporaryFolder("run")
        let view = try AgentViewBuilder(task: synthetic.task, seed: seed)
            .build(into: run.file("input"), secretsFolder: run.file("harness"))
        return (synthetic, view, run)
    }

    /// A submission for every row of the view's test file, predicted from features only.
    func predictAll(_ view: AgentView) throws -> CSVTable {
        let test = try CSVTable.read(contentsOf: view.folder.appendingPathComponent("test.csv"))
        return CSVTable(header: ["id", "churn"], columns: [test.column("id")!, test.column("x")!.map(SyntheticTask.predict)])
    }

    @Test func viewHoldsPublicFilesOnlyAndNoAnswerOrDevLabel() throws {
        let (synthetic, view, _) = try build()
        #expect(filesUnder(view.folder) == ["description.md", "layout.json", "sample_submission.csv", "test.csv", "train.csv"])

        let train = try CSVTable.read(contentsOf: view.folder.appendingPathComponent("train.csv"))
        let test = try CSVTable.read(contentsOf: view.folder.appendingPathComponent("test.csv"))
        let sample = try CSVTable.read(contentsOf: view.folder.appendingPathComponent("sample_submission.csv"))
        #expect(train.rowCount == 150)
        #expect(view.devRowCount == 50)
        #expect(test.rowCount == 60 + 50)
        #expect(test.header == ["id", "x", "note"])          // no target column in test
        #expect(sample.column("churn")!.allSatisfy { $0 == "0.5" })

        // Dev rows left train.csv: no remaining training id is a dev row's original id.
        let mapping = try CSVTable.read(contentsOf: view.secretsFolder.appendingPathComponent("mapping.csv"))
        let devOriginals = Set(zip(mapping.column("kind")!, mapping.column("original_id")!).filter { $0.0 == "dev" }.map(\.1))
        #expect(devOriginals.count == 50)
        #expect(Set(train.column("id")!).isDisjoint(with: devOriginals))

        // Every test id is fresh: none is a real test id or a training id, none repeats.
        let realTestIDs = Set(try CSVTable.read(contentsOf: synthetic.task.testURL!).column("id")!)
        let viewIDs = test.column("id")!
        #expect(Set(viewIDs).count == viewIDs.count)
        #expect(Set(viewIDs).isDisjoint(with: realTestIDs))
        #expect(Set(viewIDs).isDisjoint(with: synthetic.trainLabels.keys))
        #expect(Set(sample.column("id")!) == Set(viewIDs))

        // Nothing in the view mentions the secrets, and the secrets lie outside it.
        #expect(!view.secretsFolder.path.hasPrefix(view.folder.path + "/"))
        for name in filesUnder(view.folder) {
            let text = try String(contentsOf: view.folder.appendingPathComponent(name), encoding: .utf8)
            #expect(!text.contains("original_id") && !text.contains("view_id"))
        }
    }

    @Test func devRowsAreMixedIntoTestAndCannotBeToldApartByIdOrder() throws {
        let (_, view, _) = try build()
        let test = try CSVTable.read(contentsOf: view.folder.appendingPathComponent("test.csv"))
        let mapping = try CSVTable.read(contentsOf: view.secretsFolder.appendingPathComponent("mapping.csv"))
        let devIDs = Set(zip(mapping.column("view_id")!, mapping.column("kind")!).filter { $0.1 == "dev" }.map(\.0))
        let positions = test.column("id")!.enumerated().filter { devIDs.contains($0.element) }.map(\.offset)
        // Shuffled in: dev rows neither all at the end nor all at the start.
        #expect(positions.first! < 30 && positions.last! > 80)
        // Ids run in file order, so they tell nothing about which rows are dev rows.
        let ids = test.column("id")!.map { Int($0)! }
        #expect(ids == ids.sorted())
    }

    @Test func gradingTheSplitEqualsGradingTheDevRowsDirectly() throws {
        let (synthetic, view, _) = try build()
        let split = try view.split(try predictAll(view))
        let harnessScore = try #require(try view.scoreDev(split))

        // Directly: the training rows missing from the view's train.csv, scored on their features.
        let originalTrain = try CSVTable.read(contentsOf: synthetic.task.trainURL)
        let kept = Set(try CSVTable.read(contentsOf: view.folder.appendingPathComponent("train.csv")).column("id")!)
        let devRows = (0..<originalTrain.rowCount).filter { !kept.contains(originalTrain.column("id")![$0]) }
        let truth = devRows.map { originalTrain.column("churn")![$0] }
        let scores = devRows.map { Double(SyntheticTask.predict(x: originalTrain.column("x")![$0]))! }
        let direct = try Metrics.rocAUC(truth: truth, scores: scores)
        #expect(devRows.count == 50)
        #expect(harnessScore == direct)
        #expect(harnessScore > 0.6)   // the feature is informative, so this is no coin flip
    }

    @Test func testPartComesBackInTheTasksIdsAndOrderAndGradesLikeADirectSubmission() throws {
        let (synthetic, view, run) = try build()
        let split = try view.split(try predictAll(view))
        let originalSample = try CSVTable.read(contentsOf: synthetic.task.sampleSubmissionURL)
        #expect(split.test.column("id") == originalSample.column("id"))
        let url = run.file("final/submission.csv")
        try split.writeTest(to: url)

        let originalTest = try CSVTable.read(contentsOf: synthetic.task.testURL!)
        let direct = CSVTable(header: ["id", "churn"], columns: [originalTest.column("id")!, originalTest.column("x")!.map(SyntheticTask.predict)])
        let directURL = run.file("direct.csv")
        try direct.write(to: directURL)
        let grader = TaskGrader(task: synthetic.task)
        #expect(try grader.score(submissionAt: url) == grader.score(submissionAt: directURL))
    }

    @Test func splitValidatesAgainstTheViewsOwnSample() throws {
        let (_, view, _) = try build()
        var submission = try predictAll(view)
        submission = submission.selecting(rows: Array(0..<(submission.rowCount - 1)))
        let error = try #require(throws: SubmissionError.self) { try view.split(submission) }
        #expect(error.description.contains("has no row"))
    }

    @Test func tailSplitHoldsOutTheLastTrainingRows() throws {
        let (synthetic, view, _) = try build(.tail)
        let train = try CSVTable.read(contentsOf: view.folder.appendingPathComponent("train.csv"))
        let original = try CSVTable.read(contentsOf: synthetic.task.trainURL)
        #expect(train.column("id")! == Array(original.column("id")!.prefix(150)))
    }

    @Test func noneSplitCopiesTheTaskAsIsAndHasNoDevScore() throws {
        let (synthetic, view, _) = try build(.none)
        #expect(view.devRowCount == 0)
        let test = try CSVTable.read(contentsOf: view.folder.appendingPathComponent("test.csv"))
        #expect(test.column("id") == (try CSVTable.read(contentsOf: synthetic.task.testURL!)).column("id"))
        let split = try view.split(try predictAll(view))
        #expect(try view.scoreDev(split) == nil)
        #expect(split.test.rowCount == 60)
    }

    @Test func sameSeedSameDevRowsAndReopeningWorks() throws {
        let (synthetic, view, _) = try build(seed: 11)
        let other = try TemporaryFolder("other")
        let again = try AgentViewBuilder(task: synthetic.task, seed: 11).build(into: other.file("v"), secretsFolder: other.file("s"))
        #expect(view.devAnswers.columns == again.devAnswers.columns)
        let reopened = try AgentView.open(secretsFolder: view.secretsFolder)
        #expect(reopened.manifest == view.manifest)
    }

    @Test func refusesOverlappingOrNonEmptyFolders() throws {
        let synthetic = try SyntheticTask()
        let run = try TemporaryFolder("run")
        let builder = AgentViewBuilder(task: synthetic.task)
        #expect(throws: AgentViewError.self) { try builder.build(into: run.file("v"), secretsFolder: run.file("v/secrets")) }
        try run.write("busy/file.txt", "x")
        #expect(throws: AgentViewError.self) { try builder.build(into: run.file("busy"), secretsFolder: run.file("s")) }
    }
}
