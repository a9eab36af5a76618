/// An agent view that cannot be built or used.
package struct AgentViewError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong and what to do.
    package var message: String

    /// Creates an error.
    ///
    /// - Parameter message: Explanation naming the file or folder concerned.
    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}
