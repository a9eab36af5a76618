/// A task's `config.yaml` that cannot be used, naming the file and key to fix.
public struct TaskConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The config file.
    public var file: String
    /// The dotted key, e.g. `grader.name`; empty for a problem with the whole file.
    public var key: String
    /// 1-based line of the value, when known.
    public var line: Int?
    /// What is wrong and what is expected.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - file: The config file.
    ///   - key: The dotted key.
    ///   - line: Line of the offending value.
    ///   - message: Explanation.
    public init(file: String, key: String, line: Int? = nil, message: String) {
        self.file = file
        self.key = key
        self.line = line
        self.message = message
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(place): \(message)" : "\(place): key '\(key)': \(message)"
    }
}
