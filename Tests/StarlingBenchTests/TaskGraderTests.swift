import Foundation
import StarlingBench
import StarlingCore
import Testing

@Suite struct TaskGraderTests {
    @Test func reportHasEveryMLEBenchFieldWithNullThresholdsWithoutLeaderboard() throws {
        let synthetic = try SyntheticTask()
        let answers = try CSVTable.read(contentsOf: synthetic.task.answersURL)
        let submission = try CSVTable(header: ["id", "churn"], columns: [answers.columns[0], answers.columns[1]])
        let url = synthetic.folder.file("perfect.csv")
        try submission.write(to: url)
        let report = try TaskGrader(task: synthetic.task).report(submissionAt: url)
        #expect(report.score == 1)
        #expect(report.validSubmission && report.submissionExists)
        #expect(report.goldThreshold == nil && !report.anyMedal)
        // baseline 0.5, reference 0.9: a perfect score closes 125% of the gap.
        #expect(abs(report.gapClosed! - 125) < 1e-9)

        let json = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        let keys = ["competition_id", "score", "gold_threshold", "silver_threshold", "bronze_threshold", "median_threshold",
                    "any_medal", "gold_medal", "silver_medal", "bronze_medal", "above_median", "submission_exists",
                    "valid_submission", "is_lower_better", "created_at", "submission_path", "gap_closed"]
        #expect(Set(json.keys) == Set(keys))
        #expect(json["gold_threshold"] is NSNull)
        #expect(json["competition_id"] as? String == "synthetic")
    }

    @Test func medalsComeFromTheLeaderboard() throws {
        let synthetic = try SyntheticTask()
        let scores = (0..<20).map { "team\($0),\(1 - Double($0) * 0.01)" }.joined(separator: "\n")
        try Data(("teamName,score\n" + scores + "\n").utf8).write(to: synthetic.task.leaderboardURL)
        let answers = try CSVTable.read(contentsOf: synthetic.task.answersURL)
        let url = synthetic.folder.file("perfect.csv")
        try CSVTable(header: ["id", "churn"], columns: [answers.columns[0], answers.columns[1]]).write(to: url)
        let report = try TaskGrader(task: synthetic.task).report(submissionAt: url)
        #expect(report.goldThreshold == 0.99)   // 20 teams: position max(1, int(2.0)) = 2
        #expect(report.goldMedal && report.anyMedal && report.aboveMedian)
    }

    @Test func invalidOrMissingSubmissionIsAReportNotAnError() throws {
        let synthetic = try SyntheticTask()
        let grader = TaskGrader(task: synthetic.task)
        let missing = try grader.report(submissionAt: synthetic.folder.file("nothing.csv"))
        #expect(!missing.submissionExists && !missing.validSubmission && missing.score == nil)
        let bad = try synthetic.folder.write("bad.csv", "id,churn\n1,0.5\n")
        let invalid = try grader.report(submissionAt: bad)
        #expect(invalid.submissionExists && !invalid.validSubmission)
        #expect(invalid.error?.contains("rows") == true)
        let json = try #require(try JSONSerialization.jsonObject(with: invalid.jsonData()) as? [String: Any])
        #expect(json["score"] is NSNull)
    }

    @Test func unpreparedTaskIsAnErrorThatSaysHowToPrepare() throws {
        let synthetic = try SyntheticTask()
        try FileManager.default.removeItem(at: synthetic.task.preparedURL)
        let error = try #require(throws: GradingError.self) {
            try TaskGrader(task: synthetic.task).report(submissionAt: synthetic.folder.file("x.csv"))
        }
        #expect(error.description.contains("starling tasks prepare synthetic"))
    }
}
