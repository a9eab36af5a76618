import Foundation
import StarlingCore

/// What the harness remembers about an agent view, kept outside the view next to the dev-row
/// mapping.
package struct AgentViewManifest: Sendable, Hashable, Codable {
    /// The task id.
    package var taskID: String
    /// The task folder the view was built from.
    package var taskFolder: String
    /// The view folder.
    package var viewFolder: String
    /// The task's metric.
    package var metric: Metric
    /// Which way the metric improves.
    package var direction: Direction
    /// The id column.
    package var idColumn: String
    /// The prediction columns.
    package var targetColumns: [String]
    /// Positive class for binary F1.
    package var positiveLabel: String
    /// Cut-off for MAP@K.
    package var k: Int?
    /// How dev rows were chosen.
    package var devSplit: DevSplit
    /// Seed of the dev-row choice and the shuffle.
    package var seed: UInt64
    /// Dev rows hidden in the view's test file.
    package var devRowCount: Int
    /// Real test rows.
    package var testRowCount: Int
    /// When the view was built.
    package var createdAt: Date
    /// How strictly submissions are read; `nil` in manifests written before rules existed.
    package var submissionRules: SubmissionRules?

    /// The rules in force.
    package var rules: SubmissionRules { submissionRules ?? .strict }

    /// A grader for the view's dev rows.
    package var grader: Grader {
        Grader(metric: metric, idColumn: idColumn, targetColumns: targetColumns, positiveLabel: positiveLabel, k: k, rules: rules)
    }

    /// A validator for submissions made on the view.
    package func validator(sample: CSVTable) -> SubmissionValidator {
        SubmissionValidator(sample: sample, idColumn: idColumn, metric: metric, targetColumns: targetColumns, rules: rules)
    }
}
