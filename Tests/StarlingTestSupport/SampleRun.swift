import Foundation
import StarlingAgents
import StarlingBench
import StarlingCore
import StarlingStore
import StarlingRunFolder
import StarlingRuntime

/// A small run folder written the way `starling run` writes one: a journal with five nodes (one
/// failed, one ablation, one final rerun), LLM calls for two roles, an ablation summary, and
/// tree.json, summary.json, final/solution.py and final/grade.json.
package enum SampleRun {
    /// The kept exchange's long context (cut in the report) and its reply.
    package static let exchangeContext = String(repeating: "column_a: int, 3% missing\n", count: 400)
    package static let exchangeReply = "Plan: gradient boosting.\n\n```python\nprint('score < 1 & > 0')\n```"
    package static let spec = TaskSpec(id: "wa-churn", name: "Churn", metric: .rocAUC, direction: .higher, taskType: .binaryClassification,
                               idColumn: "id", targetColumns: ["churn"],
                               baseline: RecordedScore(value: 0.80, source: "baseline.py"),
                               reference: RecordedScore(value: 0.90, source: "reference.py"))

    package static let firstCode = """
        import pandas as pd
        train = pd.read_csv("train.csv")
        model = LogisticRegression()
        print("score < 1 & > 0")
        model.fit(X, y)
        """

    package static let finalCode = """
        import pandas as pd
        train = pd.read_csv("train.csv")
        model = LGBMClassifier(n_estimators=300)
        print("score < 1 & > 0")
        model.fit(X, y)
        pd.DataFrame(p).to_csv("submission.csv")
        """

    package static let hostilePlan = "<script>alert('plan')</script>"
    package static let hostileError = "KeyError: '<b>churn</b>' & more"
    package static let ablationText = "Removing <one-hot> encoding costs 0.02 AUC & scaling matters little."

    /// Writes the sample into `folder`.
    ///
    /// - Parameters:
    ///   - folder: The run folder.
    ///   - finished: Whether to write the files a finished run leaves (summary, tree, final/).
    ///   - leak: A leak flag to put in the summary.
    package static func write(to folder: URL, finished: Bool = true, leak: String? = nil) throws {
        let journal = try Journal(path: RunLayout(folder).journal)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        _ = try journal.startRun(RunRecord(id: "sample-run", taskID: spec.id, strategy: "mle-star", configJSON: "{}", startedAt: start))
        let nodes: [(String, Node)] = [
            ("candidate/1", Node(id: 1, stage: .candidate, plan: "logistic regression", code: firstCode, status: .succeeded,
                                 harnessScore: 0.81, executionSeconds: 12, createdAt: start.addingTimeInterval(30))),
            ("candidate/2", Node(id: 2, stage: .candidate, plan: hostilePlan, code: "import nothing", status: .failed,
                                 error: hostileError, executionSeconds: 2, createdAt: start.addingTimeInterval(60))),
            ("b1/refine/1/inner/1", Node(id: 3, parentID: 1, stage: .refine, plan: "use LightGBM", code: finalCode, status: .succeeded,
                                         harnessScore: 0.86, executionSeconds: 20, createdAt: start.addingTimeInterval(120))),
            ("b1/refine/1/ablation", Node(id: 4, parentID: 3, stage: .ablation, plan: "ablation study of node 3", code: "print(1)",
                                          status: .succeeded, executionSeconds: 5, createdAt: start.addingTimeInterval(150))),
            ("final/3", Node(id: 5, parentID: 3, stage: .final, plan: "final run", code: finalCode, status: .succeeded,
                             executionSeconds: 22, createdAt: start.addingTimeInterval(200))),
        ]
        for (step, node) in nodes { try journal.save(JournalNode(stepKey: step, node: node)) }
        for (index, (role, tokens)) in [("coder", 1000), ("coder", 500), ("planner", 300)].enumerated() {
            // The first call kept its exchange, as every call does now; the others are from an older journal.
            let exchange = index > 0 ? nil : LLMExchange(
                messages: [LLMExchange.Message(role: "system", content: "You are a Kaggle grandmaster."),
                           LLMExchange.Message(role: "user", content: "Predict <b>churn</b>; the task context follows.\n\n" + exchangeContext)],
                reply: exchangeReply, temperature: 0.7, seed: 3, maxTokens: 2048, responseFormat: "text", finishReason: "stop")
            try journal.record(JournalLLMCall(role: role, model: "local:qwen2.5-coder-1.5b", stepKey: "candidate/1", promptTokens: tokens,
                                             completionTokens: tokens / 2, costUSD: 0.001, latencySeconds: 2, cacheHit: false,
                                             createdAt: start.addingTimeInterval(20), exchange: exchange))
        }
        try journal.record(EventRecord(at: start.addingTimeInterval(10), kind: "stage", message: "retrieving 4 candidate models"))
        try journal.setArtifact(ablationText, forKey: "b1/refine/1/ablation-summary")
        try journal.setArtifact(["code_block": "model = LogisticRegression()", "plan": "try <gbm>"], forKey: "b1/refine/1/block")
        guard finished else { return }

        try RunLayout.writeJSON(SearchTree(journal: journal, spec: spec), to: RunLayout(folder).tree)
        var summary = RunSummary(runFolder: folder.path, taskID: spec.id, strategy: "mle-star", stopReason: "time")
        summary.metric = "roc_auc"
        summary.direction = "higher"
        summary.baseline = 0.80
        summary.reference = 0.90
        summary.bestNodeID = 3
        summary.devScore = 0.86
        summary.finalScore = 0.85
        summary.gapClosed = 50
        summary.validSubmission = true
        summary.nodes = 5
        summary.elapsedSeconds = 240
        summary.leakFlags = leak.map { [$0] } ?? []
        summary.llm = try journal.llmTotals()
        try JSONEncoder().encode(summary).write(to: folder.appendingPathComponent("summary.json"))
        let final = folder.appendingPathComponent("final")
        try FileManager.default.createDirectory(at: final, withIntermediateDirectories: true)
        try finalCode.write(to: ScriptWorkspace(final).script, atomically: true, encoding: .utf8)
        let grade = GradeReport(competitionID: spec.id, score: 0.85, thresholds: nil, submissionExists: true, validSubmission: true,
                                isLowerBetter: false, submissionPath: final.appendingPathComponent(ScriptWorkspace.Name.submission).path, gapClosed: 50)
        try grade.jsonData().write(to: final.appendingPathComponent("grade.json"))
    }
}
