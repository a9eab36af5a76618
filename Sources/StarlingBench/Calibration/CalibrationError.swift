/// A calibration that could not produce a score.
package struct CalibrationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The task.
    package var taskID: String
    /// Which script, `baseline.py` or `reference.py`.
    package var script: String
    /// What went wrong.
    package var message: String
    /// The end of the script's output.
    package var outputTail: String

    /// Creates an error.
    package init(taskID: String, script: String, message: String, outputTail: String = "") {
        self.taskID = taskID
        self.script = script
        self.message = message
        self.outputTail = outputTail
    }

    package var description: String {
        let head = "\(taskID) \(script): \(message)"
        return outputTail.isEmpty ? head : head + "\n--- output (end) ---\n" + outputTail
    }
}
