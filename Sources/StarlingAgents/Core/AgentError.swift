/// A run that cannot go on, with what to do about it.
package struct AgentError: Error, Sendable, CustomStringConvertible {
    /// What went wrong and how to fix it.
    package var message: String

    /// Creates an error.
    package init(_ message: String) { self.message = message }

    package var description: String { message }
}
