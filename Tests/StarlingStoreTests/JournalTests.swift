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
        let path = folder.appendingPathComponent("journal.sqlite")
        try "this is not a database, just text that is long enough to look like a header....".write(to: path, atomically: true, encoding: .utf8)
        #expect(throws: JournalError.self) { try Journal(path: path) }
    }
}
