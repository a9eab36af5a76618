import Foundation
import StarlingTestSupport
import StarlingBench
import StarlingRuntime
import Testing

/// `starling export trajectories` on a real bench folder: runs of the built executable against a
/// scripted OpenAI-compatible model that records every request it receives. The model answers
/// the first ask of a request with no code (the reply is discarded and the same request asked
/// again) and the second with a script that copies the sample submission (it runs, scores 0.5).
@Suite(.serialized) struct TrainingExportTests {
    static let home = StarlingHome.resolve()
    static var ready: Bool {
        FileManager.default.isExecutableFile(atPath: RayExecutorTests.executable.path)
            && FileManager.default.isExecutableFile(atPath: home.solutionPython.path)
            && FileManager.default.isExecutableFile(atPath: home.dataPython.path)
    }

    static let copySample = """
        Plan: copy the sample submission as a first valid baseline.

        ```python
        import os
        import shutil

        os.makedirs("submission", exist_ok=True)
        shutil.copy("input/sample_submission.csv", "submission/submission.csv")
        print("validation score: 0.5")
        ```
        """

    func lines(_ file: URL) throws -> [[String: Any]] {
        try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    func export(_ folder: URL, _ format: String, to output: URL, _ extra: [String] = []) async throws -> String {
        let process = try StarlingProcess(["export", "trajectories", folder.path, "--format", format, "--out", output.path] + extra,
                                          log: output.appendingPathExtension("log"))
        let status = await process.wait(seconds: 120)
        let text = process.tail(lines: 20)
        #expect(status == 0, "\(text)")
        return text
    }

    @Test(.enabled(if: ready, "needs .build/debug/starling and `starling setup --data`"))
    func aBenchExportsUniqueTrajectoriesTheRealPromptsAndPairsOnlySameContextReplies() async throws {
        for id in ["wa-churn", "credit-data"] {
            let task = try TaskStore.locate().task(id)
            _ = try await TaskPreparer(python: Self.home.dataPython).prepareIfNeeded(task)
        }
        let root = try TemporaryFolder("export")
        let record = root.file("requests.jsonl")
        let model = try ScriptedModel(replies: ["I have no idea.", Self.copySample], record: record)
        defer { model.stop() }
        let benchFolder = root.file("benches/bench-a")
        let bench = try StarlingProcess(["bench", "--tasks", "wa-churn,credit-data", "--strategies", "aide", "--seeds", "1",
                                         "--time", "1m", "--llm", model.llm, "--out", benchFolder.path], log: root.file("bench.log"))
        #expect(await bench.wait(seconds: 600) == 0, "\(bench.tail())")

        // Two cells, both in a `seed-1` folder: two trajectories, found from the folder above the bench.
        let steps = root.file("steps.jsonl")
        let stepsSummary = try await export(root.file("benches"), "steps", to: steps, ["--check"])
        let stepLines = try lines(steps)
        let ids = Set(stepLines.compactMap { $0["trajectory_id"] as? String })
        #expect(ids.count == 2, "\(ids)")
        #expect(ids.contains { $0.hasPrefix("wa-churn/aide/seed-1/") } && ids.contains { $0.hasPrefix("credit-data/aide/seed-1/") })
        #expect(stepsSummary.contains("from 2 trajectories in 2 folders"))
        #expect(stepsSummary.contains("every line matches the schema"))

        // Every conversation is a request as the model received it, plus the reply.
        let chat = root.file("chat.jsonl")
        let chatSummary = try await export(benchFolder, "chat", to: chat)
        let conversations = try lines(chat)
        let received = try lines(record).map { $0["messages"] as! [[String: String]] }
        #expect(conversations.count == received.count && !received.isEmpty, "one conversation per request (\(chatSummary))")
        var unmatched = received.map { $0 }
        for conversation in conversations {
            let messages = try #require(conversation["messages"] as? [[String: String]])
            #expect(messages.last?["role"] == "assistant")
            let sent = Array(messages.dropLast())
            let index = unmatched.firstIndex(of: sent)
            #expect(index != nil, "the exported prompt is exactly what the model received")
            if let index { unmatched.remove(at: index) }
            let meta = try #require(conversation["metadata"] as? [String: Any])
            #expect(meta.keys.contains("reward") && meta.keys.contains("harness_score") && meta.keys.contains("duration_seconds"))
        }
        #expect(unmatched.isEmpty)
        let rewards = conversations.compactMap { ($0["metadata"] as? [String: Any])?["reward"] as? Double }
        #expect(rewards.contains(0) && rewards.contains { $0 > 0 }, "both discarded and scored replies are there")

        // --only-succeeded keeps the conversations whose node ran and scored.
        let good = root.file("good.jsonl")
        let goodSummary = try await export(benchFolder, "chat", to: good, ["--only-succeeded"])
        let kept = try lines(good)
        #expect(!kept.isEmpty && kept.count < conversations.count)
        #expect(kept.allSatisfy { ($0["metadata"] as? [String: Any])?["node_status"] as? String == "succeeded" })
        #expect(goodSummary.contains("skipped:"))

        // Preference pairs: the same messages, a better and a worse reply.
        let pairs = root.file("pairs.jsonl")
        _ = try await export(benchFolder, "preference", to: pairs)
        let pairLines = try lines(pairs)
        #expect(!pairLines.isEmpty)
        for pair in pairLines {
            let prompt = try #require(pair["prompt"] as? [[String: String]])
            let meta = try #require(pair["metadata"] as? [String: Any])
            let chosenID = meta["chosen_trajectory_id"] as? String, rejectedID = meta["rejected_trajectory_id"] as? String
            let chosenCall = meta["chosen_call"] as? Int, rejectedCall = meta["rejected_call"] as? Int
            func sent(_ id: String?, _ call: Int?) -> [[String: String]]? {
                conversations.first {
                    let m = $0["metadata"] as? [String: Any]
                    return m?["trajectory_id"] as? String == id && m?["call"] as? Int == call
                }.map { Array(($0["messages"] as! [[String: String]]).dropLast()) }
            }
            #expect(sent(chosenID, chosenCall) == prompt && sent(rejectedID, rejectedCall) == prompt,
                    "both replies answered exactly the pair's prompt")
            #expect((meta["chosen_reward"] as? Double ?? 0) > (meta["rejected_reward"] as? Double ?? 1))
            #expect((pair["chosen"] as? [[String: String]])?.first?["content"] != (pair["rejected"] as? [[String: String]])?.first?["content"])
        }
    }
}
