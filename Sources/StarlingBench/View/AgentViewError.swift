/// An agent view that cannot be built or used.
public struct AgentViewError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong and what to do.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameter message: Explanation naming the file or folder concerned.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
