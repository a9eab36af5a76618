/// A run folder that cannot be reported on, with what is missing.
public struct RunReportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, naming the folder or file.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
