import Foundation
import Testing
@testable import StarlingAgents
import StarlingBench
import StarlingCore
import StarlingRuntime

/// Decisions for the metric: log-loss calibration on out-of-fold predictions, scored by the real
/// grader, and the calibration in the submitted script (real Python) agreeing with the fit.
@Suite struct CalibrationTests {
    /// `count` rows whose true probability of class 1 is spread over (0, 1), drawn with a fixed
    /// sequence, and an over-confident model of them: logits tripled, the surest rounded to 0 or 1.
    static func overConfident(count: Int) -> (answers: CSVTable, predictions: CSVTable) {
        var state: UInt64 = 99
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        var truth: [String] = [], predicted: [String] = []
        for _ in 0..<count {
            let q = 0.02 + 0.96 * uniform()
            truth.append(uniform() < q ? "1" : "0")
            let p = 1 / (1 + exp(-3 * log(q / (1 - q))))
            predicted.append(String(p > 0.999 ? 1 : p < 0.001 ? 0 : p))
        }
        let ids = (0..<count).map { "r\($0)" }
        return (CSVTable(header: ["id", "y"], columns: [ids, truth]), CSVTable(header: ["id", "y"], columns: [ids, predicted]))
    }

    @Test func anOverConfidentScriptIsCalibratedAndTheNestedScoreShowsTheGain() throws {
        let (answers, predictions) = Self.overConfident(count: 1000)
        let grader = Grader(metric: .logLoss, idColumn: "id", targetColumns: ["y"])
        let calibrator = try Calibrator(predictions: predictions, idColumn: "id") { table, rows in
            try grader.score(submission: table, answers: answers.selecting(rows: rows))
        }
        let all = Array(0..<1000)
        let raw = try grader.score(submission: predictions, answers: answers)
        let foldOfRow = all.map { $0 % 5 }
        let (fit, validation) = try calibrator.run(foldOfRow: foldOfRow)
        // The logits were tripled: the fitted slope brings them back near a third.
        #expect(fit.slope > 0.2 && fit.slope < 0.5, "\(fit.text)")
        #expect(abs(fit.shift) < 0.3, "\(fit.text)")
        let calibrated = try grader.score(submission: calibrator.apply(fit, rows: all), answers: answers)
        #expect(calibrated < raw * 0.6, "log loss \(raw) → \(calibrated)")
        // Nested: each fold's fit never saw the fold; it still beats the raw predictions fold by fold.
        let rawFolds = try (0..<5).map { k in
            let rows = all.filter { foldOfRow[$0] == k }
            return try grader.score(submission: predictions.selecting(rows: rows), answers: answers.selecting(rows: rows))
        }
        let gain = try #require(validation.gain(over: CrossValidation(foldScores: rawFolds), direction: .lower))
        #expect(validation.method == "nested" && gain.beatsNoise, "\(gain.text)")
        // A calibrated model is left about where it is.
        let honest = CSVTable(header: ["id", "y"], columns: [predictions.column("id")!, calibrator.apply(fit, rows: all).column("y")!])
        let again = try Calibrator(predictions: honest, idColumn: "id") { table, rows in
            try grader.score(submission: table, answers: answers.selecting(rows: rows))
        }.fit(rows: all)
        #expect(abs(again.slope - 1) < 0.1 && abs(again.shift) < 0.1, "\(again.text)")
    }

    @Test func theSubmittedScriptAppliesTheCalibrationAsTheFitDoes() throws {
        let root = try agentScratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let ids = ["a", "b", "c", "d"]
        let fit = Calibrator.Fit(slope: 0.4, shift: -0.3)
        let cases: [(header: [String], columns: [[String]])] = [
            (["id", "y"], [ids, ["0", "0.2", "0.7", "1"]]),
            (["id", "cat", "dog", "fox"], [ids, ["0.7", "0.1", "0", "0.2"], ["0.2", "0.8", "0.5", "0.2"], ["0.1", "0.1", "0.5", "0.6"]]),
        ]
        for (index, table) in cases.enumerated() {
            let predictions = CSVTable(header: table.header, columns: table.columns)
            let expected = try Calibrator(predictions: predictions, idColumn: "id") { _, _ in 0 }.apply(fit, rows: Array(ids.indices))
            let rows = ids.indices.map { r in predictions.row(r).joined(separator: ",") }
            let member = """
                import os
                os.makedirs("submission", exist_ok=True)
                open("submission/submission.csv", "w").write("\(table.header.joined(separator: ","))\\n" + "\\n".join(\(rows)) + "\\n")
                """
            let folder = root.appendingPathComponent("case-\(index)")
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("input"), withIntermediateDirectories: true)
            let sample = table.header.joined(separator: ",") + "\n" + ids.reversed().map { $0 + String(repeating: ",0.5", count: table.header.count - 1) }.joined(separator: "\n") + "\n"
            try sample.write(to: folder.appendingPathComponent("input/sample_submission.csv"), atomically: true, encoding: .utf8)
            let script = try Stacker.script(members: [(node: 1, weight: 1, code: member)], rule: .mean, calibration: fit)
            let run = try runTestScript(script, in: folder, name: "calibrated")
            #expect(run.status == 0, "\(run.text.suffix(800))")
            let written = try CSVTable.read(contentsOf: ScriptWorkspace(folder).submission)
            for column in table.header.dropFirst() {
                for (r, id) in ids.enumerated() {
                    let got = Double(written.column(column)![written.column("id")!.firstIndex(of: id)!])!
                    let want = Double(expected.column(column)![r])!
                    #expect(abs(got - want) < 1e-9, "case \(index) \(column) row \(id): \(got) vs \(want)")
                }
            }
        }
    }
}
