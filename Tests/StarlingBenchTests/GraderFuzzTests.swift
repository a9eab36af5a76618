import Foundation
import StarlingTestSupport
@testable import StarlingBench
import StarlingRuntime
import Testing

/// The fuzzer's corpus (`bench/grader_fuzz.py mutate`: every mutation of every Lite competition's
/// perfect and random submissions) graded by Starling and compared with the verdicts MLE-bench's
/// own graders gave the same files (`tasks/mlebench-lite/fuzz-verdicts.json`, recorded with
/// `bench/grader_fuzz.py record` at the versions of `bench/grader_fuzz-requirements.txt`).
@Suite(.serialized) struct GraderFuzzTests {
    static let fuzzer = MLEBenchLiteTests.repository.appendingPathComponent("bench/grader_fuzz.py")
    static let verdicts = MLEBenchLiteTests.repository.appendingPathComponent("tasks/mlebench-lite/fuzz-verdicts.json")

    /// A score (MLE-bench writes a score that is not finite, `inf`, as text) or a refusal.
    struct Verdict: Decodable {
        var score: Double?
        var invalid: String?
        var scoredNotFinite = false

        enum CodingKeys: String, CodingKey { case score, invalid }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            invalid = try container.decodeIfPresent(String.self, forKey: .invalid)
            if let number = try? container.decodeIfPresent(Double.self, forKey: .score) {
                score = number
            } else {
                scoredNotFinite = container.contains(.score)
            }
        }
    }

    /// Where Starling deliberately differs from MLE-bench (the README's grading section lists them
    /// with the same reasons): mutation kind → the competitions it concerns.
    static let deliberate: [String: Set<String>] = [
        // MLE-bench scores these 0: pandas reads the label column as text beside numeric answers.
        // Starling refuses them and names the value (no silent 0).
        "cell-text": ["tabular-playground-series-dec-2021"],
        "label-stray-text": ["tabular-playground-series-dec-2021"],
        "label-true-false": ["tabular-playground-series-dec-2021"],
        "label-unknown-class": ["tabular-playground-series-dec-2021"],
        "num-hex": ["tabular-playground-series-dec-2021"],
        // MLE-bench scores these inf (1e308 squared overflows); a reward cannot be infinite.
        "cell-huge": ["denoising-dirty-documents", "new-york-city-taxi-fare-prediction"],
        // The taxi grader casts text with Python's float(), which reads 1_6.12 as 16.12.
        "num-underscore": ["new-york-city-taxi-fare-prediction"],
        // The jigsaw grader takes the class columns in the file's order, not by name.
        "header-reversed": ["jigsaw-toxic-comment-classification-challenge"],
    ]

    @Test func mutatedSubmissionsGradeAsMLEBenchsOwnGraders() async throws {
        guard let python = MLEBenchLiteTests.python else { return }
        let (folder, tasks, _) = try await MLEBenchLiteTests.imported()
        let files = folder.file("fuzz")
        let run = try await Shell.capture(python, [Self.fuzzer.path, "mutate", folder.file("lite").path, files.path])
        try #require(run.succeeded, "grader_fuzz.py mutate failed: \(run.standardError)")
        let expected = try JSONDecoder().decode([String: [String: Verdict]].self, from: Data(contentsOf: Self.verdicts))
        var total = 0, agreed = 0, scoredButRefused = 0, deliberate = 0
        for (id, verdicts) in expected.sorted(by: { $0.key < $1.key }) {
            let grader = TaskGrader(task: try #require(tasks[id]))
            for (name, verdict) in verdicts.sorted(by: { $0.key < $1.key }) {
                let url = files.appendingPathComponent("\(id)/\(name)")
                try #require(FileManager.default.fileExists(atPath: url.path), "the fuzzer no longer writes \(id)/\(name)")
                let report = try grader.report(submissionAt: url)
                total += 1
                let same: Bool
                if let score = verdict.score, let ours = report.score {
                    same = abs(ours - score) <= 1e-9 * max(1, abs(score))
                } else {
                    same = verdict.score == nil && !verdict.scoredNotFinite && !report.validSubmission
                }
                if !report.validSubmission { #expect(report.error?.isEmpty == false, "\(id) \(name): refused without a reason") }
                if verdict.score == nil, !verdict.scoredNotFinite, report.validSubmission { scoredButRefused += 1 }
                if same {
                    agreed += 1
                } else if Self.deliberate[String(name.split(separator: ".")[1])]?.contains(id) == true {
                    deliberate += 1
                } else {
                    Issue.record("\(id) \(name): Starling \(report.score.map { "\($0)" } ?? "refuses (\(report.error ?? ""))"), MLE-bench \(verdict.score.map { "\($0)" } ?? "refuses (\(verdict.invalid ?? ""))")")
                }
            }
        }
        print("grader fuzz: \(total) files over \(expected.count) competitions, \(agreed) agree with MLE-bench (\(String(format: "%.2f", 100 * Double(agreed) / Double(max(total, 1))))%), \(deliberate) deliberate differences, \(scoredButRefused) scored by Starling and refused by MLE-bench")
        #expect(expected.count == 22)
        #expect(total >= 22 * 50)
        #expect(scoredButRefused == 0)
        #expect(Double(agreed + deliberate) == Double(total))
    }
}
