import Foundation

/// A submission made on an agent view, split back into its two parts.
package struct SplitSubmission: Sendable, Hashable {
    /// Predictions for the hidden dev rows, under the view's ids; no rows when the view has
    /// no dev split.
    package var dev: CSVTable
    /// Predictions for the real test rows, under the task's original ids and in the order of
    /// the task's sample submission: a submission for the task itself.
    package var test: CSVTable

    /// Writes the real test part, e.g. to a run's `final/submission.csv`.
    ///
    /// - Parameter url: Destination file.
    /// - Throws: The file system's error.
    package func writeTest(to url: URL) throws {
        try test.write(to: url)
    }
}
