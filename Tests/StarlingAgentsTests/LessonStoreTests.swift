import Foundation
import Testing
@testable import StarlingAgents
import StarlingBench
@testable import StarlingCore
import StarlingRunFolder
import StarlingRuntime

/// Lessons that carry over: the store's file, its ranking by likeness of tasks, and a later run
/// reading back what an earlier one learned (real Python, real cross-validation).
@Suite(.serialized) struct LessonStoreTests {
    let binary = TaskFingerprint(taskType: "binary_classification", metric: "roc_auc", rows: 4000, numericColumns: 3, otherColumns: 16)

    func gain(_ mean: Double) -> PairedGain { PairedGain(mean: mean, standardError: 0.002, folds: 5) }

    @Test func lessonsAreReadBackAndRankChangesByWhatTheyGainedOnSimilarTasks() throws {
        let folder = try agentScratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = LessonStore(file: folder.appendingPathComponent("lessons/lessons.jsonl"))
        #expect(store.all().isEmpty)
        let regression = TaskFingerprint(taskType: "regression", metric: "rmse", rows: 300_000, numericColumns: 40, otherColumns: 0)
        try store.append(Lesson(taskID: "a", fingerprint: binary, change: "tune", gain: gain(-0.004), run: "r1"))
        try store.append(Lesson(taskID: "a", fingerprint: binary, change: "features", gain: gain(0.012), run: "r1"))
        try store.append(Lesson(taskID: "b", fingerprint: regression, change: "tune", gain: gain(0.05), run: "r2"))
        // A damaged line (a run killed mid-write) is skipped, not fatal.
        let handle = try FileHandle(forWritingTo: store.file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"taskID\": \"c\", \"chan".utf8))
        try handle.close()
        #expect(store.all().count == 3)
        #expect(store.all().map(\.change) == ["tune", "features", "tune"])

        // On a task like the binary one, features gained and tuning lost; the big regression gain
        // of tuning counts for little there.
        let expected = store.expectedGains(for: binary)
        #expect(expected["features"]! > 0 && expected["tune"]! < expected["features"]!)
        #expect(store.rank(["tune", "untried", "features"], change: { $0 }, for: binary) == ["features", "untried", "tune"])
        // On a task like the regression one, tuning comes first.
        let similar = TaskFingerprint(taskType: "regression", metric: "rmse", rows: 200_000, numericColumns: 35, otherColumns: 0)
        #expect(store.rank(["features", "tune"], change: { $0 }, for: similar).first == "tune")
        // The lessons shown with a change: that change's first, the most alike task's first among them.
        #expect(store.relevant(to: binary, change: "tune", limit: 2).map(\.taskID) == ["a", "b"])
        #expect(store.relevant(to: binary, change: "features").map(\.change) == ["features", "tune", "tune"])
        // No lessons: the order stays.
        #expect(LessonStore(file: folder.appendingPathComponent("none.jsonl")).rank(["b", "a"], change: { $0 }, for: binary) == ["b", "a"])
    }

    func context(root: URL, run: String, lessons: LessonStore?, cards: [ModelCard] = []) async throws -> SearchContext {
        let task = try CrossValidationTests.makeTask(root: root)
        let runFolder = root.appendingPathComponent(run)
        var settings = smallSettings()
        settings.cvFolds = 5
        var runner = AgentRunner(task: try BenchTaskHarness(task: task, runFolder: runFolder), strategy: ExamplesStrategy(), settings: settings,
                                 budget: Budget(), clients: [.coder: NoModelClient()], runFolder: runFolder, sandbox: try await Sandbox.probing(),
                                 python: agentTestPython(), libraries: "numpy", retriever: KnowledgeBase(cards: cards), progress: .silent, prices: nil)
        runner.lessons = lessons
        return try await runner.makeContext()
    }

    @Test func aLaterRunTakesFirstTheEditIdeaThatGainedInAnEarlierOne() async throws {
        let root = try agentScratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let store = LessonStore(file: root.appendingPathComponent("home/lessons/lessons.jsonl"))
        let example = try #require(try KnowledgeBase.bundled().cards.first { $0.id == "lightgbm-tabular" }).example

        // Without lessons, a first edit takes the first idea: tune fit_predict's settings.
        let first = try await context(root: root, run: "run-1", lessons: store)
        let plain = await first.editIdea(for: example, turn: 0)
        #expect(plain.function == "fit_predict")
        let features = try #require(first.prompts.editIdeas(["rows": "1", "numeric_columns": "x1"]).first { $0.function == "add_features" })
        let kind = SearchContext.changeKind(function: features.function, idea: features.idea)

        // Run 1 tries the feature idea: a script that adds the missing feature beats the one without.
        let (before, _) = try await first.execute(step: "a", stage: .candidate, parent: nil, plan: "x1 only",
                                                  code: CrossValidationTests.script(features: ["x1"]), origin: .example)
        let (after, _) = try await first.execute(step: "b", stage: .candidate, parent: before.id, plan: features.idea,
                                                 code: CrossValidationTests.script(features: ["x1", "x2"]))
        await first.learn(after, from: before, change: kind)
        let kept = store.all()
        #expect(kept.count == 1)
        #expect(kept.first?.change == kind && kept.first?.taskID == "cv-toy" && kept.first?.gain.beatsNoise == true)

        // Run 2 (another run folder, same home) reads it back and takes the feature idea first.
        let second = try await context(root: root, run: "run-2", lessons: store)
        let ranked = await second.editIdea(for: example, turn: 0)
        #expect(ranked.function == "add_features")
        // The instruction for that edit ends with what the change gained before.
        let note = second.lessonNote(function: ranked.function, idea: ranked.idea)
        #expect(note.contains(kind) && note.contains("cv-toy (roc_auc, ") && note.contains("beats its noise"), "\(note)")
        let instruction = second.prompts.render(.instructCandidate, ["model_name": "m", "score": "0.8", "metric": "roc_auc", "direction": "higher",
                                                                     "idea": ranked.idea, "lessons": note])
        #expect(instruction.hasSuffix(note.trimmingCharacters(in: .whitespacesAndNewlines)) && !instruction.contains("{{"))
        // With memory off, the order is the prompt file's again, and no lessons are shown.
        let control = try await context(root: root, run: "run-3", lessons: nil)
        #expect(await control.editIdea(for: example, turn: 0).function == "fit_predict")
        #expect(control.lessonNote(function: ranked.function, idea: ranked.idea).isEmpty)
    }

    @Test func cardExamplesLeaveLessonsAndALaterRunTakesTheCardsThatGainedFirst() async throws {
        let root = try agentScratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let store = LessonStore(file: root.appendingPathComponent("home/lessons/lessons.jsonl"))
        // Three cards alike to the retriever (ordered a, b, c); b's example is the strong one.
        let cards = [
            try CrossValidationTests.card("a-weak", CrossValidationTests.script(features: ["x1"])),
            try CrossValidationTests.card("b-strong", CrossValidationTests.script(features: ["x1", "x2"])),
            try CrossValidationTests.card("c-other", CrossValidationTests.script(features: ["x2"])),
        ]
        let first = try await context(root: root, run: "run-1", lessons: store, cards: cards)
        #expect(try await first.retrieveCards(limit: 2).map(\.id) == ["a-weak", "b-strong"], "no lessons yet: the retriever's order")
        for (index, card) in cards.prefix(2).enumerated() {
            _ = try await first.execute(step: StepKey.candidate(index + 1).example, stage: .candidate, parent: nil, plan: card.name,
                                        code: card.example, origin: .example)
        }
        await first.learnFromCardExamples()
        await first.learnFromCardExamples()  // once per run
        let kept = store.all().filter { $0.change.hasPrefix("card: ") }
        #expect(kept.count == 2)
        let gains = Dictionary(uniqueKeysWithValues: kept.map { ($0.change, $0.gain) })
        #expect(gains["card: b-strong"]?.beatsNoise == true && (gains["card: a-weak"]?.mean ?? 0) < 0, "\(gains)")

        // A later run draws from more cards and puts the one that gained first, the one that lost last.
        let second = try await context(root: root, run: "run-2", lessons: store, cards: cards)
        #expect(try await second.retrieveCards(limit: 2).map(\.id) == ["b-strong", "c-other"])
        let control = try await context(root: root, run: "run-3", lessons: nil, cards: cards)
        #expect(try await control.retrieveCards(limit: 2).map(\.id) == ["a-weak", "b-strong"])
    }
}
