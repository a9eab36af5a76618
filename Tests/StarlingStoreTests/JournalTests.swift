import Foundation
import Testing
@testable import StarlingCore
@testable import StarlingStore

@Suite struct JournalTests {
    private func tempJournalPath() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)/journal.sqlite")
    }

    @Test func nodesSurviveReopeningAndAreFoundByStep() throws {
        let path = tempJournalPath()
        do {
            let journal = try Journal(path: path)
            _ = try journal.startRun(RunRecord(id: "r1", taskID: "wa-churn", strategy: "mle-star", configJSON: "{}"))
            let id = try journal.nextNodeID()
            #expect(id == 1)
            try journal.save(JournalNode(stepKey: "candidate/1", node: Node(id: id, stage: .candidate, plan: "lgbm", code: "print(1)",
                                                                              status: .succeeded, harnessScore: 0.81)))
            try journal.record(JournalLLMCall(role: "coder", model: "local:x", stepKey: "candidate/1", promptTokens: 100,
                                             completionTokens: 50, costUSD: 0, latencySeconds: 1.5, cacheHit: false))
            try journal.record(EventRecord(kind: "stage", message: "candidates"))
            try journal.setArtifact(["block": "x = 1"], forKey: "refine/1/plan")
        }
        let reopened = try Journal(path: path)
        let started = try reopened.startRun(RunRecord(id: "other", taskID: "t", strategy: "aide", configJSON: "{}"))
        #expect(started.id == "r1")
        #expect(started.strategy == "mle-star")
        let node = try #require(try reopened.node(forStep: "candidate/1"))
        #expect(node.node.harnessScore == 0.81)
        #expect(node.node.status == .succeeded)
        #expect(try reopened.node(forStep: "candidate/2") == nil)
        #expect(try reopened.nextNodeID() == 2)
        let totals = try reopened.llmTotals()
        #expect(totals.calls == 1 && totals.promptTokens == 100 && totals.completionTokens == 50)
        #expect(try reopened.events().map(\.message) == ["candidates"])
        #expect(try reopened.artifact([String: String].self, forKey: "refine/1/plan") == ["block": "x = 1"])
        #expect(try reopened.artifactKeys(prefix: "refine/") == ["refine/1/plan"])
    }

    /// What `starling resume` reads: the run record with the seconds earlier sessions spent, and
    /// pending nodes (running when the process died) that are run again under their ids.
    @Test func aResumedRunKeepsItsSpentTimeAndItsPendingNodes() throws {
        let path = tempJournalPath()
        do {
            let journal = try Journal(path: path)
            _ = try journal.startRun(RunRecord(id: "r1", taskID: "t", strategy: "aide", configJSON: "{}"))
            try journal.save(JournalNode(stepKey: "aide/1", node: Node(id: 1, stage: .draft, code: "a", status: .succeeded, harnessScore: 0.7)))
            try journal.save(JournalNode(stepKey: "aide/2", node: Node(id: 2, parentID: 1, stage: .improve, code: "b")))
            try journal.finishRun(status: "failed", elapsedSeconds: 250)
        }
        let journal = try Journal(path: path)
        let record = try #require(try journal.run())
        #expect(record.status == "failed" && record.priorSeconds == 250 && record.finishedAt != nil)
        try journal.markResumed(priorSeconds: record.priorSeconds)
        let resumed = try #require(try journal.run())
        #expect(resumed.status == "running" && resumed.priorSeconds == 250 && resumed.finishedAt == nil)
        #expect(try journal.node(forStep: "aide/2")?.node.status == .pending)
        #expect(try journal.node(forStep: "aide/1")?.node.status == .succeeded)
        #expect(try journal.nextNodeID() == 3, "new nodes continue after the recorded ones")
        try journal.finishRun(status: "finished", elapsedSeconds: 400)
        #expect(try journal.run()?.priorSeconds == 400)
    }

    @Test func aStepKeyHoldsOneNode() throws {
        let journal = try Journal(path: tempJournalPath())
        try journal.save(JournalNode(stepKey: "draft/1", node: Node(id: 1, stage: .draft, code: "a")))
        var updated = try #require(try journal.node(forStep: "draft/1"))
        updated.node.status = .failed
        updated.node.error = "boom"
        try journal.save(updated)
        #expect(try journal.nodes().count == 1)
        #expect(try journal.node(forStep: "draft/1")?.node.error == "boom")
        #expect(throws: JournalError.self) {
            try journal.save(JournalNode(stepKey: "draft/1", node: Node(id: 2, stage: .draft, code: "b")))
        }
    }

    @Test func unreadableFileIsAClearError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("journal-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("not-a-journal.sqlite")
        try "this is not a database, just text that is long enough to look like a header....".write(to: path, atomically: true, encoding: .utf8)
        #expect(throws: JournalError.self) { try Journal(path: path) }
    }

    @Test func exchangesComeBackAsSentWithSharedParagraphsStoredOnce() throws {
        let journal = try Journal(path: tempJournalPath())
        let run = try journal.startRun(RunRecord(id: "seed-1", taskID: "t", strategy: "aide", configJSON: "{}"))
        #expect(run.uuid?.count == 36, "a run gets a UUID when it starts")
        let context = String(repeating: "The task: predict churn from 20 columns.\n", count: 50) + "\n\n## Schema\n- a: int\n\n"
        var sent: [LLMExchange] = []
        for step in 1...5 {
            let exchange = LLMExchange(
                messages: [LLMExchange.Message(role: "system", content: "You are a careful ML engineer.\n\nWrite Python."),
                           LLMExchange.Message(role: "user", content: context + "Step \(step): improve the model.\n\n\nEnd with a blank line\n\n")],
                reply: "```python\nprint(\(step))\n```", temperature: 0.7, seed: step, maxTokens: 2048, responseFormat: "text", finishReason: "stop")
            sent.append(exchange)
            try journal.record(JournalLLMCall(role: "coder", model: "local:x", stepKey: "aide/\(step)", promptTokens: 900, completionTokens: 20,
                                             costUSD: 0, latencySeconds: 2, cacheHit: false, exchange: exchange))
        }
        try journal.record(JournalLLMCall(role: "reviewer", model: "local:x", stepKey: "aide/5", promptTokens: 1, completionTokens: 1,
                                         costUSD: 0, latencySeconds: 0.1, cacheHit: false))
        let calls = try journal.llmCalls()
        #expect(calls.count == 6)
        #expect(calls.prefix(5).map(\.exchange) == sent.map(Optional.some), "messages, reply and sampling come back exactly")
        #expect(calls.map(\.number) == [1, 2, 3, 4, 5, 6])
        #expect(calls.last?.exchange == nil, "a call recorded without its exchange reads back without one")
        let storage = try journal.exchangeStorage()
        #expect(storage.sentCharacters == sent.reduce(0) { $0 + $1.messages.reduce(0) { $0 + $1.content.count } })
        #expect(Double(storage.storedCharacters) < Double(storage.sentCharacters) * 0.3, "the repeated context is stored once: \(storage)")
    }
}
