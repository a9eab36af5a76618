/// A repository could not be read or an entity could not be found; the message says what to fix.
public struct RepoError: Error, CustomStringConvertible, Sendable, Hashable {
    /// What went wrong and what to do about it.
    public let description: String

    /// Creates an error.
    public init(_ description: String) {
        self.description = description
    }
}
