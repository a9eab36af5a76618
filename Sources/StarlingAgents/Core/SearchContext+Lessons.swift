import Foundation
public import StarlingCore

/// Lessons that carry over: what each kind of change gained (paired, cross-validated) is kept in
/// the lessons store, and edit ideas are taken best expected gain first.
extension SearchContext {
    /// This task as the lessons store sees it.
    public var fingerprint: TaskFingerprint {
        let spec = task.spec
        let features = (profile.columns["train.csv"] ?? []).filter { $0 != spec.idColumn && !spec.targetColumns.contains($0) }
        return TaskFingerprint(taskType: spec.taskType.rawValue, metric: spec.metric.rawValue, rows: profile.trainRows,
                               numericColumns: profile.numericFeatures.count, otherColumns: max(0, features.count - profile.numericFeatures.count))
    }

    /// The change kind of an edit idea: its function and the idea's first five words, which do
    /// not depend on the task (`fit_predict: Tune the model's settings for`).
    static func changeKind(function: String?, idea: String) -> String {
        (function.map { $0 + ": " } ?? "") + idea.split(separator: " ").prefix(5).joined(separator: " ")
    }

    /// Records what `child` gained over `parent` (both cross-validated) as a lesson of kind
    /// `change`; nothing without a store or without both fold scores.
    func learn(_ child: Node, from parent: Node, change: String) async {
        guard let lessons, child.status == .succeeded else { return }
        await crossValidated(child)
        await crossValidated(parent)
        guard let gain = gain(of: child, over: parent) else { return }
        do {
            try lessons.append(Lesson(taskID: task.spec.id, fingerprint: fingerprint, change: change, gain: gain,
                                      run: harness.runFolder.lastPathComponent))
        } catch {
            report("the lesson of node \(child.id) could not be kept: \(error)", kind: .warning)
        }
    }

    /// The lessons to show the model with an edit idea (a line each: the change, the task, its
    /// metric and rows, the CV gain and its verdict), as a paragraph to end an instruction with;
    /// empty without a store or lessons.
    public func lessonNote(function: String?, idea: String) -> String {
        guard let lessons else { return "" }
        let chosen = lessons.relevant(to: fingerprint, change: Self.changeKind(function: function, idea: idea))
        guard !chosen.isEmpty else { return "" }
        let lines = chosen.map { lesson in
            "- \(lesson.change) … on \(lesson.taskID) (\(lesson.fingerprint.metric), \(lesson.fingerprint.rows) rows): \(lesson.gain.text), \(lesson.gain.verdict)"
        }
        return "\n\n" + prompts.fragment(.pastLessons, ["lessons": lines.joined(separator: "\n")])
    }
}
