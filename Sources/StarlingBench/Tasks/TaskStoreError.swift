/// A task that cannot be found.
package struct TaskStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was asked for and where it was looked for.
    package var message: String

    /// Creates an error.
    ///
    /// - Parameter message: Explanation naming the searched folders.
    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}
