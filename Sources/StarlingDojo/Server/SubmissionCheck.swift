import Foundation
import StarlingBench
import StarlingCore
import StarlingRuntime

/// `POST /validate`: MLE-bench's validation contract. Says whether a submission is valid for a
/// task (against the task's sample submission) or for an environment's view (against the
/// view's sample, dev rows included), and never scores it.
struct SubmissionCheck: Sendable {
    let registry: EnvironmentRegistry
    let defaultTask: String?

    /// Checks an uploaded submission.
    ///
    /// - Parameters:
    ///   - data: The file's bytes.
    ///   - filename: Its name, for messages.
    ///   - taskID: The task to check against (else the server's default task).
    ///   - envID: An environment whose view to check against instead.
    /// - Returns: `{"valid", "result", "problems"}`; an invalid submission is an answer, not an error.
    /// - Throws: ``DojoError`` when no task is named or it cannot be used.
    func check(_ data: Data, filename: String?, task taskID: String?, environment envID: String?) async throws -> JSONValue {
        let label = filename ?? ScriptWorkspace.Name.submission
        let target: String
        do {
            if let envID, !envID.isEmpty {
                let environment = try await registry.environment(envID)
                target = "environment \(envID)"
                try await environment.checkSubmission(CSVTable.parse(data: data, source: label))
            } else {
                guard let taskID = (taskID?.isEmpty == false ? taskID : nil) ?? defaultTask else {
                    throw DojoError(.badRequest, "name the task: a form field 'task' (or ?task=ID), or 'env' for an environment's view; this server has no default task (starling serve --task ID)")
                }
                let task = try await registry.loadTask(taskID)
                guard task.isPrepared else {
                    throw DojoError(.taskUnavailable, "task \(task.id) is not prepared: run `starling tasks prepare \(task.id)` on the server")
                }
                target = "task \(task.id)"
                let sample = try CSVTable.read(contentsOf: task.sampleSubmissionURL)
                try task.validator(sample: sample).validate(CSVTable.parse(data: data, source: label))
            }
        } catch let error as SubmissionError {
            return .object([
                "valid": .bool(false), "result": .string("Submission invalid! \(error.description)"),
                "problems": .array(error.problems.map { .string($0.description) }), "problem_count": .number(Double(error.totalCount)),
            ])
        } catch let error as CSVError {
            return .object([
                "valid": .bool(false), "result": .string("Submission invalid! \(error.description)"),
                "problems": .array([.string(error.description)]), "problem_count": .number(1),
            ])
        }
        return .object(["valid": .bool(true), "result": .string("Submission is valid."), "checked_against": .string(target), "problems": .array([])])
    }
}
