import Foundation
import Testing
@testable import StarlingAgents
import StarlingCore
import StarlingRuntime
import StarlingStore
import StarlingRunFolder

/// A toy card shaped like the bundled tabular examples: frames from `clean_features`, a model
/// function `fit_predict` that leans on `helper()` (whose value is the score), and main code that
/// writes what `fit_predict` returns.
func cardShaped(_ id: String, strength: Double) throws -> ModelCard {
    try toyCard(id, example: """
    ```python
    import os


    def clean_features(train_x, test_x):
        \"\"\"The frames as they are.\"\"\"
        return train_x, test_x, []


    def helper():
        \"\"\"What the model leans on.\"\"\"
        return \(strength)


    def fit_predict(x_fit, y_fit, x_other, kind):
        \"\"\"The model.\"\"\"
        return helper()


    x_all, x_test, STRINGS = clean_features([1.0], [2.0])
    value = fit_predict(x_all, None, x_test, "proba")
    os.makedirs("submission", exist_ok=True)
    open("submission/submission.csv", "w").write("id,y\\n1," + str(value) + "\\n")
    print("validation_score:", value)
    ```
    """)
}

@Suite(.serialized) struct BlendMergeTests {
    @Test func aMergeBringsInTheOtherModelAndTheModelWritesOnlyTheCombination() async throws {
        let root = try agentScratch()
        var settings = smallSettings(candidates: 2)
        settings.editFormat = .function
        settings.leakageReview = false
        let combination = """
        ```python
        def fit_predict(x_fit, y_fit, x_other, kind):
            \"\"\"Both models.\"\"\"
            return max(fit_predict_alpha(x_fit, y_fit, x_other, kind), fit_predict_beta(x_fit, y_fit, x_other, kind)) + 0.05
        ```
        """
        let llm = ScriptedLLM([
            // Candidate edits that score worse, so both examples stay the candidates.
            .init(step: "candidate/*", replies: ["```python\ndef helper():\n    return 0.1\n```"]),
            .init(step: "*/merge/*", replies: [combination]),
        ])
        let runner = try await toyRunner(llm: llm, cards: [try cardShaped("alpha", strength: 0.7), try cardShaped("beta", strength: 0.6)],
                                         settings: settings, root: root)
        let summary = try await runner.run(configJSON: "{}")
        let journal = try Journal(path: RunLayout(root.appendingPathComponent("run")).journal)
        let base = try #require(try journal.node(forStep: "candidate/1/example")).node
        let merge = try #require(try journal.node(forStep: "branch1/merge/2")).node
        #expect(merge.parentID == base.id && merge.origin == .model)
        #expect(merge.status == .succeeded && merge.harnessScore == 0.75)
        #expect(summary.finalScore == 0.75)
        // The other script's model came in whole, its helper renamed beside the base's own.
        #expect(merge.code.contains("def fit_predict_beta(x_fit, y_fit, x_other, kind):"))
        #expect(merge.code.contains("def helper_beta():"))
        #expect(merge.code.contains("return helper_beta()"))
        #expect(merge.code.contains("def fit_predict_alpha(x_fit, y_fit, x_other, kind):"))
        #expect(merge.code.contains("return 0.7") && merge.code.contains("return 0.6"))
        // The prompt asked for `fit_predict` alone, which at first returns the base's predictions.
        let prompt = try #require(llm.prompts(step: "*/merge/*").first)
        #expect(prompt.contains("complete new version of the function `fit_predict`"))
        #expect(prompt.contains("return fit_predict_alpha(x_fit, y_fit, x_other, kind)"))
        #expect(prompt.contains("with the larger weight on `fit_predict_alpha`"))
        #expect(!prompt.contains("return 0.6"), "the other model's body stays out of the prompt")
    }

    @Test func scriptsOfAnotherShapeAreNotTransplanted() async throws {
        let root = try agentScratch()
        let editor = EditApplier(tools: ToolRunner(sandbox: try await Sandbox.probing(), python: agentTestPython()))
        let shaped = try cardShaped("alpha", strength: 0.7).example
        let plain = "def fit_predict(a, b, c, d):\n    return 1\n\nprint(fit_predict(1, 2, 3, 4))\n"
        #expect(await editor.transplant("fit_predict", from: plain, into: shaped, baseLabel: "a", otherLabel: "b", scratch: root) == nil)
        #expect(await editor.transplant("fit_predict", from: shaped, into: plain, baseLabel: "a", otherLabel: "b", scratch: root) == nil)
        #expect(await editor.transplant("predict", from: shaped, into: shaped, baseLabel: "a", otherLabel: "b", scratch: root) == nil)
    }

    /// The bundled logistic-regression example keeps strings (its pipeline one-hot encodes them);
    /// LightGBM's main code turns them into pandas categories. Each model brought into the other's
    /// script must still get its own kind of frame.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: StarlingHome.resolve().solutionPython.path),
                   "needs the solution environment (`starling setup`)"))
    func bundledExamplesWithDifferentFramesMergeEitherWay() async throws {
        let root = try agentScratch()
        let input = root.appendingPathComponent("input")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        var train = "id,plan,region,usage,churn\n", test = "id,plan,region,usage\n", sample = "id,churn\n"
        for row in 0..<240 {
            let plan = ["basic", "plus", "pro"][row % 3], region = ["north", "south"][(row / 3) % 2]
            let usage = Double((row * 37) % 100) / 10
            train += "\(row),\(plan),\(region),\(usage),\(plan == "basic" && usage < 5 ? 1 : row % 7 == 0 ? 1 : 0)\n"
        }
        for row in 240..<300 {
            test += "\(row),\(["basic", "plus", "pro"][row % 3]),\(["north", "south"][(row / 3) % 2]),\(Double((row * 37) % 100) / 10)\n"
            sample += "\(row),0.5\n"
        }
        try train.write(to: input.appendingPathComponent("train.csv"), atomically: true, encoding: .utf8)
        try test.write(to: input.appendingPathComponent("test.csv"), atomically: true, encoding: .utf8)
        try sample.write(to: input.appendingPathComponent("sample_submission.csv"), atomically: true, encoding: .utf8)
        let cards = try KnowledgeBase.bundled().cards
        let logistic = try #require(cards.first { $0.id == "logistic-regression" }).example
        let lightgbm = try #require(cards.first { $0.id == "lightgbm-tabular" }).example
        let editor = EditApplier(tools: ToolRunner(sandbox: try await Sandbox.probing(), python: agentTestPython()))
        for (base, other, names) in [(logistic, lightgbm, ("logistic", "lightgbm")), (lightgbm, logistic, ("lightgbm", "logistic"))] {
            let merged = try #require(await editor.transplant("fit_predict", from: other, into: base, baseLabel: names.0, otherLabel: names.1,
                                                              scratch: root.appendingPathComponent("scratch-\(names.0)")))
            let source = merged.source
            #expect(merged.baseFunction == "fit_predict_\(names.0)" && merged.otherFunction == "fit_predict_\(names.1)")
            // As transplanted, the script runs as the base does; blended, both models run.
            let stub = "return fit_predict_\(names.0)(x_fit, y_fit, x_other, kind)"
            #expect(source.contains(stub))
            let blended = source.replacingOccurrences(of: stub, with: "return 0.5 * fit_predict_\(names.0)(x_fit, y_fit, x_other, kind) + 0.5 * fit_predict_\(names.1)(x_fit, y_fit, x_other, kind)")
            var scores: [String: String] = [:]
            for (name, script) in [("base", base), ("transplanted", source), ("blended", blended)] {
                let output = try runTestScript(script, in: root, name: "\(names.0)-\(name)")
                #expect(output.status == 0, "\(names.0) \(name): \(output.text.suffix(800))")
                scores[name] = try #require(output.score, "\(names.0) \(name) printed no validation_score")
            }
            #expect(scores["transplanted"] == scores["base"], "until the model rewrites `fit_predict`, the merged script scores as the base")
        }
    }
}
