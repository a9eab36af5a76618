import Foundation
import StarlingBench
import StarlingCore
import Testing
import StarlingRuntime

/// A runner that writes a submission itself instead of running Python: the baseline predicts a
/// constant, the reference the true label.
struct ScriptedRunner: ScriptRunner {
    let answers: CSVTable
    var failReference = false
    var environmentDescription: String { "scripted test runner" }

    func run(script: URL, workDir: URL, timeoutSeconds: Double) async throws -> ScriptOutcome {
        let isReference = work(workDir) == "reference"
        #expect(FileManager.default.fileExists(atPath: workDir.appendingPathComponent("input/train.csv").path))
        #expect(!FileManager.default.fileExists(atPath: workDir.appendingPathComponent("input/answers.csv").path))
        if isReference, failReference { return ScriptOutcome(succeeded: false, summary: "exited with code 1", outputTail: "Traceback: bad") }
        let values = isReference ? answers.column("churn")! : answers.column("churn")!.map { _ in "0.5" }
        try CSVTable(header: ["id", "churn"], columns: [answers.column("id")!, values])
            .write(to: ScriptWorkspace(workDir).submission)
        return ScriptOutcome(succeeded: true, summary: "exited 0", seconds: 1)
    }

    private func work(_ url: URL) -> String { url.lastPathComponent }
}

@Suite struct CalibratorTests {
    func scripted(_ synthetic: SyntheticTask, failReference: Bool = false) throws -> ScriptedRunner {
        ScriptedRunner(answers: try CSVTable.read(contentsOf: synthetic.task.answersURL), failReference: failReference)
    }

    @Test func measuresGradesAndRecordsBothScripts() async throws {
        let synthetic = try SyntheticTask()
        for name in ["baseline.py", "reference.py"] { try synthetic.folder.write("synthetic/\(name)", "print('x')\n") }
        let calibrator = Calibrator(runner: try scripted(synthetic), workRoot: synthetic.folder.file("work"))
        let date = ISO8601DateFormatter().date(from: "2026-11-26T12:00:00Z")!
        let result = try await calibrator.calibrate(synthetic.task, date: date)
        #expect(result.baseline.value == 0.5)
        #expect(result.reference.value == 1)
        #expect(result.referenceBeatsBaseline)
        #expect(result.baseline.source == "starling tasks calibrate, 2026-11-26, scripted test runner")

        let reloaded = try Calibrator.record(result, in: synthetic.task)
        #expect(reloaded.spec.reference == result.reference)
        #expect(try TaskDefinition.load(from: synthetic.task.folder).spec.baseline == result.baseline)
        #expect(try String(contentsOf: synthetic.task.configURL, encoding: .utf8).contains("source: \"made up in a test\""))
    }

    @Test func failingScriptIsAnErrorNamingItWithItsOutput() async throws {
        let synthetic = try SyntheticTask()
        for name in ["baseline.py", "reference.py"] { try synthetic.folder.write("synthetic/\(name)", "print('x')\n") }
        let calibrator = Calibrator(runner: try scripted(synthetic, failReference: true), workRoot: synthetic.folder.file("work"))
        let error = try await #require(throws: CalibrationError.self) { try await calibrator.calibrate(synthetic.task) }
        #expect(error.script == "reference.py")
        #expect(error.description.contains("Traceback: bad"))
    }

    @Test func missingScriptIsNamed() async throws {
        let synthetic = try SyntheticTask()
        let calibrator = Calibrator(runner: try scripted(synthetic), workRoot: synthetic.folder.file("work"))
        let error = try await #require(throws: CalibrationError.self) { try await calibrator.calibrate(synthetic.task) }
        #expect(error.script == "baseline.py")
    }
}
