import Foundation
import Testing
@testable import StarlingAgents
import StarlingBench
import StarlingCore
import StarlingLLM
import StarlingRunFolder
import StarlingRuntime
import StarlingStore

/// The tuning action with real Python: variants of a script's model settings, each a
/// cross-validated node, no more than the trials allowed, and scripts it cannot tune left alone.
@Suite(.serialized) struct TuningTests {
    /// A function-structured script whose `fit_predict` sets its model's settings in `params`.
    static let boosted = """
        import os
        import pandas as pd
        from sklearn.ensemble import HistGradientBoostingClassifier

        train = pd.read_csv("input/train.csv")
        test = pd.read_csv("input/test.csv")


        def fit_predict(x_fit, y_fit, x_other):
            params = dict(max_iter=60, learning_rate=0.3, max_leaf_nodes=63, min_samples_leaf=2, random_state=0)
            return HistGradientBoostingClassifier(**params).fit(x_fit, y_fit).predict_proba(x_other)[:, 1]


        os.makedirs("submission", exist_ok=True)
        prediction = fit_predict(train[["x1", "x2"]], train["y"], test[["x1", "x2"]])
        pd.DataFrame({"id": test["id"], "y": prediction}).to_csv("submission/submission.csv", index=False)
        """

    func context(root: URL, trials: Int, client: any LLMClient = NoModelClient()) async throws -> SearchContext {
        let task = try CrossValidationTests.makeTask(root: root)
        let runFolder = root.appendingPathComponent("run")
        var settings = smallSettings()
        settings.cvFolds = 5
        settings.tuneTrials = trials
        let runner = AgentRunner(task: try BenchTaskHarness(task: task, runFolder: runFolder), strategy: ExamplesStrategy(), settings: settings,
                                 budget: Budget(), clients: [.coder: client], runFolder: runFolder, sandbox: try await Sandbox.probing(),
                                 python: agentTestPython(), libraries: "numpy", retriever: KnowledgeBase(cards: []), progress: .silent, prices: nil)
        return try await runner.makeContext()
    }

    @Test func tuningTriesTheFamilysSettingsAsCrossValidatedNodesWithinItsTrials() async throws {
        let root = try agentScratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let context = try await context(root: root, trials: 2)
        let (base, _) = try await context.execute(step: "candidate/1/example", stage: .candidate, parent: nil, plan: "boosted",
                                                  code: Self.boosted, origin: .example)
        let best = try #require(try await context.tuneBestExample())
        let variants = try context.journal.nodes().filter { $0.stepKey.hasPrefix("tune/\(base.id)/") }.map(\.node)
        #expect(variants.count == 2)
        #expect(variants.allSatisfy { $0.origin == .tuning && $0.parentID == base.id && $0.status == .succeeded })
        #expect(variants.allSatisfy { context.crossValidation(of: $0)?.foldScores.count == 5 })
        // The first trial is the family's textbook one: shallow trees, more of them, slower.
        let first = try #require(variants.first { $0.plan.contains("max_leaf_nodes=7") })
        #expect(first.code.contains("params.update({") && first.code.contains("'max_leaf_nodes': 7"))
        #expect(variants.contains { $0.id == best.id })
        // The deliberately overfitting base loses to the textbook settings on the folds.
        let gain = try #require(context.gain(of: first, over: base))
        #expect(gain.mean > 0, "\(gain.text)")
    }

    @Test func aScriptWithoutModelSettingsIsNotTuned() async throws {
        let root = try agentScratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let context = try await context(root: root, trials: 3)
        let (base, _) = try await context.execute(step: "candidate/1/example", stage: .candidate, parent: nil, plan: "linear",
                                                  code: CrossValidationTests.script(features: ["x1", "x2"]), origin: .example)
        #expect(try await context.tune(base) == nil)
        #expect(try context.journal.nodes().allSatisfy { !$0.stepKey.hasPrefix("tune/") })
        #expect(try context.journal.events().contains { $0.message.contains("not tunable") && $0.message.contains("dict(") })
    }

    @Test func aMetricThatWeighsClassesAlikeTriesClassWeightingFirst() async throws {
        let root = try agentScratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let tuner = try Tuner(tools: ToolRunner(sandbox: try await Sandbox.probing(), python: agentTestPython()))
        let plain = try await tuner.trials(for: Self.boosted, count: 4, seed: 7, scratch: root.appendingPathComponent("a")).get()
        #expect(plain.family == "hist-gradient-boosting")
        #expect(plain.trials.count == 4)
        #expect(plain.trials.allSatisfy { $0["class_weight"] == nil }, "class weighting is only for metrics that weigh classes alike")
        let balanced = try await tuner.trials(for: Self.boosted, count: 4, seed: 7, balance: true, scratch: root.appendingPathComponent("b")).get()
        #expect(balanced.trials.count == 4)
        #expect(balanced.trials.first == ["class_weight": .text("balanced")], "\(balanced.trials)")
        // The textbook trial still follows, unweighted.
        #expect(balanced.trials[1]["max_leaf_nodes"] == .number(7) && balanced.trials[1]["class_weight"] == nil)
        // The weighted variant applies to the script as a setting its model takes.
        let code = try await tuner.apply(balanced.trials[0], to: Self.boosted, scratch: root.appendingPathComponent("c"))
        #expect(code.contains("params.update({'class_weight': 'balanced'})"))
        #expect(Metric.f1Macro.weighsClassesEqually && Metric.balancedAccuracy.weighsClassesEqually && !Metric.rocAUC.weighsClassesEqually)
    }

    @Test func aideTunesTheBestCardExampleBesideItsTreeSearch() async throws {
        let root = try agentScratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let task = try CrossValidationTests.makeTask(root: root)
        let runFolder = root.appendingPathComponent("run")
        var settings = smallSettings(candidates: 1)
        settings.editFormat = .function
        settings.cvFolds = 5
        settings.tuneTrials = 2
        // The model answers nothing usable: the tree's edits fail, the tuning action still works.
        let llm = ScriptedLLM([.init(step: "**", replies: ["I have no idea."])])
        let runner = AgentRunner(task: try BenchTaskHarness(task: task, runFolder: runFolder),
                                 strategy: AIDEStrategy(policy: AIDEPolicy(numDrafts: 1, debugProb: 0), maxSteps: 2), settings: settings,
                                 budget: Budget(), clients: [.coder: llm], runFolder: runFolder, sandbox: try await Sandbox.probing(),
                                 python: agentTestPython(), libraries: "numpy, pandas, scikit-learn",
                                 retriever: KnowledgeBase(cards: [try CrossValidationTests.card("boosted", Self.boosted)]), progress: .silent, prices: nil)
        _ = try await runner.run(configJSON: "{}")
        let journal = try Journal(path: RunLayout(runFolder).journal)
        let example = try #require(try journal.nodes().first { $0.node.origin == .example }?.node)
        let trials = try journal.nodes().filter { $0.stepKey.hasPrefix("tune/\(example.id)/") }.map(\.node)
        #expect(trials.count == 2)
        #expect(trials.allSatisfy { $0.origin == .tuning && $0.status == .succeeded })
        #expect(trials.allSatisfy { (try? journal.artifact(CrossValidation.self, forKey: CrossValidation.journalKey(node: $0.id))) != nil })
    }

    @Test func aScriptsOwnSearchSpaceAndTheModelsProposalJoinTheFamilysValues() async throws {
        let root = try agentScratch()
        defer { try? FileManager.default.removeItem(at: root) }
        // The model, asked for values, proposes a few; it is asked once per node (the reply is kept).
        let llm = ScriptedLLM([.init(step: "tune/*/space", replies: [
            #"{"max_iter": [80], "learning_rate": [0.07, -1], "max_leaf_nodes": [4.6], "min_samples_leaf": [12], "random_state": []}"#,
        ])])
        let context = try await context(root: root, trials: 12, client: llm)
        let declared = Self.boosted.replacingOccurrences(of: "train = pd.read_csv", with: "SEARCH_SPACE = dict(min_samples_leaf=[3, 300])\ntrain = pd.read_csv")
        let (base, _) = try await context.execute(step: "candidate/1/example", stage: .candidate, parent: nil, plan: "boosted",
                                                  code: declared, origin: .example)
        let tuner = try Tuner(tools: ToolRunner(sandbox: context.harness.sandbox, python: context.harness.python))
        // Without the model: the family's textbook trial, then draws that reach the script's own values.
        let plain = try await context.plan(of: base, tuner: tuner, askModel: false).get()
        #expect(plain.trials.first?["max_leaf_nodes"] == .number(7))
        #expect(plain.trials.contains { $0["min_samples_leaf"] == .number(300) || $0["min_samples_leaf"] == .number(3) }, "\(plain.trials)")
        #expect(llm.count(step: "tune/*/space") == 0)
        // With it: its proposal, cleaned (no negative rate, whole leaves), is the second trial.
        let asked = try await context.plan(of: base, tuner: tuner, askModel: true).get()
        #expect(llm.count(step: "tune/*/space") == 1)
        let proposal: [String: Tuner.SettingValue] = ["max_iter": .number(80), "learning_rate": .number(0.07), "max_leaf_nodes": .number(5),
                                                      "min_samples_leaf": .number(12)]
        #expect(asked.trials.count == 12 && asked.trials[1] == proposal, "\(asked.trials.prefix(3))")
        #expect(asked.trials.dropFirst(2).allSatisfy { $0["learning_rate"] != .number(-1) })
        _ = try await context.plan(of: base, tuner: tuner, askModel: true)
        #expect(llm.count(step: "tune/*/space") == 1, "a second plan reads the kept reply")
    }
}
