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
}
