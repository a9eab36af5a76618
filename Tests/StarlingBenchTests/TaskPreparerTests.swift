import Foundation
import StarlingBench
import StarlingRuntime
import Testing

@Suite(.enabled(if: Shell.which("python3") != nil, "needs python3"))
struct TaskPreparerTests {
    static let prepareScript = """
        import argparse, os, sys
        parser = argparse.ArgumentParser()
        parser.add_argument("--out", required=True)
        out = parser.parse_args().out
        if os.environ.get("FAIL_PREPARE") or os.path.exists("fail"):
            sys.exit("boom: no data package")
        os.makedirs(os.path.join(out, "public"))
        os.makedirs(os.path.join(out, "private"))
        open(os.path.join(out, "public", "train.csv"), "w").write("id,x,y\\n1,2,0\\n2,3,1\\n")
        open(os.path.join(out, "public", "test.csv"), "w").write("id,x\\n3,4\\n")
        open(os.path.join(out, "public", "sample_submission.csv"), "w").write("id,y\\n3,0.5\\n")
        open(os.path.join(out, "private", "answers.csv"), "w").write("id,y\\n3,1\\n")
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
}
