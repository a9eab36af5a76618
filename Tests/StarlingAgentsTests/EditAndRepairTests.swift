import Foundation
import Testing
@testable import StarlingAgents
import StarlingCore
import StarlingRuntime
import StarlingStore
import StarlingRunFolder

/// A toy card whose example is made of named functions, as the bundled examples are: its score is
/// what the function `name` (`strength()`) returns, unless `main` (the code after the functions)
/// says otherwise.
func functionCard(_ id: String, strength: Double, name: String = "strength", main: String? = nil) throws -> ModelCard {
    let main = main ?? "write(\(name)())\nprint(\"validation_score:\", \(name)())"
    return try toyCard(id, example: """
    ```python
    import os


    def \(name)():
        \"\"\"The model's strength.\"\"\"
        return \(strength)


    def write(value):
        os.makedirs("submission", exist_ok=True)
        with open("submission/submission.csv", "w") as handle:
            handle.write("id,y\\n1," + str(value) + "\\n")


    \(main)
    ```
    """)
}

/// A function-edit reply that sets the strength.
func strengthEdit(_ value: Double, extra: String = "") -> String {
    "Here is the change.\n```python\n\(extra)def strength():\n    \"\"\"Tuned.\"\"\"\n    return \(value)\n```"
}

@Suite(.serialized) struct EditAndRepairTests {
    func settings() -> AgentSettings {
        var settings = smallSettings(candidates: 1)
        settings.editFormat = .function
        settings.leakageReview = false
        return settings
    }

    @Test func aFunctionEditOfTheCardExampleIsWhatRuns() async throws {
        let root = try agentScratch()
        let llm = ScriptedLLM([.init(step: "candidate/*", replies: [strengthEdit(0.8)])])
        let runner = try await toyRunner(llm: llm, cards: [try functionCard("alpha", strength: 0.6)], settings: settings(), root: root)
        let summary = try await runner.run(configJSON: "{}")
        let journal = try Journal(path: RunLayout(root.appendingPathComponent("run")).journal)
        let example = try #require(try journal.node(forStep: "candidate/1/example")).node
        let edited = try #require(try journal.node(forStep: "candidate/1")).node
        #expect(example.origin == .example && example.harnessScore == 0.6)
        #expect(edited.origin == .model && edited.parentID == example.id)
        // The edit was spliced into the example: the new function, the rest unchanged.
        #expect(edited.code.contains("return 0.8") && !edited.code.contains("return 0.6"))
        #expect(edited.code.contains("def write(value):"))
        #expect(edited.harnessScore == 0.8)
        #expect(summary.finalScore == 0.8)
        let work = try #require(summary.modelWork)
        #expect(work.scriptsWritten == 1 && work.scriptsRan == 1 && work.scriptsValid == 1)
        #expect(work.examplesRun == 1)
        #expect(work.submittedOrigin == .model)
        #expect(work.beatsBestExample == true)
        #expect(summary.editFormat == .function)
        // The prompt lists the script's functions and asks for one of them whole.
        #expect(llm.prompts.first?.contains("`strength` (The model's strength.)") == true)
    }

    @Test func anEditThatDoesNotApplyIsReaskedWithTheReason() async throws {
        let root = try agentScratch()
        let llm = ScriptedLLM([.init(step: "candidate/*", replies: [
            "```python\ndef power():\n    return 0.9\n```",
            strengthEdit(0.7),
        ])])
        let runner = try await toyRunner(llm: llm, cards: [try functionCard("alpha", strength: 0.6)], settings: settings(), root: root)
        let summary = try await runner.run(configJSON: "{}")
        #expect(llm.prompts.count == 2)
        #expect(llm.prompts[1].contains("Your edit could not be applied"))
        #expect(llm.prompts[1].contains("no function of that name"))
        // A fresh conversation: the first prompt and the reason, not the unusable reply (which
        // the 1.5B model copied byte for byte when shown it).
        #expect(llm.prompts[1].hasPrefix(llm.prompts[0]))
        #expect(!llm.prompts[1].contains("def power()"))
        let journal = try Journal(path: RunLayout(root.appendingPathComponent("run")).journal)
        #expect(try journal.node(forStep: "candidate/1")?.node.code.contains("return 0.7") == true)
        #expect(summary.modelWork?.editsRejected == 1)
        #expect(summary.finalScore == 0.7)
    }

    @Test func aFunctionEditMayRunToTwiceTheFunctionsLength() {
        let addFeatures = "def add_features(frame):\n    \"\"\"Extra features.\"\"\"\n    return frame\n"
        #expect(SearchContext.functionEditTokens(forSource: addFeatures) == 320)
        let long = String(repeating: "    x = compute(x, 1.0)  # a line of about forty chars\n", count: 10)
        #expect(SearchContext.functionEditTokens(forSource: long) == Int(Double(long.count) / 3.2) * 2 + 120)
        #expect(SearchContext.functionEditTokens(forSource: long + long) == SearchContext.functionEditTokens)
        #expect(SearchContext.functionEditTokens(forSource: nil) == SearchContext.functionEditTokens)
    }

    @Test func anEditThatChangesTheFunctionsParametersIsReasked() async throws {
        let root = try agentScratch()
        // The 1.5B model added a required parameter the callers never pass (seen on ames).
        let llm = ScriptedLLM([.init(step: "candidate/*", replies: [
            "```python\ndef write(value, classes):\n    pass\n```",
            "```python\ndef write(value, classes=None):\n    os.makedirs(\"submission\", exist_ok=True)\n    open(\"submission/submission.csv\", \"w\").write(\"id,y\\n1,0.75\\n\")\n```",
        ])])
        let runner = try await toyRunner(llm: llm, cards: [try functionCard("alpha", strength: 0.6)], settings: settings(), root: root)
        let summary = try await runner.run(configJSON: "{}")
        #expect(llm.prompts.count == 2)
        #expect(llm.prompts[1].contains("calls it as `write(value)`"))
        #expect(summary.modelWork?.editsRejected == 1)
        #expect(summary.modelWork?.scriptsWritten == 1, "the rejected reply never became a script")
        #expect(summary.finalScore == 0.75)
    }

    @Test func anEchoedEditIsNeverExecutedAndTheReaskDiffers() async throws {
        let root = try agentScratch()
        // The first reply returns the function unchanged (whitespace aside).
        let echo = "```python\ndef strength():\n    \"\"\"The model's strength.\"\"\"\n    return 0.6   \n```"
        let llm = ScriptedLLM([.init(step: "candidate/*", replies: [echo, strengthEdit(0.65)])])
        let runner = try await toyRunner(llm: llm, cards: [try functionCard("alpha", strength: 0.6)], settings: settings(), root: root)
        let summary = try await runner.run(configJSON: "{}")
        let journal = try Journal(path: RunLayout(root.appendingPathComponent("run")).journal)
        // Two nodes only: the example and the real edit; the echo never ran.
        #expect(try journal.nodes().filter { !$0.stepKey.hasPrefix("final/") }.count == 2)
        #expect(llm.prompts.count == 2)
        #expect(llm.prompts[1] != llm.prompts[0])
        // A fresh conversation: the first prompt with a note, without the echoed reply.
        #expect(llm.prompts[1].hasPrefix(llm.prompts[0]))
        #expect(llm.prompts[1].contains("returned the code unchanged, which is useless: the script would score the same"))
        #expect(!llm.prompts[1].contains("return 0.6   "), "the echoed reply is not shown again")
        #expect(llm.temperatures == [SearchContext.editTemperature, 0.7])
        #expect(summary.modelWork?.identicalReplies == 1)
        #expect(summary.finalScore == 0.65)
    }

    @Test func aFailureInTheMainCodeIsDebuggedInTheFunctionTheEditChanged() async throws {
        let root = try agentScratch()
        // The main code does arithmetic on what `strength()` returns; the edit makes it a string,
        // so the script fails outside every function.
        let card = try functionCard("alpha", strength: 0.6,
                                    main: "value = strength() * 1.0\nwrite(value)\nprint(\"validation_score:\", value)")
        let llm = ScriptedLLM([
            .init(step: "candidate/*", replies: ["```python\ndef strength():\n    return \"0.8\"\n```"]),
            .init(step: "**/debug/*", replies: [strengthEdit(0.8)]),
        ])
        let runner = try await toyRunner(llm: llm, cards: [card], settings: settings(), root: root)
        _ = try await runner.run(configJSON: "{}")
        let journal = try Journal(path: RunLayout(root.appendingPathComponent("run")).journal)
        let failed = try #require(try journal.node(forStep: "candidate/1")).node
        #expect(failed.status == .failed && failed.error?.contains("can't multiply sequence") == true)
        let fixed = try #require(try journal.node(forStep: "candidate/1/debug/1")).node
        #expect(fixed.status == .succeeded && fixed.harnessScore == 0.8)
        // The debug prompt asks for the changed function, says why, and calls the script failing.
        let debugPrompt = try #require(llm.prompts(step: "**/debug/*").first)
        #expect(debugPrompt.contains("complete new version of the function `strength`"))
        #expect(debugPrompt.contains("`strength` is the function that changed last"))
        #expect(debugPrompt.contains("```\nNow it fails with the error below."))
        // The function comes whole after the outline, in which it is cut like the others.
        #expect(debugPrompt.contains("The function to change, `strength`, in full:\n```python\ndef strength():\n    return \"0.8\"\n```"))
        let outline = try #require(debugPrompt.components(separatedBy: "# The current script\n").last?.components(separatedBy: "Now it fails").first)
        #expect(outline.contains("def strength():\n    ...  # body not shown"))
    }

    @Test func aFailedEditOfAWorkingScriptGetsOneDebugRound() async throws {
        let root = try agentScratch()
        let crash = "```python\ndef strength():\n    \"\"\"Broken.\"\"\"\n    raise RuntimeError(\"boom\")\n```"
        let crashAgain = "```python\ndef strength():\n    \"\"\"Still broken.\"\"\"\n    raise ValueError(\"boom again\")\n```"
        let llm = ScriptedLLM([
            .init(step: "candidate/*", replies: [crash]),
            .init(step: "**/debug/*", replies: [crashAgain]),
        ])
        var settings = settings()
        settings.debugRounds = 3
        let runner = try await toyRunner(llm: llm, cards: [try functionCard("alpha", strength: 0.6)], settings: settings, root: root)
        let summary = try await runner.run(configJSON: "{}")
        let journal = try Journal(path: RunLayout(root.appendingPathComponent("run")).journal)
        #expect(try journal.node(forStep: "candidate/1/debug/1")?.node.status == .failed)
        #expect(try journal.node(forStep: "candidate/1/debug/2") == nil, "the example still works: one round, not the run's three")
        #expect(llm.count(step: "**/debug/*") == 1)
        #expect(summary.finalScore == 0.6)
    }

    @Test func outlinesOfOneScriptShareTheirTextDownToTheFunctionAPromptIsAbout() async throws {
        let root = try agentScratch()
        let editor = EditApplier(tools: ToolRunner(sandbox: try await Sandbox.probing(), python: agentTestPython()))
        let script = """
        \"\"\"A card example.\"\"\"
        import os

        import numpy as np

        SEED = 0


        def features(frame):
            \"\"\"Extra columns.\"\"\"
            return frame


        def model(x, y):
            \"\"\"Fits and predicts.\"\"\"
            return np.zeros(len(x))


        print("validation_score:", model(features([1]), [0])[0])
        """
        let byFeatures = await editor.skeleton(of: script, keeping: "features", elidingFocus: true, scratch: root.appendingPathComponent("a"))
        let byModel = await editor.skeleton(of: script, keeping: "model", elidingFocus: true, scratch: root.appendingPathComponent("b"))
        let features = "SEED = 0\n\n\ndef features(frame):\n    \"\"\"Extra columns.\"\"\"\n    ...  # body not shown\n"
        // No module docstring; `os` is unused and `numpy` only used by `model`, so neither opens the outline.
        #expect(byFeatures.hasPrefix(features) && byModel.hasPrefix(features))
        #expect(byModel.contains("import numpy as np\n\ndef model(x, y):") && !byModel.contains("import os"))
        #expect(byModel.contains("def model(x, y):\n    \"\"\"Fits and predicts.\"\"\"\n    ...  # body not shown"))
        #expect(!byModel.contains("return frame") && !byModel.contains("np.zeros"))
        // About `features`, the outline ends there: `model` comes after it and `features` does not call it
        // (nor its import); the main code that calls `features` stays.
        #expect(byFeatures.contains("# ... (below, not shown: `model`)\n") && !byFeatures.contains("def model") && !byFeatures.contains("numpy"))
        #expect(byFeatures.hasSuffix("print(\"validation_score:\", model(features([1]), [0])[0])\n"))
        // A new body of the function changes nothing in the outline (a debug round's failed script).
        let edited = script.replacingOccurrences(of: "    return np.zeros(len(x))", with: "    return np.ones(len(x))")
        #expect(await editor.skeleton(of: edited, keeping: "model", elidingFocus: true, scratch: root.appendingPathComponent("c")) == byModel)
        // Without eliding the focus, the function stays whole in place (the whole-script formats).
        let kept = await editor.skeleton(of: script, keeping: "model", scratch: root.appendingPathComponent("d"))
        #expect(kept.contains("return np.zeros(len(x))") && kept.hasPrefix("\"\"\"A card example.\"\"\""))
    }

    @Test func anOutlineEndsAtItsFunctionButForWhatTheFunctionReadsAndWhatCallsIt() async throws {
        let root = try agentScratch()
        let editor = EditApplier(tools: ToolRunner(sandbox: try await Sandbox.probing(), python: agentTestPython()))
        let script = """
        import numpy as np
        from sklearn.metrics import roc_auc_score


        def fit_predict(x, y, kind):
            \"\"\"The model.\"\"\"
            scale = weight(len(STRINGS))
            return np.full(len(x), scale)


        def weight(n):
            \"\"\"A helper the model calls.\"\"\"
            return 1.0 / (1 + n)


        def predict(x, y):
            \"\"\"Calls the model.\"\"\"
            return fit_predict(x, y, "proba")


        def validation_metric(y, p):
            \"\"\"AUC.\"\"\"
            return roc_auc_score(y, p)


        STRINGS = ["a", "b"]
        kind = "proba"
        scores = []
        for fold in range(2):
            scores.append(validation_metric([0, 1], predict([1, 2], [0, 1])))
        print("validation_score:", np.mean(scores))
        """
        let outline = await editor.skeleton(of: script, keeping: "fit_predict", elidingFocus: true, scratch: root.appendingPathComponent("a"))
        // What the model needs: the helper it calls and the global it reads, whatever comes after it.
        #expect(outline.contains("def weight(n):\n    \"\"\"A helper the model calls.\"\"\"\n    ...  # body not shown"))
        #expect(outline.contains("STRINGS = [\"a\", \"b\"]"))
        // What only calls it is one line; `kind` is its own parameter, not the global of the same name.
        #expect(outline.contains("# ... (below, not shown: `predict`, `validation_metric` and the main code)\n"))
        for gone in ["def predict", "def validation_metric", "roc_auc_score", "kind = \"proba\"", "scores", "validation_score"] {
            #expect(!outline.contains(gone), "\(gone)")
        }
        // The script itself is unchanged, and the whole-script formats still see every line.
        let kept = await editor.skeleton(of: script, keeping: "fit_predict", scratch: root.appendingPathComponent("b"))
        #expect(kept.contains("def predict(x, y):") && kept.contains("scale = weight(len(STRINGS))"))
    }

    @Test func theLeakageReviewReadsWhatEditsChangedAndSkipsAnUnchangedExample() async throws {
        var settings = settings()
        settings.leakageReview = true
        let verdict = ScriptedLLM.Rule(step: "*/leakage-review", replies: [#"{"leakage": "no", "explanation": "fine"}"#])
        // The branch's best is the edited example: the review reads the changed function only,
        // after the task context (the prompt the server has cached).
        let root = try agentScratch()
        let llm = ScriptedLLM([.init(step: "candidate/*", replies: [strengthEdit(0.8)]), verdict])
        _ = try await toyRunner(llm: llm, cards: [try functionCard("alpha", strength: 0.6)], settings: settings, root: root).run(configJSON: "{}")
        let prompt = try #require(llm.prompts(step: "*/leakage-review").first)
        #expect(prompt.contains("def strength():\n    \"\"\"Tuned.\"\"\"\n    return 0.8"))
        #expect(!prompt.contains("def write(value):") && !prompt.contains("print(\"validation_score:\""))
        #expect(prompt.contains("# Task"))
        // The edit scored worse, so the branch's best is the unchanged example: nothing to review.
        let again = try agentScratch()
        let worse = ScriptedLLM([.init(step: "candidate/*", replies: [strengthEdit(0.5)]), verdict])
        _ = try await toyRunner(llm: worse, cards: [try functionCard("alpha", strength: 0.6)], settings: settings, root: again).run(configJSON: "{}")
        #expect(worse.count(step: "candidate/*") == 1 && worse.count(step: "*/leakage-review") == 0)
    }

    @Test func theLocalModelsEditContinuesTheHeadOfTheFunction() async throws {
        let root = try agentScratch()
        // Named as the edit ideas' model function, so the candidate edit is about it.
        let card = try functionCard("alpha", strength: 0.6, name: "fit_predict")
        // The reply holds only the body: llama-server returns the begun answer with its
        // continuation, other servers the continuation alone, and both must apply.
        let llm = ScriptedLLM([.init(step: "candidate/*", replies: ["    return 0.8\n```"])])
        let runner = try await toyRunner(llm: llm, cards: [card], settings: settings(), root: root)
        _ = try await runner.run(configJSON: "{}")
        let journal = try Journal(path: RunLayout(root.appendingPathComponent("run")).journal)
        let edited = try #require(try journal.node(forStep: "candidate/1")).node
        #expect(edited.code.contains("def fit_predict():\n    \"\"\"The model's strength.\"\"\"\n    return 0.8\n"))
        #expect(edited.harnessScore == 0.8)
        // The request ends with the answer begun: a fence, the `def` line and the docstring.
        #expect(llm.prompts.first?.hasSuffix("```python\ndef fit_predict():\n    \"\"\"The model's strength.\"\"\"\n") == true)
    }

    @Test func aReplyWithTheWholeFunctionIsNotPrefixedWithItsHeadAgain() {
        let opening = "```python\ndef fit_predict(x):\n    \"\"\"Doc.\"\"\"\n"
        let whole = opening + "    return x + 1\n```"
        #expect(SearchContext.continued(opening, function: "fit_predict", with: whole) == whole)
        #expect(SearchContext.continued(opening, function: "fit_predict", with: "    return x + 1\n```") == whole)
        #expect(SearchContext.continued(nil, function: nil, with: "    return 2") == "    return 2")
    }

    @Test func outlinesOfScriptsThatDifferInTheirModelShareTheTextAboveIt() async throws {
        let root = try agentScratch()
        let editor = EditApplier(tools: ToolRunner(sandbox: try await Sandbox.probing(), python: agentTestPython()))
        func script(_ model: String, _ imports: String) -> String {
            """
            \"\"\"\(model): a card example.\"\"\"
            import numpy as np
            import pandas as pd
            \(imports)

            train = pd.read_csv("input/train.csv")


            def features(frame):
                \"\"\"Extra columns.\"\"\"
                return frame


            def fit_predict(x, y):
                \"\"\"Fits and predicts.\"\"\"
                return \(model)().fit(x, y).predict(x)


            print("validation_score:", np.mean(fit_predict(features(train), train["y"])))
            """
        }
        let forest = script("RandomForestRegressor", "from sklearn.ensemble import RandomForestRegressor")
        let ridge = script("Ridge", "from sklearn.linear_model import Ridge")
        let a = await editor.skeleton(of: forest, keeping: "fit_predict", elidingFocus: true, scratch: root.appendingPathComponent("a"))
        let b = await editor.skeleton(of: ridge, keeping: "fit_predict", elidingFocus: true, scratch: root.appendingPathComponent("b"))
        let shared = String(zip(a, b).prefix { $0 == $1 }.map(\.0))
        // Everything down to the model's own import is the same text; the old order diverged at the docstring.
        #expect(shared.hasPrefix("import numpy as np\nimport pandas as pd\n\ntrain = pd.read_csv"))
        #expect(shared.contains("def features(frame):") && !shared.contains("def fit_predict"))
        #expect(a.contains("from sklearn.ensemble import RandomForestRegressor\n\ndef fit_predict(x, y):"))
        // The outline is drawn, not run: the script itself keeps its imports at the top.
        #expect(forest.contains("import pandas as pd\nfrom sklearn.ensemble import RandomForestRegressor\n"))
    }

    @Test func columnsAFrameIsBuiltWithAreKnownToThePreflightCheck() async throws {
        let root = try agentScratch()
        let profile = root.appendingPathComponent("profile.json")
        try #"{"target_columns": ["y"], "files": [{"file": "train.csv", "column_names": ["id", "review", "y"]}, {"file": "test.csv", "column_names": ["id", "review"]}]}"#
            .write(to: profile, atomically: true, encoding: .utf8)
        let preflight = try Preflight(sandbox: try await Sandbox.probing(), python: agentTestPython(), profile: profile)
        // The text examples build their feature frame from a dict (a run's edit was stopped here).
        let built = """
        import pandas as pd
        train = pd.read_csv("input/train.csv")
        x = pd.DataFrame({"__text__": train["review"]})
        y = pd.DataFrame(train[["id"]].to_numpy(), columns=["row_id"])
        print(x["__text__"].str.len().sum(), y["row_id"].sum(), "submission/submission.csv")
        """
        let report = await preflight.check(built + "\nprint(x[\"revue\"])\n", scratch: root.appendingPathComponent("check"))
        let messages = report.findings.filter { $0.severity == "error" }.map(\.message)
        #expect(messages.count == 1 && messages.first?.contains("column 'revue' does not exist") == true, "\(messages)")
    }

    @Test func aScriptStoppedByTheDeadlineIsNeitherFailedNorCounted() async throws {
        let root = try agentScratch()
        // The edit runs for a minute; the search has about ten seconds.
        let slow = "```python\nimport time\n\n\ndef strength():\n    \"\"\"Slow.\"\"\"\n    time.sleep(60)\n    return 0.9\n```"
        let llm = ScriptedLLM([.init(step: "candidate/*", replies: [slow])])
        let runner = try await toyRunner(llm: llm, cards: [try functionCard("alpha", strength: 0.6)], settings: settings(),
                                         budget: Budget(wallSeconds: 20, reserveSeconds: 8), root: root)
        let summary = try await runner.run(configJSON: "{}")
        let journal = try Journal(path: RunLayout(root.appendingPathComponent("run")).journal)
        let stopped = try #require(try journal.node(forStep: "candidate/1")).node
        #expect(stopped.status == .pending && stopped.error == nil)
        #expect(summary.modelWork?.scriptsWritten == 0 && summary.modelWork?.scriptsRan == 0)
        #expect(summary.validSubmission && summary.finalScore == 0.6)
    }

    @Test func theFinalReserveShrinksToWhatTheSolutionsTake() async throws {
        let root = try agentScratch()
        let llm = ScriptedLLM([.init(step: "candidate/*", replies: [strengthEdit(0.8)])])
        let runner = try await toyRunner(llm: llm, cards: [try functionCard("alpha", strength: 0.6)], settings: settings(),
                                         budget: Budget(wallSeconds: 600, reserveSeconds: 150), root: root)
        let before = try await runner.makeContext()
        #expect(before.finalReserveSeconds == 150, "no script has run: the budget's reserve")
        let candidate = try await before.execute(step: "candidate/1/example", stage: .candidate, parent: nil, plan: "example",
                                                 code: try functionCard("alpha", strength: 0.6).example, origin: .example).0
        let seconds = try #require(candidate.executionSeconds)
        #expect(before.finalReserveSeconds == max(30, 2.5 * seconds + 20))
        #expect(before.finalReserveSeconds < 60)
        let left = try #require(before.searchSecondsLeft)
        #expect(left > 500 && left <= 570)
    }

    @Test func aRepeatedRequestGoesOutWithOtherSampling() async throws {
        let root = try agentScratch()
        let llm = ScriptedLLM([.init(step: "run", replies: ["a", "b"])])
        let runner = try await toyRunner(llm: llm, cards: [try functionCard("alpha", strength: 0.6)], settings: settings(), root: root)
        let context = try await runner.makeContext()
        _ = try await context.askText(.coder, prompt: "Say hi")
        _ = try await context.askText(.coder, prompt: "Say hi")
        #expect(llm.temperatures == [0, 0.7])
        #expect(llm.seeds == [nil, 1])
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: StarlingHome.resolve().solutionPython.path),
                   "needs the solution environment (`starling setup`)"))
    func misplacedImportsAreRepairedFromTheIndexWithoutAnLLMCall() async throws {
        let root = try agentScratch()
        // Two misplaced names from two libraries, as small models write them.
        let script = """
        ```python
        import os
        import numpy as np
        from sklearn.preprocessing import SimpleImputer, StandardScaler
        from numpy.linalg import nanmean
        values = SimpleImputer().fit_transform(np.array([[1.0], [np.nan], [3.0]]))
        strength = float(nanmean(values)) / 4
        os.makedirs("submission", exist_ok=True)
        open("submission/submission.csv", "w").write("id,y\\n1," + str(strength) + "\\n")
        ```
        """
        var settings = settings()
        settings.editFormat = .whole
        let llm = ScriptedLLM([.init(step: "candidate/1", replies: [script])])
        let runner = try await toyRunner(llm: llm, cards: [try toyCard("alpha", score: 0.1)], settings: settings, root: root)
        let summary = try await runner.run(configJSON: "{}")
        let journal = try Journal(path: RunLayout(root.appendingPathComponent("run")).journal)
        let node = try #require(try journal.node(forStep: "candidate/1")).node
        #expect(node.code.contains("from sklearn.impute import SimpleImputer"))
        #expect(node.code.contains("from sklearn.preprocessing import StandardScaler"))
        #expect(node.code.contains("from numpy import nanmean"))
        #expect(node.status == .succeeded && node.harnessScore == 0.5)
        #expect(llm.prompts.count == 1, "no debug round was needed")
        #expect(summary.modelWork?.repairsByKind["import"] == 1)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: StarlingHome.resolve().solutionPython.path),
                   "needs the solution environment (`starling setup`)"))
    func namesUsedButNeverImportedAreImportedBeforeTheRun() async throws {
        let root = try agentScratch()
        // What the 1.5B model wrote when asked to add a second model: the class, never imported.
        let script = """
        ```python
        import os
        def fit():
            model = RandomForestClassifier(n_estimators=5, random_state=0)
            model.fit(np.array([[0.0], [1.0], [0.0], [1.0]]), [0, 1, 0, 1])
            return float(model.predict_proba(np.array([[1.0]]))[0, 1])
        os.makedirs("submission", exist_ok=True)
        open("submission/submission.csv", "w").write("id,y\\n1," + str(round(fit() * 0.7, 3)) + "\\n")
        ```
        """
        var settings = settings()
        settings.editFormat = .whole
        let llm = ScriptedLLM([.init(step: "candidate/1", replies: [script])])
        let runner = try await toyRunner(llm: llm, cards: [try toyCard("alpha", score: 0.1)], settings: settings, root: root)
        let summary = try await runner.run(configJSON: "{}")
        let journal = try Journal(path: RunLayout(root.appendingPathComponent("run")).journal)
        let node = try #require(try journal.node(forStep: "candidate/1")).node
        #expect(node.code.contains("from sklearn.ensemble import RandomForestClassifier"))
        #expect(node.code.contains("import numpy as np"))
        #expect(node.status == .succeeded && node.harnessScore == 0.7)
        #expect(llm.prompts.count == 1, "no debug round was needed")
        #expect(summary.modelWork?.repairsByKind["name"] == 1)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: StarlingHome.resolve().solutionPython.path),
                   "needs the solution environment (`starling setup`)"))
    func aModuleAttributeErrorIsRepairedAsANodeOfItsOwn() async throws {
        let root = try agentScratch()
        let script = """
        ```python
        import os
        import numpy as np
        import pandas as pd
        train, valid = pd.train_test_split(np.arange(10), test_size=0.3, random_state=0)
        os.makedirs("submission", exist_ok=True)
        open("submission/submission.csv", "w").write("id,y\\n1," + str(len(valid) / 10) + "\\n")
        ```
        """
        var settings = settings()
        settings.editFormat = .whole
        let llm = ScriptedLLM([.init(step: "candidate/1", replies: [script])])
        let runner = try await toyRunner(llm: llm, cards: [try toyCard("alpha", score: 0.1)], settings: settings, root: root)
        let summary = try await runner.run(configJSON: "{}")
        let journal = try Journal(path: RunLayout(root.appendingPathComponent("run")).journal)
        let failed = try #require(try journal.node(forStep: "candidate/1")).node
        #expect(failed.error?.contains("has no attribute 'train_test_split'") == true)
        let repaired = try #require(try journal.node(forStep: "candidate/1/repair/1")).node
        #expect(repaired.origin == .repair && repaired.parentID == failed.id)
        #expect(repaired.code.contains("sklearn.model_selection"))
        #expect(repaired.harnessScore == 0.3)
        #expect(llm.prompts.count == 1, "the repair needed no LLM call")
        #expect(summary.modelWork?.repairsByKind["attribute"] == 1)
        #expect(summary.modelWork?.submittedOrigin == .repair)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: StarlingHome.resolve().solutionPython.path),
                   "needs the solution environment (`starling setup`)"))
    func arithmeticOnStringColumnsIsRemovedFromTheFailingFunction() async throws {
        let root = try agentScratch()
        // What the 1.5B model wrote for "add two numeric columns" on wa-churn: a ratio of every
        // column, text columns included.
        let script = """
        import pandas as pd


        def add_features(frame):
            \"\"\"New columns.\"\"\"
            frame["x_half"] = frame["x"] / 2
            frame["plan_ratio"] = frame["plan"] / (frame["plan"] + 1)
            frame["plan_x"] = (frame["x"]
                               * frame["plan"])
            return frame


        train = add_features(pd.read_csv("train.csv"))
        print("validation_score:", train["x_half"].sum())
        """
        try "id,x,plan,y\n1,0.5,basic,1\n2,0.1,premium,0\n".write(to: root.appendingPathComponent("train.csv"), atomically: true, encoding: .utf8)
        let profile = root.appendingPathComponent("profile.json")
        try #"{"files": [{"file": "train.csv", "columns": [{"name": "id", "dtype": "integer"}, {"name": "x", "dtype": "number"}, {"name": "plan", "dtype": "string"}, {"name": "y", "dtype": "integer"}]}]}"#
            .write(to: profile, atomically: true, encoding: .utf8)
        let error = """
        Traceback (most recent call last):
          File "/work/run/nodes/5/solution.py", line 13, in <module>
          File "/work/run/nodes/5/solution.py", line 7, in add_features
        TypeError: unsupported operand type(s) for +: 'str' and 'int'
        """
        let sandbox = try await Sandbox.probing()
        let python = agentTestPython()
        let index = try #require(await APIIndex.ensure(python: python, sandbox: sandbox))
        let repairer = CodeRepairer(tools: ToolRunner(sandbox: sandbox, python: python), index: index, profile: profile)
        let repair = await repairer.repair(script, error: error, scratch: root.appendingPathComponent("repair"))
        let fixed = try #require(repair.fixedSource)
        #expect(repair.kinds == ["string-arithmetic"])
        #expect(fixed.contains("frame[\"x_half\"] = frame[\"x\"] / 2"))
        #expect(!fixed.contains("plan_ratio") && !fixed.contains("plan_x") && !fixed.contains("* frame[\"plan\"]"))
        // The repaired script runs.
        let run = try runTestScript(fixed, in: root, name: "fixed")
        #expect(run.status == 0)
        #expect(run.text.contains("validation_score: 0.3"))
        // Without the profile the same error is left to the LLM.
        let blind = await CodeRepairer(tools: ToolRunner(sandbox: sandbox, python: python), index: index)
            .repair(script, error: error, scratch: root.appendingPathComponent("blind"))
        #expect(blind.fixedSource == nil)
    }

    @Test func knownErrorPatternsCarryAHint() {
        let hints = ErrorHints()
        let lightgbm = hints.matching("lightgbm.basic.LightGBMError: train and valid dataset categorical_feature do not match.")
        #expect(lightgbm.map(\.name) == ["lightgbm-categorical-mismatch"])
        #expect(hints.matching("ValueError: could not convert string to float: 'Male'").map(\.name) == ["object-columns-numeric-model"])
        #expect(hints.matching("ZeroDivisionError: division by zero").isEmpty)
        // Failures of the bench's edits: arithmetic on a string column, a 1-D array where the
        // caller indexes two dimensions, a function that returns nothing, a forced objective.
        #expect(hints.matching("TypeError: unsupported operand type(s) for /: 'float' and 'str'").map(\.name) == ["arithmetic-on-strings"])
        #expect(hints.matching("IndexError: too many indices for array: array is 1-dimensional, but 2 were indexed").map(\.name) == ["return-shape"])
        #expect(hints.matching("TypeError: cannot unpack non-iterable NoneType object").map(\.name) == ["returns-none"])
        #expect(hints.matching("lightgbm.basic.LightGBMError: Number of classes must be 1 for non-multiclass training").map(\.name) == ["lightgbm-objective"])
        // A `fit_predict` that took `kind` for a model name (wa-churn, three debug rounds).
        #expect(hints.matching("ValueError: Unsupported kind: proba").map(\.name) == ["kind-values"])
    }

    @Test func debugPromptsShowTheScriptsFramesAndOneLinePerRunOfLibraryFrames() {
        let site = "/root/.cache/starling/python/lib/python3.11/site-packages"
        let error = """
        The script exited with code 1. End of its output:
        Traceback (most recent call last):
          File "/work/run/nodes/10/solution.py", line 140, in <module>
            proba = fit_predict(x_fit, codes, x_other, kind)
                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          File "/work/run/nodes/10/solution.py", line 117, in fit_predict
            gbm = lgb.LGBMClassifier(**params).fit(x_fit, y_fit).predict_proba(x_other)
                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          File "\(site)/lightgbm/sklearn.py", line 1704, in fit
            super().fit(
          File "\(site)/lightgbm/engine.py", line 296, in train
            booster = Booster(params=params, train_set=train_set)
                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          File "\(site)/lightgbm/basic.py", line 730, in _check_for_bad_pandas_dtypes
            raise ValueError(
        ValueError: pandas dtypes must be int, float or bool.
        Fields with bad pandas dtypes: contract: str
        """
        let compact = EditApplier.compactTraceback(error)
        #expect(compact == """
        The script exited with code 1. End of its output:
        Traceback (most recent call last):
          File "solution.py", line 140, in <module>
            proba = fit_predict(x_fit, codes, x_other, kind)
          File "solution.py", line 117, in fit_predict
            gbm = lgb.LGBMClassifier(**params).fit(x_fit, y_fit).predict_proba(x_other)
          ... 3 frames inside lightgbm (last: lightgbm/basic.py _check_for_bad_pandas_dtypes)
        ValueError: pandas dtypes must be int, float or bool.
        Fields with bad pandas dtypes: contract: str
        """)
        #expect(EditApplier.failingLine(in: compact) == 117, "the failing line survives")
    }

    @Test func theFailingLineIsTheLastFrameInTheScript() {
        let error = """
        Traceback (most recent call last):
          File "/work/run/nodes/3/solution.py", line 40, in <module>
            main()
          File "/work/run/nodes/3/solution.py", line 12, in main
            fit(x)
          File "/venv/lib/python3.11/site-packages/sklearn/base.py", line 99, in fit
        """
        #expect(EditApplier.failingLine(in: error) == 12)
        #expect(EditApplier.failingLine(in: "no traceback") == nil)
        #expect(EditApplier.sameUpToWhitespace("a = 1  \n\n\nb = 2\n", "a = 1\nb = 2"))
        #expect(!EditApplier.sameUpToWhitespace("a = 1", "a = 2"))
    }
}
