import Foundation
import StarlingCore

/// What the harness remembers about an agent view, kept outside the view next to the dev-row
/// mapping.
public struct AgentViewManifest: Sendable, Hashable, Codable {
    /// The task id.
    public var taskID: String
    /// The task folder the view was built from.
    public var taskFolder: String
    /// The view folder.
    public var viewFolder: String
    /// The task's metric.
    public var metric: Metric
    /// Which way the metric improves.
    public var direction: Direction
    /// The id column.
    public var idColumn: String
    /// The prediction columns.
    public var targetColumns: [String]
    /// Positive class for binary F1.
    public var positiveLabel: String
    /// Cut-off for MAP@K.
    public var k: Int?
    /// How dev rows were chosen.
    public var devSplit: DevSplit
    /// Seed of the dev-row choice and the shuffle.
    public var seed: UInt64
    /// Dev rows hidden in the view's test file.
    public var devRowCount: Int
    /// Real test rows.
    public var testRowCount: Int
    /// When the view was built.
    public var createdAt: Date
    /// How strictly submissions are read; `nil` in manifests written before rules existed.
    public var submissionRules: SubmissionRules?

    /// The rules in force.
    public var rules: SubmissionRules { submissionRules ?? .strict }

    /// A grader for the view's dev rows.
    public var grader: Grader {
        Grader(metric: metric, idColumn: idColumn, targetColumns: targetColumns, positiveLabel: positiveLabel, k: k, rules: rules)
    }

    /// A validator for submissions made on the view.
    public func validator(sample: CSVTable) -> SubmissionValidator {
        SubmissionValidator(sample: sample, idColumn: idColumn, metric: metric, targetColumns: targetColumns, rules: rules)
    }
}
