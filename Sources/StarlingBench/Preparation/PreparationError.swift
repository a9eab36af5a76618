/// Preparing a task's data failed: `prepare.py` failed, or its output does not match the
/// recorded checksums.
package struct PreparationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The task.
    package var taskID: String
    /// What went wrong and what to do.
    package var message: String
    /// The end of `prepare.py`'s output, when it ran.
    package var outputTail: String

    /// Creates an error.
    package init(taskID: String, message: String, outputTail: String = "") {
        self.taskID = taskID
        self.message = message
        self.outputTail = outputTail
    }

    package var description: String {
        outputTail.isEmpty ? "\(taskID): \(message)" : "\(taskID): \(message)\n--- prepare.py output (end) ---\n\(outputTail)"
    }
}

/// A prepared file whose SHA-256 differs from the one recorded in `prepare.checksums`.
package struct ChecksumMismatch: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Path relative to `prepared/`.
    package var path: String
    /// The recorded digest.
    package var expected: String
    /// The digest of the file now, or `nil` when the file is missing.
    package var actual: String?

    package var description: String {
        guard let actual else { return "\(path): missing (expected sha256 \(expected))" }
        return "\(path): sha256 \(actual), expected \(expected)"
    }
}
