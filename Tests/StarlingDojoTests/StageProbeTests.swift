import Foundation
import StarlingCore
import StarlingRuntime
import Testing
@testable import StarlingDojo

/// The stage probe, run through the sandbox as the environments run it.
@Suite(.serialized) struct StageProbeTests {
    let executor: InstrumentedExecutor
    let input: URL

    init() async throws {
        executor = try InstrumentedExecutor(sandbox: try await Sandbox.probing(), scheduler: SlotScheduler(totalCores: 2), python: dojoTestPython())
        input = try dojoScratch("probe-input")
        try "a,b\n1,0\n2,1\n".write(to: input.appendingPathComponent("train.csv"), atomically: true, encoding: .utf8)
        try "id,b\n1,0\n".write(to: input.appendingPathComponent("sample_submission.csv"), atomically: true, encoding: .utf8)
    }

    func run(_ code: String) async throws -> InstrumentedExecutor.Outcome {
        try await executor.run(code: code, in: try dojoScratch("probe"), input: input, hiddenPaths: [], limits: ExecutionLimits(timeoutSeconds: 120))
    }

    @Test func seesLoadingFittingAndPredictingWithoutTheScriptsHelp() async throws {
        let outcome = try await run("""
        import csv, pickle
        class Scaler:
            def fit(self, rows): return self
            def transform(self, rows): return rows
        class Model:
            def fit(self, rows): return self
            def predict(self, rows): return [0 for _ in rows]
        def helper(x): return x
        rows = list(csv.reader(open("input/train.csv")))
        Scaler().fit(rows)
        pickle.loads(pickle.dumps(helper))  # functions of the script pickle as they would run directly
        print(Model().fit(rows).predict(rows))
        raise SystemExit(3)
        """)
        #expect(outcome.execution.exitCode == 3, "\(outcome.execution.output.text)")
        #expect(outcome.stages.has(.dataLoaded))
        #expect(outcome.stages.details[.modelFitted] == "Model.fit", "a transformer's fit is not a model fit")
        #expect(outcome.stages.details[.predictionsMade] == "Model.predict")
        #expect(!outcome.stages.has(.submissionWritten))
        #expect(PartialCredit.credit(for: outcome.stages) == 0.3)
    }

    @Test func copyingTheSampleSubmissionIsNotLoadingData() async throws {
        let outcome = try await run("""
        import os, shutil
        os.makedirs("submission", exist_ok=True)
        shutil.copy("input/sample_submission.csv", "submission/submission.csv")
        """)
        #expect(outcome.ranCleanly)
        #expect(!outcome.stages.has(.dataLoaded))
        #expect(outcome.stages.has(.submissionWritten))
    }

    @Test func aSyntaxErrorIsReportedAndNothingRuns() async throws {
        let outcome = try await run("print('ran')\nx = (\n")
        #expect(outcome.stages.syntaxError?.contains("SyntaxError") == true)
        #expect(!outcome.execution.output.text.contains("ran\n"))
        #expect(!outcome.ranCleanly)
        #expect(InstrumentedExecutor.describeFailure(outcome).contains("line 2"))
    }

    /// Whether the test interpreter has scikit-learn (the solution environment does).
    static var hasScikitLearn: Bool {
        (try? ChildProcess.runToEnd(dojoTestPython(), ["-c", "import sklearn"]))?.succeeded == true
    }

    @Test(.enabled(if: hasScikitLearn, "needs scikit-learn in the test interpreter (the solution environment: `starling setup`)"))
    func scikitLearnEstimatorsAreSeenWhenInstalled() async throws {
        let outcome = try await run("""
        import pandas as pd
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.linear_model import LogisticRegression
        df = pd.read_csv("input/train.csv")
        model = make_pipeline(StandardScaler(), LogisticRegression()).fit(df[["a"]], df["b"])
        model.predict_proba(df[["a"]])
        """)
        #expect(outcome.ranCleanly, "\(outcome.execution.output.text)")
        #expect(outcome.stages.details[.modelFitted] == "Pipeline.fit")
        #expect(outcome.stages.details[.predictionsMade]?.hasSuffix(".predict_proba") == true)
        #expect(outcome.stages.details[.dataLoaded]?.hasSuffix("train.csv") == true)
    }

    @Test func forgedStagesBeyondThePredictionsAreIgnored() throws {
        let file = try dojoScratch().appendingPathComponent("stages.jsonl")
        try """
        {"stage": "data_loaded", "seconds": 1.5, "detail": "input/train.csv"}
        {"stage": "submission_valid", "seconds": 2}
        not json
        {"stage": "flying", "seconds": 3}
        """.write(to: file, atomically: true, encoding: .utf8)
        let report = StageReport.read(eventsAt: file)
        #expect(report.reached == [.dataLoaded: 1.5])
    }
}
