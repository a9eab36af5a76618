import Foundation
import StarlingBench
import StarlingCore
import StarlingRunFolder

/// The last step of every run, Starling's strategies and the bench's peers alike: the best
/// candidates in turn are rerun on all training rows until one writes a valid submission. That
/// one becomes `final/` (`solution.py`, `submission.csv`, `grade.json`) and fills the summary's
/// final fields; the grade is the task's real test score.
package struct FinalSubmission: Sendable {
    /// A script that may become the final one.
    package struct Candidate: Sendable {
        /// Its node in the run's journal, when it has one yet.
        package var nodeID: Int?
        /// How logs name it (`node 5`, `aideml step 7`).
        package var label: String
        /// The script.
        package var code: String
        /// Its score on the hidden dev rows, when the harness measured one.
        package var devScore: Double?
        /// The validation score the script (or the peer) reported about itself.
        package var selfReportedScore: Double?

        package init(nodeID: Int?, label: String, code: String, devScore: Double? = nil, selfReportedScore: Double? = nil) {
            self.nodeID = nodeID
            self.label = label
            self.code = code
            self.devScore = devScore
            self.selfReportedScore = selfReportedScore
        }
    }

    /// Candidates tried at most: the best three. A fourth rarely succeeds where three failed,
    /// and each costs a full-data run out of the final reserve.
    package static let maxCandidates = 3

    /// The run folder.
    package let layout: RunLayout
    /// The task (for the gap closed).
    package let spec: TaskSpec
    /// Grades a submission on the real test rows and writes the grade report; throws when the
    /// submission is invalid.
    package let grade: @Sendable (_ submission: URL, _ reportFile: URL) throws -> Double?

    /// Creates the step.
    package init(layout: RunLayout, spec: TaskSpec, grade: @escaping @Sendable (_ submission: URL, _ reportFile: URL) throws -> Double?) {
        self.layout = layout
        self.spec = spec
        self.grade = grade
    }

    /// The step for a task graded by StarlingBench's grader.
    package init(layout: RunLayout, task: TaskDefinition) {
        self.init(layout: layout, spec: task.spec) { submission, reportFile in
            try Self.grade(task, submission: submission, reportFile: reportFile)
        }
    }

    /// Grades `submission` with the task's grader and writes the report to `reportFile`.
    ///
    /// - Returns: The test score (`nil` when the task has no answers).
    /// - Throws: ``AgentError`` when the submission is invalid (the report is written first).
    package static func grade(_ task: TaskDefinition, submission: URL, reportFile: URL) throws -> Double? {
        try gradeReport(task, submission: submission, reportFile: reportFile).score
    }

    /// As ``grade(_:submission:reportFile:)``, returning the whole report (medals, gap closed).
    package static func gradeReport(_ task: TaskDefinition, submission: URL, reportFile: URL) throws -> GradeReport {
        let report = try TaskGrader(task: task).report(submissionAt: submission)
        try RunLayout.writeJSON(report, to: reportFile)
        guard report.validSubmission else {
            throw AgentError("the final submission is invalid: \(report.error ?? "unknown reason")")
        }
        return report
    }

    /// When no script wrote a valid submission: the task's sample submission becomes the final
    /// one, graded like any other (a chance-level score rather than none) and marked as a
    /// fallback in the summary, with no `solution.py`.
    ///
    /// - Parameters:
    ///   - sample: The task's sample submission (real test ids).
    ///   - summary: Gets the final fields.
    package func submitSample(_ sample: URL, into summary: inout RunSummary,
                             reason: String = "no script wrote a valid one") throws {
        let fm = FileManager.default
        try fm.createDirectory(at: layout.finalFolder, withIntermediateDirectories: true)
        try? fm.removeItem(at: layout.finalSubmission)
        try? fm.removeItem(at: layout.finalSolution)
        try fm.copyItem(at: sample, to: layout.finalSubmission)
        summary.finalScore = try grade(layout.finalSubmission, layout.finalGrade)
        summary.validSubmission = true
        summary.fallback = "the task's sample submission: " + reason
        summary.bestNodeID = nil
        summary.gapClosed = summary.finalScore.flatMap { spec.gapClosed(by: $0) }
    }

    /// Tries `candidates` (best first) until one gives a valid, graded submission.
    ///
    /// - Parameters:
    ///   - candidates: Best first; at most ``maxCandidates`` are tried.
    ///   - summary: Gets the final fields of the candidate that made it.
    ///   - rerun: Runs a candidate's script on all training rows and returns its submission
    ///     file, or `nil` when the run failed (it reports why).
    ///   - warn: Reports a candidate whose submission was invalid.
    /// - Returns: The candidate whose submission is final, if any.
    @discardableResult
    package func submit(_ candidates: [Candidate], into summary: inout RunSummary,
                       rerun: (Candidate) async throws -> URL?, warn: (String) -> Void) async throws -> Candidate? {
        let fm = FileManager.default
        try fm.createDirectory(at: layout.finalFolder, withIntermediateDirectories: true)
        for candidate in candidates.prefix(Self.maxCandidates) {
            guard let submission = try await rerun(candidate) else { continue }
            do {
                try? fm.removeItem(at: layout.finalSubmission)
                try fm.copyItem(at: submission, to: layout.finalSubmission)
                try candidate.code.write(to: layout.finalSolution, atomically: true, encoding: .utf8)
                summary.finalScore = try grade(layout.finalSubmission, layout.finalGrade)
                summary.validSubmission = true
                summary.bestNodeID = candidate.nodeID
                summary.devScore = candidate.devScore
                summary.selfReportedScore = candidate.selfReportedScore
                summary.gapClosed = summary.finalScore.flatMap { spec.gapClosed(by: $0) }
                return candidate
            } catch {
                warn("final submission of \(candidate.label) is invalid: \(error)")
            }
        }
        return nil
    }
}
