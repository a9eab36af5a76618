import Foundation
import StarlingTestSupport
import StarlingBench
import StarlingCore
import StarlingRuntime
import Testing

/// prepare → calibrate (in the real sandbox) → view → grade on a tiny task whose scripts need
/// only the standard library.
@Suite(.enabled(if: SolutionPython.isAvailable, "needs the solution environment (starling setup)"))
struct EndToEndTests {
    static let prepare = """
        import argparse, csv, os, random
        out = argparse.ArgumentParser()
        out.add_argument("--out", required=True)
        out = out.parse_args().out
        rng = random.Random(0)
        rows = []
        for i in range(400):
            x = rng.random()
            rows.append((i, round(x, 4), 1 if x + rng.random() * 0.6 > 0.8 else 0))
        train, test = rows[:300], rows[300:]
        os.makedirs(os.path.join(out, "public"))
        os.makedirs(os.path.join(out, "private"))
        def write(path, header, data):
            with open(os.path.join(out, path), "w", newline="") as f:
                w = csv.writer(f)
                w.writerow(header)
                w.writerows(data)
        write("public/train.csv", ["id", "x", "y"], train)
        write("public/test.csv", ["id", "x"], [(i, x) for i, x, _ in test])
        write("public/sample_submission.csv", ["id", "y"], [(i, 0.5) for i, _, _ in test])
        write("private/answers.csv", ["id", "y"], [(i, y) for i, _, y in test])
        """

    static func solution(_ rule: String) -> String {
        """
        import csv, os
        rows = list(csv.DictReader(open("input/test.csv")))
        os.makedirs("submission", exist_ok=True)
        with open("submission/submission.csv", "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id", "y"])
            for r in rows:
                x = float(r["x"])
                w.writerow([r["id"], \(rule)])
        print("validation_score: 0.5")
        """
    }

    @Test func prepareCalibrateViewAndGrade() async throws {
        let folder = try TemporaryFolder("e2e")
        try folder.write("tiny/prepare.py", Self.prepare)
        try folder.write("tiny/baseline.py", Self.solution("0.5"))
        try folder.write("tiny/reference.py", Self.solution("x"))
        try folder.write("tiny/description.md", "# Tiny\n")
        try folder.write("tiny/config.yaml", """
            id: tiny
            name: Tiny threshold task
            grader:
              name: roc_auc
            dataset:
              answers: prepared/private/answers.csv
              sample_submission: prepared/public/sample_submission.csv
            direction: higher
            task_type: binary_classification
            id_column: id
            target_columns: [y]
            dev_split: random
            dev_fraction: 0.2
            scores: {}

            """)
        let home = StarlingHome.resolve()
        var task = try TaskStore(roots: [folder.url]).task("tiny")
        _ = try await TaskPreparer(python: home.solutionPython).prepare(task)
        #expect(task.isPrepared)

        let runner = SandboxScriptRunner(sandbox: try await Sandbox.probing(), environment: .solution(in: home))
        let result = try await Calibrator(runner: runner, workRoot: folder.file("work"), timeoutSeconds: 120).calibrate(task)
        #expect(result.baseline.value == 0.5)
        #expect(result.reference.value > 0.8)
        task = try Calibrator.record(result, in: task)
        #expect(task.spec.reference == result.reference)

        // A submission on the agent view: dev part scored by the harness, test part graded.
        let workspace = ScriptWorkspace(folder.file("run"))
        let view = try AgentViewBuilder(task: task).build(into: workspace.input, secretsFolder: folder.file("run-secrets"))
        try workspace.prepare(code: Self.solution("x"), input: .none)
        let outcome = try await runner.run(script: workspace.script, workDir: workspace.folder, timeoutSeconds: 120)
        #expect(outcome.succeeded, "\(outcome.summary): \(outcome.outputTail)")
        let split = try view.split(submissionAt: workspace.submission)
        #expect(try view.scoreDev(split)! > 0.8)
        try split.writeTest(to: folder.file("final/submission.csv"))
        let report = try TaskGrader(task: task).report(submissionAt: folder.file("final/submission.csv"))
        #expect(report.score == result.reference.value)
        #expect(report.gapClosed.map { abs($0 - 100) < 1e-9 } == true)
    }
}
