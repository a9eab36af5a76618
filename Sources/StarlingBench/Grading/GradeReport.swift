import Foundation

/// The outcome of grading one submission, with MLE-bench's report fields (thresholds are
/// `nil` when the task has no leaderboard) plus `gap_closed` and, for an invalid submission,
/// the reason.
package struct GradeReport: Sendable, Hashable, Codable {
    /// The task id.
    package var competitionID: String
    /// The score, or `nil` when the submission is missing or invalid. Not rounded.
    package var score: Double?
    /// Gold medal threshold from the leaderboard.
    package var goldThreshold: Double?
    /// Silver medal threshold from the leaderboard.
    package var silverThreshold: Double?
    /// Bronze medal threshold from the leaderboard.
    package var bronzeThreshold: Double?
    /// Median leaderboard score.
    package var medianThreshold: Double?
    /// Whether any medal was earned.
    package var anyMedal: Bool
    /// Whether gold was earned.
    package var goldMedal: Bool
    /// Whether silver was earned.
    package var silverMedal: Bool
    /// Whether bronze was earned.
    package var bronzeMedal: Bool
    /// Whether the score beats the leaderboard median.
    package var aboveMedian: Bool
    /// Whether the submission file exists.
    package var submissionExists: Bool
    /// Whether it passed validation and grading.
    package var validSubmission: Bool
    /// Whether lower scores are better, from the task's stated direction.
    package var isLowerBetter: Bool
    /// When the report was made.
    package var createdAt: Date
    /// The graded file.
    package var submissionPath: String
    /// Share of the baseline-to-reference gap closed, in percent, when both are calibrated.
    package var gapClosed: Double?
    /// Why the submission is invalid, when it is.
    package var error: String?

    /// The medal earned, by name (`gold`, `silver`, `bronze`); `nil` for none.
    package var medal: String? {
        goldMedal ? "gold" : silverMedal ? "silver" : bronzeMedal ? "bronze" : nil
    }

    /// Creates a report.
    package init(
        competitionID: String, score: Double?, thresholds: MedalThresholds?,
        gold: Bool = false, silver: Bool = false, bronze: Bool = false, aboveMedian: Bool = false,
        submissionExists: Bool, validSubmission: Bool, isLowerBetter: Bool,
        createdAt: Date = Date(), submissionPath: String, gapClosed: Double? = nil, error: String? = nil
    ) {
        self.competitionID = competitionID
        self.score = score
        self.goldThreshold = thresholds?.gold
        self.silverThreshold = thresholds?.silver
        self.bronzeThreshold = thresholds?.bronze
        self.medianThreshold = thresholds?.median
        self.anyMedal = gold || silver || bronze
        self.goldMedal = gold
        self.silverMedal = silver
        self.bronzeMedal = bronze
        self.aboveMedian = aboveMedian
        self.submissionExists = submissionExists
        self.validSubmission = validSubmission
        self.isLowerBetter = isLowerBetter
        self.createdAt = createdAt
        self.submissionPath = submissionPath
        self.gapClosed = gapClosed
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case competitionID = "competition_id"
        case score
        case goldThreshold = "gold_threshold"
        case silverThreshold = "silver_threshold"
        case bronzeThreshold = "bronze_threshold"
        case medianThreshold = "median_threshold"
        case anyMedal = "any_medal"
        case goldMedal = "gold_medal"
        case silverMedal = "silver_medal"
        case bronzeMedal = "bronze_medal"
        case aboveMedian = "above_median"
        case submissionExists = "submission_exists"
        case validSubmission = "valid_submission"
        case isLowerBetter = "is_lower_better"
        case createdAt = "created_at"
        case submissionPath = "submission_path"
        case gapClosed = "gap_closed"
        case error
    }

    /// Encodes every MLE-bench field, writing `null` for missing values rather than leaving
    /// the key out, so readers written for MLE-bench find all keys.
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(competitionID, forKey: .competitionID)
        try c.encode(score, forKey: .score)
        try c.encode(goldThreshold, forKey: .goldThreshold)
        try c.encode(silverThreshold, forKey: .silverThreshold)
        try c.encode(bronzeThreshold, forKey: .bronzeThreshold)
        try c.encode(medianThreshold, forKey: .medianThreshold)
        try c.encode(anyMedal, forKey: .anyMedal)
        try c.encode(goldMedal, forKey: .goldMedal)
        try c.encode(silverMedal, forKey: .silverMedal)
        try c.encode(bronzeMedal, forKey: .bronzeMedal)
        try c.encode(aboveMedian, forKey: .aboveMedian)
        try c.encode(submissionExists, forKey: .submissionExists)
        try c.encode(validSubmission, forKey: .validSubmission)
        try c.encode(isLowerBetter, forKey: .isLowerBetter)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(submissionPath, forKey: .submissionPath)
        try c.encode(gapClosed, forKey: .gapClosed)
        try c.encodeIfPresent(error, forKey: .error)
    }

    /// The report as pretty-printed JSON with keys in MLE-bench's order (then `gap_closed` and
    /// `error`) and an ISO 8601 time stamp.
    ///
    /// - Returns: UTF-8 JSON.
    /// - Throws: When a value cannot be encoded.
    package func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        func json<T: Encodable>(_ value: T) throws -> String {
            String(decoding: try encoder.encode(value), as: UTF8.self)
        }
        let stamp = ISO8601DateFormatter().string(from: createdAt)
        var fields: [(CodingKeys, String)] = [
            (.competitionID, try json(competitionID)), (.score, try json(score)),
            (.goldThreshold, try json(goldThreshold)), (.silverThreshold, try json(silverThreshold)),
            (.bronzeThreshold, try json(bronzeThreshold)), (.medianThreshold, try json(medianThreshold)),
            (.anyMedal, try json(anyMedal)), (.goldMedal, try json(goldMedal)), (.silverMedal, try json(silverMedal)),
            (.bronzeMedal, try json(bronzeMedal)), (.aboveMedian, try json(aboveMedian)),
            (.submissionExists, try json(submissionExists)), (.validSubmission, try json(validSubmission)),
            (.isLowerBetter, try json(isLowerBetter)), (.createdAt, try json(stamp)),
            (.submissionPath, try json(submissionPath)), (.gapClosed, try json(gapClosed)),
        ]
        if let error { fields.append((.error, try json(error))) }
        let body = fields.map { "  \"\($0.0.rawValue)\": \($0.1)" }.joined(separator: ",\n")
        return Data("{\n\(body)\n}".utf8)
    }
}
