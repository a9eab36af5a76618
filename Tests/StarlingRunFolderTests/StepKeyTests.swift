import Foundation
import Testing
import StarlingCore
import StarlingStore
@testable import StarlingRunFolder

@Suite struct StepKeyTests {
    @Test func buildersWriteTheKeysTheJournalHolds() {
        #expect(StepKey.candidate(2).example.description == "candidate/2/example")
        #expect(StepKey.branch(1).merge(3).debug(1).description == "branch1/merge/3/debug/1")
        #expect(StepKey.branch(2).refine(1).inner(4).repair(2).description == "branch2/refine/1/inner/4/repair/2")
        #expect(StepKey.final(node: 17).description == "final/17")
        #expect(StepKey.aideExample("lightgbm-tabular").description == "aide/example/lightgbm-tabular")
        #expect(StepKey.candidate(1).noCode.description == "candidate/1/no-code")
    }

    @Test func aKeyReadsBackFromItsWrittenForm() throws {
        let key = StepKey.branch(1).refine(2).block
        #expect(StepKey(key.description) == key)
        #expect(key.refinementScope == .branch(1))
        #expect(StepKey.candidate(1).refinementScope == nil)
        #expect(key.root == "branch1")
        #expect(key.isWithin(.branch(1)) && !key.isWithin(.branch(2)))
        // Codable as the plain string, so journals and JSON files keep today's form.
        let data = try JSONEncoder().encode([key])
        #expect(String(decoding: data, as: UTF8.self) == #"["branch1\/refine\/2\/block"]"#)
        #expect(try JSONDecoder().decode([StepKey].self, from: data) == [key])
    }

    @Test func journalNodesAreFoundByTypedKey() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stepkey-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let journal = try Journal(path: RunLayout(folder).journal)
        let step = StepKey.candidate(3).debug(1)
        let node = try journal.createNode(step: step) { Node(id: $0, stage: .debug, plan: "fix", code: "print(1)") }
        #expect(try journal.node(for: step)?.node.id == node.id)
        #expect(try journal.node(forStep: "candidate/3/debug/1")?.step == step)
        #expect(try journal.node(for: .candidate(3)) == nil)
    }

    @Test func eventKindsAndStatusesKeepTheirWrittenNames() {
        #expect(EventRecord(.leakWarning, "x").kind == "leak-warning")
        #expect(EventRecord(kind: "identical-reply", message: "x").eventKind == .identicalReply)
        #expect(EventRecord(kind: "something-new", message: "x").eventKind == nil)
        #expect(RunRecord(id: "r", taskID: "t", strategy: "aide", configJSON: "{}").runStatus == .running)
        #expect(StrategyName(rawValue: "aideml-adapter")?.isStarling == false)
        #expect(StrategyName(rawValue: "mle-star")?.isStarling == true)
    }
}
