/// Preparing a task's data failed: `prepare.py` failed, or its output does not match the
/// recorded checksums.
public struct PreparationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The task.
    public var taskID: String
    /// What went wrong and what to do.
    public var message: String
    /// The end of `prepare.py`'s output, when it ran.
    public var outputTail: String

    /// Creates an error.
    public init(taskID: String, message: String, outputTail: String = "") {
        self.taskID = taskID
        self.message = message
        self.outputTail = outputTail
    }

    public var description: String {
        outputTail.isEmpty ? "\(taskID): \(message)" : "\(taskID): \(message)\n--- prepare.py output (end) ---\n\(outputTail)"
    }
}

/// A prepared file whose SHA-256 differs from the one recorded in `prepare.checksums`.
public struct ChecksumMismatch: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Path relative to `prepared/`.
    public var path: String
    /// The recorded digest.
    public var expected: String
    /// The digest of the file now, or `nil` when the file is missing.
    public var actual: String?

    /// Creates a mismatch.
    public init(path: String, expected: String, actual: String?) {
        self.path = path
        self.expected = expected
        self.actual = actual
    }

    public var description: String {
        guard let actual else { return "\(path): missing (expected sha256 \(expected))" }
        return "\(path): sha256 \(actual), expected \(expected)"
    }
}
