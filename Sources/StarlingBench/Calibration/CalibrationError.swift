/// A calibration that could not produce a score.
public struct CalibrationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The task.
    public var taskID: String
    /// Which script, `baseline.py` or `reference.py`.
    public var script: String
    /// What went wrong.
    public var message: String
    /// The end of the script's output.
    public var outputTail: String

    /// Creates an error.
    public init(taskID: String, script: String, message: String, outputTail: String = "") {
        self.taskID = taskID
        self.script = script
        self.message = message
        self.outputTail = outputTail
    }

    public var description: String {
        let head = "\(taskID) \(script): \(message)"
        return outputTail.isEmpty ? head : head + "\n--- output (end) ---\n" + outputTail
    }
}
