/// Grading could not run because the task's own files (answers, sample submission,
/// leaderboard) are not what the task's config says, or a metric refused the values.
package struct GradingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong and where to fix it.
    package var message: String

    /// Creates an error.
    ///
    /// - Parameter message: Explanation naming the file and what it should hold.
    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}
