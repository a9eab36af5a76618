import Foundation
import StarlingBench
import StarlingCore
import StarlingTestSupport
import Testing

/// The task-folder door, fuzzed: a small prepared task is broken in one or two ways (malformed
/// or mistyped `config.yaml`, missing or misplaced files, ragged, binary, huge-line or
/// half-quoted CSVs) and then loaded the way a run loads it: the store lists and finds it, and
/// the agent view is built from it. Each case must end in an error that names what to fix, or
/// a loaded task; never a crash or a hang; and the task's files must be byte for byte as before.
@Suite(.serialized) struct TaskFolderDoorTests {
    @Test func brokenTaskFoldersEndInClearErrorsAndStayUnchanged() async throws {
        let scratch = try TemporaryFolder("task-door")
        var door = FuzzDoor("task-folders", seed: 0x7A5C, defaultCount: 320, deadline: 20)
        var kinds: [String: Int] = [:]
        for index in 0..<door.count {
            var random = door.generator(for: index)
            let root = scratch.file("case-\(index)/tasks")
            let folder = try BrokenTask.write(into: root)
            var applied: [String] = []
            for _ in 0..<(random.chance(0.3) ? 2 : 1) {
                // A second breakage may aim at a file the first one removed (with its folder): then it does nothing.
                applied.append((try? BrokenTask.breakOne(folder, &random)) ?? "nothing (its file was gone)")
            }
            applied.forEach { kinds[$0, default: 0] += 1 }
            let before = fingerprint(root)
            let work = scratch.file("case-\(index)/work")
            guard let outcome = await door.withDeadline({ BrokenTask.load(root: root, work: work) }) else {
                door.recordHang(index, label: applied.joined(separator: " + "))
                continue
            }
            door.record(index, outcome, inputsChanged: fingerprint(root) != before, label: applied.joined(separator: " + "))
            if index % 50 == 49 { try? FileManager.default.removeItem(at: scratch.file("case-\(index - 49)")) }
        }
        print(door.summary)
        print("door task-folders breakages: " + kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        #expect(door.failures.isEmpty, "\(door.failures.joined(separator: "\n"))")
        #expect(door.hangs == 0 && door.inputsChanged == 0)
        #expect(door.clearErrors > door.count / 3 && door.handled > 0, "\(door.summary)")
        #expect(kinds.count >= 15, "the breakages must vary: \(kinds.keys.sorted())")
    }
}

/// A small prepared task and the ways it is broken.
enum BrokenTask {
    static let config = """
        id: door
        name: Door task
        competition_type: simple
        grader:
          name: accuracy
        dataset:
          answers: prepared/private/answers.csv
          sample_submission: prepared/public/sample_submission.csv
        direction: higher
        task_type: binary_classification
        id_column: id
        target_columns: [y]
        dev_split: random
        dev_fraction: 0.25
        scores:
          baseline: {value: 0.5, source: "test"}
          reference: {value: 1.0, source: "test"}

        """

    static let files = ["config.yaml", "description.md", "prepared/public/train.csv", "prepared/public/test.csv",
                        "prepared/public/sample_submission.csv", "prepared/private/answers.csv"]

    /// Writes the intact task `root/door` and returns its folder.
    static func write(into root: URL) throws -> URL {
        let folder = root.appendingPathComponent("door")
        var train = "id,x,y\n", test = "id,x\n", sample = "id,y\n", answers = "id,y\n"
        for i in 0..<40 { train += "\(i),\(i % 10),\(i % 2)\n" }
        for i in 40..<52 { test += "\(i),\(i % 10)\n"; sample += "\(i),0\n"; answers += "\(i),\(i % 2)\n" }
        let texts = [config, "# Door\nPredict y.\n", train, test, sample, answers]
        for (path, text) in zip(files, texts) {
            let file = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
        }
        return folder
    }

    /// Loads the task as a run does: list the store, find the task, build its agent view.
    static func load(root: URL, work: URL) -> FuzzDoor.Outcome {
        let store = TaskStore(roots: [root])
        let (tasks, errors) = store.loadAll()
        for error in errors where !clear(error) { return .wrong("loadAll: unclear error \(error)") }
        let task: TaskDefinition
        do { task = try store.task("door") } catch { return clear(error) ? .clearError : .wrong("task(): \(type(of: error)) \(error)") }
        guard tasks.count == 1 else { return .wrong("task() found a task that loadAll() did not") }
        do {
            let view = try AgentViewBuilder(task: task, seed: 3).build(into: work.appendingPathComponent("view"), secretsFolder: work.appendingPathComponent("secrets"))
            _ = try AgentView.open(secretsFolder: work.appendingPathComponent("secrets"))
            return view.manifest.testRowCount > 0 ? .handled : .wrong("a view with no test rows")
        } catch {
            return clear(error) ? .clearError : .wrong("build: \(type(of: error)) \(error)")
        }
    }

    /// An error a user can act on: one of Starling's own, naming a file or a key.
    static func clear(_ error: any Error) -> Bool {
        let text = "\(error)"
        let own = error is TaskConfigError || error is TaskStoreError || error is AgentViewError || error is CSVError
        return own && text.count >= 20 && (text.contains("/") || text.contains("key '")) && !text.contains("Error Domain=")
    }
}
