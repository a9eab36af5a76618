import Foundation
import StarlingCore
import StarlingRuntime
import StarlingStore
import StarlingRunFolder
import Testing
@testable import StarlingDojo

@Suite(.serialized) struct TrajectoryExportTests {
    @Test func episodeExportMatchesTheSchemaAndTheEpisode() async throws {
        let root = try dojoScratch()
        let tasks = try ToyTask.make(in: root.appendingPathComponent("tasks"))
        let configuration = DojoConfiguration(
            tasks: tasks, workRoot: root.appendingPathComponent("work"), sandbox: try await Sandbox.probing(), python: dojoTestPython(), totalCores: 2)
        let server = try DojoServer(configuration: configuration)
        let env = try await server.registry.create(task: ToyTask.id, options: EnvironmentOptions())
        let info = try await env.step(.requestInfo(.metadata))
        let failed = try await env.step(.executeCode(ToyTask.stageScripts[3].code))
        let worked = try await env.step(.executeCode(ToyTask.solution))
        let submitted = try await env.step(.submit(step: nil))
        _ = try await server.registry.remove(env.id)

        let output = root.appendingPathComponent("out/trajectories.jsonl")
        let written = try TrajectoryExporter(tasks: tasks).export([configuration.workRoot], to: output)
        #expect(written.steps == 4)
        #expect(written.trajectories == 1)
        let text = try String(contentsOf: output, encoding: .utf8)
        #expect(try TrajectorySchema().problems(inLines: text).isEmpty)

        let lines = try text.split(separator: "\n").map { try JSONValue.parse(Data($0.utf8)) }
        #expect(lines.map { $0["step"]?.number } == [1, 2, 3, 4])
        #expect(lines.map { $0["done"]?.bool } == [false, false, false, true])
        #expect(lines[0]["prompt"]?.string?.hasPrefix("Task toy") == true, "step 1 sees the initial observation")
        #expect(lines[1]["prompt"]?.string == info.observation.feedback, "each step sees the observation before it")
        #expect(lines[2]["prompt"]?.string == failed.observation.feedback)
        #expect(lines[1]["response"]?.string == ToyTask.stageScripts[3].code)
        #expect(lines[1]["partial_credit"]?.number == 0.2)
        #expect(lines[1]["stages"]?["model_fitted"]?.bool == true)
        #expect(lines[1]["stages"]?["predictions_made"]?.bool == false)
        #expect(lines[2]["reward"]?.number == worked.reward)
        #expect(lines[2]["score"]?.number == worked.info["raw_score"]?.number)
        #expect((lines[2]["duration_seconds"]?.number ?? 0) > 0)
        let finalScore = try #require(submitted.info["final"]?["test_score"]?.number)
        #expect(lines.allSatisfy { $0["final_score"]?.number == finalScore })
        #expect(lines[3]["terminated"]?.bool == true)
        #expect(lines[0]["partial_credit"] == .null)
        #expect(lines[0]["trajectory_id"]?.string == "\(env.id)/episode-1")
    }

    @Test func runFolderExportsOneStepPerNode() throws {
        let run = try dojoScratch()
        let journal = try Journal(path: RunLayout(run).journal)
        _ = try journal.startRun(RunRecord(id: "run-1", taskID: "toy", strategy: "aide", configJSON: "{}"))
        try journal.save(JournalNode(stepKey: "draft/1", node: Node(
            id: 1, stage: .draft, plan: "threshold on x", code: "print(1)", status: .succeeded, harnessScore: 0.9, executionSeconds: 2)))
        try journal.save(JournalNode(stepKey: "improve/1", node: Node(
            id: 2, parentID: 1, stage: .improve, plan: "bigger model", code: "print(2)", status: .failed,
            error: "The submission is invalid: wrong columns", executionSeconds: 3)))
        try journal.save(JournalNode(stepKey: "improve/1/debug/1", node: Node(
            id: 3, parentID: 2, stage: .debug, plan: "fix", code: "print(3)", status: .failed,
            error: "The script exited with code 1. End of its output:\nValueError", executionSeconds: 1)))
        for (step, latency) in [("draft/1", 4.0), ("improve/1", 5.0), ("improve/1", 1.5)] {
            try journal.record(JournalLLMCall(role: "coder", model: "local:x", stepKey: step, promptTokens: 100, completionTokens: 50,
                                              costUSD: 0, latencySeconds: latency, cacheHit: false))
        }
        var summary = RunSummary(runFolder: run.path, taskID: "toy", strategy: "aide", stopReason: "time")
        summary.finalScore = 0.88
        summary.baseline = 0.5
        summary.reference = 1.0
        summary.direction = "higher"
        try RunLayout.writeJSON(summary, to: RunLayout(run).summary)

        let steps = try TrajectoryExporter().steps(from: run)
        #expect(steps.count == 3)
        #expect(steps.map(\.source) == ["run", "run", "run"])
        #expect(steps[0].partialCredit == 0.5 + 0.5 * 0.8, "graded: 0.5 + 0.5 × position (0.9 between 0.5 and 1.0)")
        #expect(steps[1].partialCredit == 0.4, "an invalid submission was written")
        #expect(steps[2].partialCredit == 0.0)
        #expect(steps[0].durationSeconds == 2 + 4)
        #expect(steps[1].durationSeconds == 3 + 5 + 1.5)
        // Task, strategy, folder name and the run's UUID: bench cells all live in `seed-1` folders.
        let id = try #require(steps.first?.trajectoryID)
        #expect(id.hasPrefix("toy/aide/\(run.lastPathComponent)/") && id.count == "toy/aide/\(run.lastPathComponent)/".count + 8)
        #expect(steps.allSatisfy { $0.finalScore == 0.88 && $0.trajectoryID == id })
        #expect(steps[1].prompt.contains("Parent node 1") && steps[1].prompt.contains("threshold on x"))
        #expect(steps[2].prompt.contains("wrong columns"), "a debug step sees its parent's error")
        #expect(steps[1].response.contains("bigger model") && steps[1].response.contains("print(2)"))
        #expect(steps[1].metadata["llm"]?["calls"]?.number == 2)
        #expect(steps.last?.done == true)

        let output = run.appendingPathComponent("t.jsonl")
        try TrajectoryExporter().export([run], to: output)
        #expect(try TrajectorySchema().problems(inLines: String(contentsOf: output, encoding: .utf8)).isEmpty)
    }

    @Test func preferencePairsSiblingChangesByTheirCrossValidatedGainBeyondNoise() throws {
        let run = try dojoScratch()
        let journal = try Journal(path: RunLayout(run).journal)
        _ = try journal.startRun(RunRecord(id: "run-1", taskID: "toy", strategy: "mle-star", configJSON: "{}"))
        let system = LLMExchange.Message(role: "system", content: "You write Python.")
        func ask(_ idea: String) -> [LLMExchange.Message] { [system, .init(role: "user", content: "Make this one change: \(idea)")] }
        // Node 1, a card example; nodes 2–4, three model-written changes of it, each from its own instruction.
        try journal.save(JournalNode(stepKey: "candidate/1/example", node: Node(
            id: 1, stage: .candidate, plan: "example", code: "model = fit(x)\npredict(model)", status: .succeeded, harnessScore: 0.80, origin: .example)))
        let children: [(id: Int, idea: String, code: String, dev: Double, folds: [Double])] = [
            (2, "tune the settings", "model = fit(x, depth=3)\npredict(model)", 0.79, [0.81, 0.83, 0.82, 0.80, 0.84]),
            (3, "add ratios", "x = ratios(x)\nmodel = fit(x)\npredict(model)", 0.82, [0.71, 0.72, 0.70, 0.73, 0.71]),
            (4, "scale the columns", "x = scale(x)\nmodel = fit(x)\npredict(model)", 0.78, [0.81, 0.82, 0.83, 0.80, 0.83]),
        ]
        for child in children {
            let step = "candidate/\(child.id)"
            try journal.save(JournalNode(stepKey: step, node: Node(
                id: child.id, parentID: 1, stage: .candidate, plan: child.idea, code: child.code, status: .succeeded, harnessScore: child.dev)))
            try journal.setArtifact(CrossValidation(foldScores: child.folds), forKey: CrossValidation.journalKey(node: child.id))
            try journal.record(JournalLLMCall(role: "coder", model: "local:x", stepKey: step, promptTokens: 100, completionTokens: 50, costUSD: 0,
                                              latencySeconds: 1, cacheHit: false,
                                              exchange: LLMExchange(messages: ask(child.idea), reply: "```python\n\(child.code)\n```")))
        }
        var summary = RunSummary(runFolder: run.path, taskID: "toy", strategy: "mle-star", stopReason: "time")
        (summary.baseline, summary.reference, summary.direction) = (0.5, 1.0, "higher")
        try RunLayout.writeJSON(summary, to: RunLayout(run).summary)

        let output = run.appendingPathComponent("pairs.jsonl")
        let counts = try TrajectoryExporter().export([run], to: output, format: .preference)
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n").map { try JSONValue.parse(Data($0.utf8)) }
        // Node 3 had the best dev score but the worst folds: both others beat it beyond noise;
        // nodes 2 and 4 are within noise of each other and make no pair.
        #expect(counts.pairs == 2 && lines.count == 2, "\(counts.summary)")
        let chosen = Set(lines.compactMap { $0["metadata"]?["chosen_node_id"]?.number })
        #expect(chosen == [2, 4])
        #expect(lines.allSatisfy { $0["metadata"]?["rejected_node_id"]?.number == 3 })
        for line in lines {
            #expect(line["metadata"]?["pairing"]?.string == "siblings")
            #expect((line["metadata"]?["cv_gain"]?.number ?? 0) > (line["metadata"]?["cv_gain_standard_error"]?.number ?? 1))
            // The prompt is the chosen reply's own; the rejected reply's instruction is kept beside it.
            let chosenIdea = children.first { Double($0.id) == line["metadata"]?["chosen_node_id"]?.number }!.idea
            #expect(line["prompt"]?.array?[1]["content"]?.string?.hasSuffix(chosenIdea) == true)
            #expect(line["metadata"]?["rejected_prompt"]?.array?[1]["content"]?.string?.hasSuffix("add ratios") == true)
            #expect(line["rejected"]?.array?[0]["content"]?.string?.contains("ratios(x)") == true)
        }
    }

    @Test func schemaCheckCatchesBrokenLines() throws {
        let schema = try TrajectorySchema()
        let step = TrajectoryStep(
            source: "episode", trajectoryID: "e/episode-1", taskID: "toy", step: 1, prompt: "p", response: "r",
            action: .object(["name": .string("get_history"), "params": .object([:])]), reward: 0, partialCredit: nil, stages: .null,
            durationSeconds: 0.1, score: nil, finalScore: nil, done: true, terminated: false, truncated: false, metadata: .object([:]))
        let good = try JSONValue.parse(JSONEncoder().encode(step))
        #expect(schema.problems(in: good).isEmpty)
        guard case .object(var members) = good else { Issue.record("not an object"); return }
        members["reward"] = .string("high")
        members["extra"] = .bool(true)
        members["step"] = .number(0)
        members["source"] = .string("other")
        members.removeValue(forKey: "prompt")
        let problems = schema.problems(in: .object(members))
        #expect(problems.contains { $0.contains("$.reward") })
        #expect(problems.contains { $0.contains("'extra'") })
        #expect(problems.contains { $0.contains("$.step") })
        #expect(problems.contains { $0.contains("$.source") })
        #expect(problems.contains { $0.contains("'prompt'") })
        #expect(schema.problems(inLines: "{\"schema\": 1}\nnot json\n").count > 2)
    }

    @Test func aFolderWithoutTrajectoriesIsAnErrorThatSaysWhatWasExpected() throws {
        let empty = try dojoScratch()
        #expect {
            try TrajectoryExporter().steps(from: empty)
        } throws: { error in
            "\(error)".contains(RunLayout.Name.journal) && "\(error)".contains("environment.json")
        }
    }
}
