import Foundation
import StarlingCore

/// What a task looks like to the lessons store: its type, metric and size, and its columns by
/// kind. Two tasks with close fingerprints tend to reward the same changes.
package struct TaskFingerprint: Sendable, Hashable, Codable {
    /// The task type's raw value.
    package var taskType: String
    /// The metric's raw value.
    package var metric: String
    /// Training rows of the agent view.
    package var rows: Int
    /// Numeric feature columns.
    package var numericColumns: Int
    /// Other feature columns (strings, dates, text).
    package var otherColumns: Int

    /// How unlike `other` this task is: 0 for the same shape; each of another type, another
    /// metric, ten times the rows and a different share of non-numeric columns adds about 1.
    package func distance(to other: TaskFingerprint) -> Double {
        var d = 0.0
        if taskType != other.taskType { d += 1.5 }
        if metric != other.metric { d += 0.5 }
        d += abs(log10(Double(max(rows, 1))) - log10(Double(max(other.rows, 1))))
        func share(_ f: TaskFingerprint) -> Double { Double(f.otherColumns) / Double(max(1, f.numericColumns + f.otherColumns)) }
        d += 2 * abs(share(self) - share(other))
        return d
    }
}
