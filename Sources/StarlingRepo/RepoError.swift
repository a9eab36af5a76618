/// A repository could not be read or an entity could not be found; the message says what to fix.
package struct RepoError: Error, CustomStringConvertible, Sendable, Hashable {
    /// What went wrong and what to do about it.
    package let description: String

    /// Creates an error.
    package init(_ description: String) {
        self.description = description
    }
}
