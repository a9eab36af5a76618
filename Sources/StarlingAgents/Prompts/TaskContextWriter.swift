import Foundation
import StarlingCore

/// The task, schema and rules block that starts most prompts (`task_context.md` with
/// `rules.md` inside), written once per run: every request shares it as its prefix.
struct TaskContextWriter: Sendable {
    let prompts: PromptLibrary
    let spec: TaskSpec
    let taskDescription: String
    let schema: String
    let libraries: String
    let scriptTimeoutSeconds: Double
    /// A repository the run may use (``RepoContext/promptText``), or empty.
    var repository = ""

    /// Share of the script timeout the rules give a script: it should stop early enough to
    /// write its submission before the sandbox kills it.
    static let scriptTimeShare = 0.8
    /// Characters of the task description kept: long Kaggle descriptions (rules, prizes,
    /// timelines) would take most of a small model's context.
    static let maxDescriptionCharacters = 6000

    /// What to predict, in the words of the metric's kind.
    var predictionKind: String {
        let values = ["targets": spec.targetColumns.joined(separator: ", "), "metric": spec.metric.rawValue, "direction": spec.direction.rawValue]
        switch spec.metric.submissionValueKind {
        case .probability: return prompts.fragment(.predictionProbabilities, values)
        case .label, .itemList: return prompts.fragment(.predictionLabels, values)
        case .number: return prompts.fragment(.predictionValues, values)
        }
    }

    /// The rendered block.
    func render() -> String {
        let header = ([spec.idColumn] + spec.targetColumns).joined(separator: ",")
        let rules = prompts.render(.rules, [
            "targets": spec.targetColumns.map { "`\($0)`" }.joined(separator: ", "),
            "id_column": spec.idColumn,
            "submission_header": "`\(header)`",
            "prediction_kind": predictionKind,
            "metric": spec.metric.rawValue,
            "time_limit": String(Int(scriptTimeoutSeconds * Self.scriptTimeShare)),
            "libraries": libraries,
        ])
        let description = taskDescription.count > Self.maxDescriptionCharacters
            ? String(taskDescription.prefix(Self.maxDescriptionCharacters)) + "\n…" : taskDescription
        return prompts.render(.taskContext, [
            "task_name": spec.name, "task_description": description, "schema": schema, "rules": rules, "repository": repository,
        ])
    }
}
