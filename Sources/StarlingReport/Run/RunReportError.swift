/// A run folder that cannot be reported on, with what is missing.
package struct RunReportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, naming the folder or file.
    package var message: String

    /// Creates an error.
    package init(_ message: String) { self.message = message }

    package var description: String { message }
}
