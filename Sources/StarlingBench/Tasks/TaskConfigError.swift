/// A task's `config.yaml` that cannot be used, naming the file and key to fix.
package struct TaskConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The config file.
    package var file: String
    /// The dotted key, e.g. `grader.name`; empty for a problem with the whole file.
    package var key: String
    /// 1-based line of the value, when known.
    package var line: Int?
    /// What is wrong and what is expected.
    package var message: String

    package var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(place): \(message)" : "\(place): key '\(key)': \(message)"
    }
}
