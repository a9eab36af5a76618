import Foundation
import Testing
@testable import StarlingLLM

@Suite struct KeptSlotStatesTests {
    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("starling-kept-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// What the server does on `action=save`: writes the state file.
    func serverSaves(_ kept: KeptSlotStates, _ text: String, at date: Date) throws {
        let file = kept.folder.appendingPathComponent(kept.file(for: text))
        try Data("state".utf8).write(to: file)
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: file.path)
    }

    @Test func aReplacedModelOrRebuiltServerChangesTheFingerprint() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = folder.appendingPathComponent("llama-server"), model = folder.appendingPathComponent("model.gguf")
        try Data("binary".utf8).write(to: server)
        try Data("weights".utf8).write(to: model)
        let settings = ["ctx=16384", "slots=2"]
        let first = KeptSlotStates.fingerprint(server: server, model: model, settings: settings)
        #expect(first == KeptSlotStates.fingerprint(server: server, model: model, settings: settings))
        #expect(first != KeptSlotStates.fingerprint(server: server, model: model, settings: ["ctx=8192", "slots=2"]))
        try Data("other weights".utf8).write(to: model)
        let replaced = KeptSlotStates.fingerprint(server: server, model: model, settings: settings)
        #expect(replaced != first)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: server.path)
        #expect(KeptSlotStates.fingerprint(server: server, model: model, settings: settings) != replaced)
    }

    @Test func aRunIsOfferedOnlyStatesOfItsFingerprintWhoseFileExists() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let mine = KeptSlotStates(folder: folder, fingerprint: "A"), theirs = KeptSlotStates(folder: folder, fingerprint: "B")
        try serverSaves(mine, "task context of wa-churn", at: Date())
        #expect(mine.record("task context of wa-churn") != nil)
        try serverSaves(theirs, "task context of ames", at: Date())
        theirs.record("task context of ames")
        #expect(mine.entries().map(\.text) == ["task context of wa-churn"])
        #expect(theirs.entries().map(\.text) == ["task context of ames"])
        #expect(mine.contains("task context of wa-churn") && !mine.contains("task context of ames"))
        // A record whose state file is gone (deleted by hand) is not offered, and the next
        // eviction removes it.
        try FileManager.default.removeItem(at: folder.appendingPathComponent(mine.file(for: "task context of wa-churn")))
        #expect(mine.entries().isEmpty)
        mine.evict()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.count == 1)
    }

    @Test func theFolderKeepsTheMostRecentlyUsedStatesUpToItsCapacity() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let kept = KeptSlotStates(folder: folder, fingerprint: "A", capacity: 2)
        let now = Date()
        for (index, text) in ["first", "second"].enumerated() {
            try serverSaves(kept, text, at: now.addingTimeInterval(Double(index - 10)))
            kept.record(text)
        }
        // "first" is restored by a later run, so "second" is now the least recently used.
        kept.touch(try #require(kept.entries().first { $0.text == "first" }))
        try serverSaves(kept, "third", at: now.addingTimeInterval(1))
        kept.record("third")
        #expect(Set(kept.entries().map(\.text)) == ["first", "third"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 4)
    }
}
