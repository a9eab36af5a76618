import Foundation
import Testing
@testable import StarlingAgents
import StarlingBench
import StarlingCore
import StarlingRunFolder
import StarlingRuntime
import StarlingStore

/// Cross-validated choices, with real Python on a real (synthetic) task: the fold views, the fold
/// runner, the noise rule that keeps an incumbent, and stacking on out-of-fold predictions.
@Suite(.serialized) struct CrossValidationTests {
    /// A binary task whose label needs both features: `y = 1` when `x1 + x2 + noise > 0`. A
    /// model of one feature alone is weak; the two together are strong, so a stack of the two
    /// one-feature models clearly beats either.
    static func makeTask(root: URL, trainRows: Int = 400) throws -> TaskDefinition {
        let folder = root.appendingPathComponent("task")
        let publicFolder = folder.appendingPathComponent("prepared/public")
        let privateFolder = folder.appendingPathComponent("prepared/private")
        try FileManager.default.createDirectory(at: publicFolder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: privateFolder, withIntermediateDirectories: true)
        var state: UInt64 = 12345
        func uniform() -> Double {  // a fixed sequence: the task is the same in every run
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        func row(_ id: Int) -> (String, String) {
            let x1 = uniform() * 2 - 1, x2 = uniform() * 2 - 1, noise = uniform() * 2 - 1
            let y = x1 + x2 + 0.6 * noise > 0 ? 1 : 0
            return (String(format: "%d,%.5f,%.5f", id, x1, x2), String(y))
        }
        var train = "id,x1,x2,y\n", test = "id,x1,x2\n", sample = "id,y\n", answers = "id,y\n"
        for id in 0..<trainRows {
            let (features, y) = row(id)
            train += "\(features),\(y)\n"
        }
        for id in trainRows..<(trainRows + 150) {
            let (features, y) = row(id)
            test += features + "\n"
            sample += "\(id),0.5\n"
            answers += "\(id),\(y)\n"
        }
        try train.write(to: publicFolder.appendingPathComponent("train.csv"), atomically: true, encoding: .utf8)
        try test.write(to: publicFolder.appendingPathComponent("test.csv"), atomically: true, encoding: .utf8)
        try sample.write(to: publicFolder.appendingPathComponent("sample_submission.csv"), atomically: true, encoding: .utf8)
        try answers.write(to: privateFolder.appendingPathComponent("answers.csv"), atomically: true, encoding: .utf8)
        try "Predict y from x1 and x2.".write(to: folder.appendingPathComponent("description.md"), atomically: true, encoding: .utf8)
        let spec = TaskSpec(id: "cv-toy", name: "CV toy", metric: .rocAUC, direction: .higher, taskType: .binaryClassification,
                            idColumn: "id", targetColumns: ["y"], baseline: RecordedScore(value: 0.5, source: "test"),
                            reference: RecordedScore(value: 0.95, source: "test"))
        return TaskDefinition(spec: spec, folder: folder)
    }

    /// A function-structured script: logistic regression on `features`, its predictions from
    /// `fit_predict`; `jitter` adds a tiny, seeded change to the predictions.
    static func script(features: [String], jitter: Double = 0, seed: Int = 0) -> String {
        """
        import os
        import numpy as np
        import pandas as pd
        from sklearn.linear_model import LogisticRegression

        FEATURES = [\(features.map { "\"\($0)\"" }.joined(separator: ", "))]
        train = pd.read_csv("input/train.csv")
        test = pd.read_csv("input/test.csv")


        def fit_predict(x_fit, y_fit, x_other):
            proba = LogisticRegression().fit(x_fit, y_fit).predict_proba(x_other)[:, 1]
            return np.clip(proba + \(jitter) * np.random.default_rng(\(seed)).standard_normal(len(proba)), 0, 1)


        os.makedirs("submission", exist_ok=True)
        prediction = fit_predict(train[FEATURES], train["y"], test[FEATURES])
        pd.DataFrame({"id": test["id"], "y": prediction}).to_csv("submission/submission.csv", index=False)
        """
    }

    static func card(_ id: String, _ code: String) throws -> ModelCard {
        try toyCard(id, example: "```python\n\(code)\n```")
    }

    func runner(_ strategy: any SearchStrategy, cards: [ModelCard], root: URL, settings: AgentSettings? = nil) async throws -> AgentRunner {
        let task = try Self.makeTask(root: root)
        let runFolder = root.appendingPathComponent("run")
        var chosen = settings ?? smallSettings(candidates: cards.count)
        chosen.cvFolds = 5
        return AgentRunner(task: try BenchTaskHarness(task: task, runFolder: runFolder), strategy: strategy, settings: chosen, budget: Budget(),
                           clients: [.coder: NoModelClient()], runFolder: runFolder, sandbox: try await Sandbox.probing(),
                           python: agentTestPython(), libraries: "numpy, pandas, scikit-learn", retriever: KnowledgeBase(cards: cards),
                           progress: .silent, prices: nil)
    }

    @Test func theFoldViewsHoldEachTrainingRowOutOnceAndHideTheirLabels() async throws {
        let root = try agentScratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let runner = try await runner(ExamplesStrategy(), cards: [], root: root)
        let context = try await runner.makeContext()
        let validator = try #require(context.crossValidator)
        #expect(validator.count == 5)
        let viewTrain = try CSVTable.read(contentsOf: runner.task.viewFolder.appendingPathComponent("train.csv"))
        var heldOut: [String] = []
        for (k, fold) in validator.folds.enumerated() {
            let foldTrain = Set(try CSVTable.read(contentsOf: fold.folder.appendingPathComponent("train.csv")).column("id")!)
            let originals = Set(fold.devOriginalIDs.values)
            #expect(foldTrain.isDisjoint(with: originals), "fold \(k)'s training rows include its own held-out rows")
            #expect(foldTrain.count + originals.count == viewTrain.rowCount)
            heldOut += originals
            // The fold's test file holds its rows without their labels.
            #expect(try CSVTable.read(contentsOf: fold.folder.appendingPathComponent("test.csv")).header == ["id", "x1", "x2"])
        }
        #expect(heldOut.count == viewTrain.rowCount)
        #expect(Set(heldOut) == Set(viewTrain.column("id")!))
        #expect(validator.answers.rowCount == viewTrain.rowCount)
        // The hidden dev rows of the agent view take no part in the folds.
        let agentDev = Set(try AgentView.open(secretsFolder: runner.layout.harness).devOriginalIDs.values)
        #expect(agentDev.isDisjoint(with: Set(heldOut)))
    }

    @Test func aTimeSeriesGetsForwardChainingFoldsThatNeverTrainOnTheirFuture() async throws {
        let root = try agentScratch()
        defer { try? FileManager.default.removeItem(at: root) }
        var task = try Self.makeTask(root: root)
        task.spec.devSplit = .tail  // the ids 0..<400 are the rows' time order
        let runFolder = root.appendingPathComponent("run")
        let harness = try BenchTaskHarness(task: task, runFolder: runFolder)
        let folds = try #require(try harness.foldViews(count: 5, layout: RunLayout(runFolder)))
        let viewIDs = try CSVTable.read(contentsOf: harness.viewFolder.appendingPathComponent("train.csv")).column("id")!.map { Int($0)! }
        #expect(viewIDs == Array(0..<viewIDs.count), "the agent view keeps the time order and holds the tail out")
        // Windows as long as the horizon (150 test rows), fewer when 5 of them would leave less
        // than one window to train on: 320 view rows / 6.
        let window = viewIDs.count / 6
        var windows: [[Int]] = []
        for (k, fold) in folds.enumerated() {
            let held = fold.devOriginalIDs.values.map { Int($0)! }.sorted()
            let start = viewIDs.count - (5 - k) * window
            #expect(held == Array(start..<(start + window)), "fold \(k) holds out \(held.first ?? -1)…\(held.last ?? -1)")
            let trained = try CSVTable.read(contentsOf: fold.folder.appendingPathComponent("train.csv")).column("id")!.map { Int($0)! }
            #expect(trained == Array(0..<start), "fold \(k) trains on the rows before its window only")
            windows.append(held)
        }
        #expect(Set(windows.joined()).count == 5 * window)
        // A random split still gets shuffled folds over every row.
        task.spec.devSplit = .random
        let other = root.appendingPathComponent("run-random")
        let random = try #require(try BenchTaskHarness(task: task, runFolder: other).foldViews(count: 5, layout: RunLayout(other)))
        #expect(random.map(\.devRowCount).reduce(0, +) == 320)
    }

    @Test func theFoldRunnerScoresAFunctionScriptOnEveryFoldAndKeepsItsOutOfFoldPredictions() async throws {
        let root = try agentScratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let runner = try await runner(ExamplesStrategy(), cards: [], root: root)
        let context = try await runner.makeContext()
        let validator = try #require(context.crossValidator)
        let validation = try await validator.validate(code: Self.script(features: ["x1", "x2"]), node: 1).get()
        #expect(validation.foldScores.count == 5)
        #expect(validation.foldScores.allSatisfy { $0 > 0.85 && $0 <= 1 }, "\(validation.foldScores)")
        #expect(validation.standardError > 0 && validation.standardError < 0.05)
        // One out-of-fold prediction per training row of the view, in the answers' order, on disk.
        let written = try #require(validator.outOfFold(node: 1))
        #expect(written.rowCount == validator.answers.rowCount)
        #expect(written.column("id") == validator.answers.column("id"))
        // Fold k's score is the metric on fold k's out-of-fold rows.
        let rows2 = validator.rows(inFold: 2)
        let fold2 = try validator.score(written.selecting(rows: rows2), rows: rows2)
        #expect(abs(fold2 - validation.foldScores[2]) < 1e-9)

        // A script that fails on a fold is not cross-validated, with the reason.
        let failing = try await validator.validate(code: "raise SystemExit('no')", node: 2)
        guard case .failure(let error) = failing else { Issue.record("a failing script was cross-validated"); return }
        #expect(error.description.contains("fold 0"))
    }

    @Test func aPairedGainBelowItsNoiseDoesNotReplaceTheIncumbent() async throws {
        let root = try agentScratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let runner = try await runner(ExamplesStrategy(), cards: [], root: root)
        let context = try await runner.makeContext()
        // The incumbent, a copy with its predictions jittered (a change far below the folds'
        // noise), and a clearly weaker one-feature model.
        let (incumbent, _) = try await context.execute(step: "a", stage: .candidate, parent: nil, plan: "both features",
                                                       code: Self.script(features: ["x1", "x2"]), origin: .example)
        let (jittered, _) = try await context.execute(step: "b", stage: .improve, parent: incumbent.id, plan: "jitter",
                                                      code: Self.script(features: ["x1", "x2"], jitter: 0.002, seed: 7))
        let (weak, _) = try await context.execute(step: "c", stage: .improve, parent: incumbent.id, plan: "one feature",
                                                  code: Self.script(features: ["x1"]))
        // The decision waits for the cross-validations, which run in the background.
        #expect(await !context.shouldReplace(incumbent, with: jittered))
        #expect(await !context.shouldReplace(incumbent, with: weak))
        let gain = try #require(context.gain(of: jittered, over: incumbent))
        #expect(!gain.beatsNoise, "a jitter of 0.002 beat its noise: \(gain.text)")
        // The other way round the gain is large and clear, and the weaker script is replaced.
        let clear = try #require(context.gain(of: incumbent, over: weak))
        #expect(clear.beatsNoise && clear.mean > 0.05, "\(clear.text)")
        #expect(await context.shouldReplace(weak, with: incumbent))
        // Ranking uses the mean fold score, not the dev rows.
        #expect(context.rankedSolutions().last?.id == weak.id)
    }

    @Test func theRunnerUpOfAChoiceIsAnotherScriptNotACopyOfTheChosenOne() async throws {
        let root = try agentScratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let runner = try await runner(ExamplesStrategy(), cards: [], root: root)
        let context = try await runner.makeContext()
        let code = Self.script(features: ["x1", "x2"])
        let (chosen, _) = try await context.execute(step: "a", stage: .candidate, parent: nil, plan: "both features", code: code, origin: .example)
        // A merge that changed nothing but a comment: the same predictions on every fold.
        let (copy, _) = try await context.execute(step: "b", stage: .merge, parent: chosen.id, plan: "merge that changed nothing",
                                                  code: "# merged: nothing to add\n" + code)
        let (weak, _) = try await context.execute(step: "c", stage: .improve, parent: chosen.id, plan: "one feature",
                                                  code: Self.script(features: ["x1"]))
        _ = await context.shouldReplace(weak, with: chosen)  // waits for the cross-validations
        #expect(context.crossValidation(of: copy)?.foldScores == context.crossValidation(of: chosen)?.foldScores)
        let evidence = try #require(context.choiceEvidence(for: chosen))
        #expect(evidence.runnerUpNodeID == weak.id, "the copy (node \(copy.id)) tied by construction; the weaker script is the real runner-up")
        #expect(evidence.gainOverRunnerUp?.beatsNoise == true)
    }

    @Test func theExamplesStrategyStacksComplementaryScriptsAndSubmitsTheStack() async throws {
        let root = try agentScratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let cards = try [Self.card("only-x1", Self.script(features: ["x1"])), Self.card("only-x2", Self.script(features: ["x2"]))]
        let runner = try await runner(ExamplesStrategy(), cards: cards, root: root)
        let summary = try await runner.run(configJSON: "{}")
        let journal = try Journal(path: runner.layout.journal)
        let nodes = try journal.nodes()
        let stack = try #require(nodes.first { $0.stepKey == "stack/1" }?.node)
        #expect(stack.origin == .stack && stack.status == .succeeded)
        #expect(summary.bestNodeID == stack.id)
        #expect(summary.modelWork?.submittedOrigin == .stack)
        let choice = try #require(summary.crossValidation)
        #expect(choice.method == "nested" && choice.folds == 5)
        let overExample = try #require(choice.gainOverBestExample)
        #expect(overExample.beatsNoise && overExample.mean > 0.05, "\(overExample.text)")
        // The blend holds on the real test rows too: one feature alone scores far lower.
        #expect((summary.finalScore ?? 0) > 0.85)
        let examples = nodes.filter { $0.node.origin == .example }.compactMap(\.node.harnessScore)
        #expect(examples.count == 2 && examples.allSatisfy { $0 < (stack.harnessScore ?? 0) })
        // The stack's script is the final one, and runs on its own.
        let final = try String(contentsOf: runner.layout.finalSolution, encoding: .utf8)
        #expect(final.contains("MEMBERS") && final.contains("LogisticRegression"))
        #expect(try journal.llmTotals().calls == 0)
    }

    @Test func theStackScriptBlendsSubmissionsAsTheStackerDoes() async throws {
        let root = try agentScratch()
        defer { try? FileManager.default.removeItem(at: root) }
        // Three members with fixed predictions (labels with a tie, and probabilities).
        let ids = ["a", "b", "c", "d"]
        let labels = [["x", "y", "x", "z"], ["y", "y", "z", "z"], ["y", "x", "x", "x"]]
        let probabilities = [["0.1", "0.9", "0.4", "0.5"], ["0.3", "0.2", "0.8", "0.5"], ["0.7", "0.6", "0.1", "0.2"]]
        let weights = [0.4, 0.4, 0.2]
        for (rule, values) in [(Stacker.Rule.vote, labels), (.mean, probabilities), (.rankMean, probabilities)] {
            let members = values.map { CSVTable(header: ["id", "t"], columns: [ids, $0]) }
            let stacker = try Stacker(members: members, idColumn: "id", rule: rule, direction: .higher) { _, _ in 0 }
            let expected = stacker.blend(weights: weights, rows: Array(ids.indices))
            let scripts = values.enumerated().map { m, column in
                (node: m + 1, weight: weights[m], code: """
                import os
                os.makedirs("submission", exist_ok=True)
                open("submission/submission.csv", "w").write("id,t\\n" + "".join(f"{i},{v}\\n" for i, v in zip(\(ids), \(column))))
                """)
            }
            let folder = root.appendingPathComponent(rule.rawValue)
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("input"), withIntermediateDirectories: true)
            try "id,t\nd,0\nc,0\nb,0\na,0\n".write(to: folder.appendingPathComponent("input/sample_submission.csv"), atomically: true, encoding: .utf8)
            let run = try runTestScript(try Stacker.script(members: scripts, rule: rule), in: folder, name: "stack")
            #expect(run.status == 0, "\(run.text.suffix(800))")
            let written = try CSVTable.read(contentsOf: ScriptWorkspace(folder).submission)
            #expect(written.column("id") == ["d", "c", "b", "a"])
            for (r, id) in ids.enumerated() {
                let got = written.column("t")![written.column("id")!.firstIndex(of: id)!]
                let want = expected.column("t")![r]
                if rule == .vote {
                    #expect(got == want, "\(rule) row \(id)")
                } else {
                    #expect(abs(Double(got)! - Double(want)!) < 1e-9, "\(rule) row \(id): \(got) vs \(want)")
                }
            }
        }
    }
}

/// Ensemble selection and nested cross-validation on constructed out-of-fold predictions.
@Suite struct StackerTests {
    @Test func ensembleSelectionCombinesComplementaryMembersAndIgnoresAUselessOne() throws {
        // Truth is 1 for rows 0..<50. Member A ranks rows by one half of the signal, B by the
        // other; C is noise. AUC of A + B beats either.
        let n = 100
        let truth = (0..<n).map { $0 < 50 ? "1" : "0" }
        func member(_ value: (Int) -> Double) -> CSVTable {
            CSVTable(header: ["id", "y"], columns: [(0..<n).map(String.init), (0..<n).map { String(value($0)) }])
        }
        let a = member { i in (i < 50 ? 0.6 : 0.4) + (i % 2 == 0 ? 0.3 : -0.3) }
        let b = member { i in (i < 50 ? 0.6 : 0.4) + (i % 2 == 0 ? -0.3 : 0.3) }
        let c = member { i in Double((i * 37) % 100) / 100 }
        let answers = CSVTable(header: ["id", "y"], columns: [(0..<n).map(String.init), truth])
        let grader = Grader(metric: .rocAUC, idColumn: "id", targetColumns: ["y"])
        let stacker = try Stacker(members: [a, b, c], idColumn: "id", rule: .rankMean, direction: .higher) { blend, rows in
            try grader.score(submission: blend, answers: answers.selecting(rows: rows))
        }
        let alone = try [a, b, c].map { try grader.score(submission: $0, answers: answers) }
        let counts = try stacker.select(rows: Array(0..<n))
        #expect(counts[0] > 0 && counts[1] > 0 && counts[2] == 0, "\(counts)")
        let blended = try grader.score(submission: stacker.blend(weights: counts.map(Double.init), rows: Array(0..<n)), answers: answers)
        #expect(blended > alone.max()! + 0.1)
        let selection = try stacker.run(foldOfRow: (0..<n).map { $0 % 5 })
        #expect(selection.validation.foldScores.count == 5 && selection.validation.method == "nested")
        #expect(selection.counts == counts)
    }

    @Test func pairedGainsCountOnlyWhenTheyBeatTheirNoise() {
        let base = CrossValidation(foldScores: [0.80, 0.82, 0.78, 0.81, 0.79])
        let tiny = CrossValidation(foldScores: [0.801, 0.818, 0.782, 0.809, 0.792])  // +0.0004 on average, noisy
        let clear = CrossValidation(foldScores: [0.83, 0.85, 0.80, 0.84, 0.82])
        #expect(tiny.gain(over: base, direction: .higher)?.beatsNoise == false)
        #expect(clear.gain(over: base, direction: .higher)?.beatsNoise == true)
        // For an error metric, lower fold scores are the gain.
        #expect(base.gain(over: clear, direction: .lower)?.beatsNoise == true)
        #expect(CrossValidation(foldScores: [0.8, 0.8]).gain(over: CrossValidation(foldScores: [0.8, 0.8, 0.8]), direction: .higher) == nil)
    }

    @Test func selfReportedScoresOnAnotherScaleAreNotFlaggedAsLeaks() {
        // RMSE of a log target (0.13) beside RMSE of the target (21,000): another scale.
        #expect(!SearchContext.disagree(0.13, 21_000, direction: .lower))
        // A self-reported AUC far better than the harness measured: flagged.
        #expect(SearchContext.disagree(0.99, 0.70, direction: .higher))
        // Worse than measured says nothing about leakage.
        #expect(!SearchContext.disagree(0.60, 0.85, direction: .higher))
        #expect(!SearchContext.disagree(0.85, 0.84, direction: .higher))
    }
}
