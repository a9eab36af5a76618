import Foundation
import StarlingCore

/// Validates and grades submissions for one prepared task, and writes MLE-bench style reports.
package struct TaskGrader: Sendable {
    /// The task.
    package var task: TaskDefinition

    /// Creates a grader for a task.
    ///
    /// - Parameter task: A prepared task.
    package init(task: TaskDefinition) {
        self.task = task
    }

    /// Checks a submission against the task's sample submission.
    ///
    /// - Parameter url: The submission file.
    /// - Throws: ``CSVError`` when the file cannot be parsed, ``SubmissionError`` listing the
    ///   first problems, or ``GradingError`` when the task is not prepared.
    package func validate(submissionAt url: URL) throws {
        let sample = try readTaskFile(task.sampleSubmissionURL, "sample submission")
        try task.validator(sample: sample).validate(try CSVTable.read(contentsOf: url, dialect: .pandas))
    }

    /// Validates and scores a submission against the task's answers.
    ///
    /// - Parameter url: The submission file.
    /// - Returns: The score.
    /// - Throws: As ``validate(submissionAt:)``, plus ``GradingError`` from the metric.
    package func score(submissionAt url: URL) throws -> Double {
        let submission = try CSVTable.read(contentsOf: url, dialect: .pandas)
        let sample = try readTaskFile(task.sampleSubmissionURL, "sample submission")
        try task.validator(sample: sample).validate(submission)
        let answers = try readTaskFile(task.answersURL, "answers")
        let score = try task.grader.score(submission: submission, answers: answers)
        guard score.isFinite else {
            // MLE-bench reports such a score (an RMSE of 1e308 predictions is inf); a reward cannot be one.
            throw GradingError("\(url.path): the \(task.spec.metric.rawValue) score is \(score): a prediction is so large that the metric overflows; predict values of the target's scale")
        }
        return score
    }

    /// Grades a submission into a report. A missing or invalid submission is a report with
    /// `valid_submission: false` and the reason, not an error.
    ///
    /// - Parameters:
    ///   - url: The submission file.
    ///   - now: The report's time stamp.
    /// - Returns: The report, with medals when the task has a `leaderboard.csv`.
    /// - Throws: ``GradingError`` or ``CSVError`` when the task's own files are missing or
    ///   broken (not prepared, unreadable leaderboard).
    package func report(submissionAt url: URL, now: Date = Date()) throws -> GradeReport {
        guard task.isPrepared else {
            throw GradingError("task \(task.id) is not prepared: run `starling tasks prepare \(task.id)`")
        }
        let thresholds = try leaderboardThresholds()
        let exists = FileManager.default.fileExists(atPath: url.path)
        func invalid(_ reason: String) -> GradeReport {
            GradeReport(
                competitionID: task.id, score: nil, thresholds: thresholds,
                submissionExists: exists, validSubmission: false, isLowerBetter: task.spec.direction == .lower,
                createdAt: now, submissionPath: url.path, error: reason)
        }
        guard exists else { return invalid("no file at \(url.path)") }
        let score: Double
        do {
            score = try self.score(submissionAt: url)
        } catch let error as SubmissionError {
            return invalid(error.description)
        } catch let error as CSVError where error.file == url.path {
            return invalid(error.description)
        } catch let error as GradingError {
            return invalid(error.description)
        }
        let medals = thresholds?.medals(for: score, direction: task.spec.direction)
        return GradeReport(
            competitionID: task.id, score: score, thresholds: thresholds,
            gold: medals?.gold ?? false, silver: medals?.silver ?? false, bronze: medals?.bronze ?? false,
            aboveMedian: medals?.aboveMedian ?? false,
            submissionExists: true, validSubmission: true, isLowerBetter: task.spec.direction == .lower,
            createdAt: now, submissionPath: url.path, gapClosed: task.spec.gapClosed(by: score))
    }

    /// Medal thresholds from the task's `leaderboard.csv`, or `nil` when it has none.
    ///
    /// - Returns: Thresholds by MLE-bench's rules.
    /// - Throws: When the leaderboard exists but cannot be read.
    package func leaderboardThresholds() throws -> MedalThresholds? {
        guard FileManager.default.fileExists(atPath: task.leaderboardURL.path) else { return nil }
        return try Leaderboard.read(contentsOf: task.leaderboardURL, direction: task.spec.direction).thresholds()
    }

    private func readTaskFile(_ url: URL, _ what: String) throws -> CSVTable {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw GradingError("task \(task.id) has no \(what) at \(url.path); run `starling tasks prepare \(task.id)`")
        }
        return try CSVTable.read(contentsOf: url)
    }
}
