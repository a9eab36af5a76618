import Foundation
import StarlingTestSupport
import StarlingBench
import StarlingRuntime
import Testing

@Suite(.enabled(if: Shell.which("python3") != nil, "needs python3"))
struct TaskPreparerTests {
    static let prepareScript = """
        import argparse, os, sys, time
        parser = argparse.ArgumentParser()
        parser.add_argument("--out", required=True)
        out = parser.parse_args().out
        if os.environ.get("FAIL_PREPARE") or os.path.exists("fail"):
            sys.exit("boom: no data package")
        with open("runs.log", "a") as log:
            log.write("start\\n")
        if os.path.exists("slow"):
            time.sleep(0.5)
        os.makedirs(os.path.join(out, "public"))
        os.makedirs(os.path.join(out, "private"))
        open(os.path.join(out, "public", "train.csv"), "w").write("id,x,y\\n1,2,0\\n2,3,1\\n")
        open(os.path.join(out, "public", "test.csv"), "w").write("id,x\\n3,4\\n")
        open(os.path.join(out, "public", "sample_submission.csv"), "w").write("id,y\\n3,0.5\\n")
        open(os.path.join(out, "private", "answers.csv"), "w").write("id,y\\n3,1\\n")
        with open("runs.log", "a") as log:
            log.write("end\\n")
        print("prepared")
        """

    func makeTask(checksums: String = "{}") throws -> (TemporaryFolder, TaskDefinition) {
        let folder = try TemporaryFolder("prepare")
        try folder.write("t/prepare.py", Self.prepareScript)
        try folder.write("t/config.yaml", """
            id: t
            name: T
            grader: {name: roc_auc}
            dataset: {answers: prepared/private/answers.csv, sample_submission: prepared/public/sample_submission.csv}
            direction: higher
            task_type: binary_classification
            id_column: id
            target_columns: [y]
            dev_split: none
            prepare:
              seed: 0
              checksums: \(checksums)

            """)
        return (folder, try TaskDefinition.load(from: folder.file("t")))
    }

    var python: URL { URL(fileURLWithPath: Shell.which("python3")!) }

    @Test func preparesAndReportsFilesWithoutRecordedChecksums() async throws {
        let (_, task) = try makeTask()
        let outcome = try await TaskPreparer(python: python).prepare(task)
        #expect(task.isPrepared)
        #expect(outcome.unrecorded == ["private/answers.csv", "public/sample_submission.csv", "public/test.csv", "public/train.csv"])
        #expect(outcome.checksums["public/test.csv"] == Checksum.sha256(of: Data("id,x\n3,4\n".utf8)))
        #expect(filesUnder(task.folder).allSatisfy { !$0.hasPrefix(".prepared-") })
    }

    @Test func verifiesRecordedChecksums() async throws {
        let good = Checksum.sha256(of: Data("id,x\n3,4\n".utf8))
        let (_, task) = try makeTask(checksums: "{public/test.csv: \(good)}")
        let outcome = try await TaskPreparer(python: python).prepare(task)
        #expect(!outcome.unrecorded.contains("public/test.csv"))
        #expect(try TaskPreparer.verify(task).isEmpty)

        let wrong = String(repeating: "0", count: 64)
        let (_, bad) = try makeTask(checksums: "{public/test.csv: \(wrong), public/gone.csv: \(wrong)}")
        let error = try await #require(throws: PreparationError.self) { try await TaskPreparer(python: python).prepare(bad) }
        #expect(error.message.contains("public/test.csv: sha256 \(good), expected \(wrong)"))
        #expect(error.message.contains("public/gone.csv: missing"))
    }

    @Test func failingScriptKeepsThePreviousDataAndShowsItsOutput() async throws {
        let (folder, task) = try makeTask()
        _ = try await TaskPreparer(python: python).prepare(task)
        try folder.write("t/fail", "")
        let error = try await #require(throws: PreparationError.self) { try await TaskPreparer(python: python).prepare(task) }
        #expect(error.description.contains("boom: no data package"))
        #expect(task.isPrepared)
    }

    @Test func missingInterpreterSaysToRunSetup() async throws {
        let (_, task) = try makeTask()
        let error = try await #require(throws: PreparationError.self) {
            try await TaskPreparer(python: URL(fileURLWithPath: "/nonexistent/python")).prepare(task)
        }
        #expect(error.message.contains("starling setup"))
    }

    @Test func preparationsOfOneTaskTakeTurns() async throws {
        let (folder, task) = try makeTask(checksums: "{public/test.csv: \(Checksum.sha256(of: Data("id,x\n3,4\n".utf8)))}")
        try folder.write("t/slow", "")
        let preparer = TaskPreparer(python: python)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 { group.addTask { _ = try await preparer.prepare(task) } }
            try await group.waitForAll()
        }
        let log = try String(contentsOf: folder.file("t/runs.log"), encoding: .utf8)
        #expect(log == "start\nend\nstart\nend\n")
        #expect(try TaskPreparer.verify(task).isEmpty)
    }

    @Test func runsStartingTogetherOnAnUnpreparedTaskPrepareItOnce() async throws {
        let (folder, task) = try makeTask()
        try folder.write("t/slow", "")
        let preparer = TaskPreparer(python: python)
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<3 { group.addTask { try await preparer.prepareIfNeeded(task) != nil } }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(try String(contentsOf: folder.file("t/runs.log"), encoding: .utf8) == "start\nend\n")
        #expect(task.isPrepared)
        #expect(try await preparer.prepareIfNeeded(task) == nil)
    }
}
