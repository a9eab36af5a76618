/// A task that cannot be found.
public struct TaskStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was asked for and where it was looked for.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameter message: Explanation naming the searched folders.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
