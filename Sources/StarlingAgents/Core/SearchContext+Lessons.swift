import Foundation
import StarlingCore

/// Lessons that carry over: what each kind of change gained (paired, cross-validated) is kept in
/// the lessons store, and edit ideas are taken best expected gain first.
extension SearchContext {
    /// This task as the lessons store sees it.
    package var fingerprint: TaskFingerprint {
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
    package func lessonNote(function: String?, idea: String) -> String {
        guard let lessons else { return "" }
        let chosen = lessons.relevant(to: fingerprint, change: Self.changeKind(function: function, idea: idea))
        guard !chosen.isEmpty else { return "" }
        let lines = chosen.map { lesson in
            "- \(lesson.change) … on \(lesson.taskID) (\(lesson.fingerprint.metric), \(lesson.fingerprint.rows) rows): \(lesson.gain.text), \(lesson.gain.verdict)"
        }
        return "\n\n" + prompts.fragment(.pastLessons, ["lessons": lines.joined(separator: "\n")])
    }

    /// The change kind of a card's example among the examples of one task: `card: <id>`.
    static func cardChange(_ id: String) -> String { "card: " + id }

    /// The cards for this task: the retriever's best `limit`, in the order of what their examples
    /// gained over the other examples on similar tasks before (drawn from twice as many when
    /// lessons are kept; cards with no lesson keep the retriever's order).
    ///
    /// - Throws: ``AgentError`` when no card fits the task type.
    package func retrieveCards(limit: Int) async throws -> [ModelCard] {
        let text = task.taskDescription + "\n" + profile.markdown
        let pool = await retriever.retrieve(for: task.spec, text: text, limit: lessons == nil ? max(1, limit) : 2 * max(1, limit))
        guard !pool.isEmpty else {
            throw AgentError("no model card fits task type \(task.spec.taskType.rawValue); add one under Sources/StarlingAgents/Resources/knowledge or STARLING_KNOWLEDGE")
        }
        let ranked = lessons.map { store in store.rank(pool, change: { Self.cardChange($0.id) }, for: fingerprint) } ?? pool
        return Array(ranked.prefix(max(1, limit)))
    }

    /// Records, once per run, what each cross-validated card example gained over the mean of the
    /// run's examples (fold by fold), as lessons `card: <id>`; nothing with fewer than two.
    func learnFromCardExamples() async {
        let key = "lessons/cards"
        guard let lessons, (try? journal.artifact(Bool.self, forKey: key)) == nil else { return }
        await allCrossValidated()
        let cards = await retriever.retrieve(for: task.spec, text: task.taskDescription + "\n" + profile.markdown, limit: 100)
        let examples = solutions().filter { $0.origin == .example }.compactMap { node -> (id: String, validation: CrossValidation)? in
            guard let card = cards.first(where: { $0.example == node.code }), let validation = crossValidation(of: node),
                  validation.method == "folds" else { return nil }
            return (card.id, validation)
        }
        let folds = examples.first?.validation.foldScores.count ?? 0
        guard examples.count >= 2, examples.allSatisfy({ $0.validation.foldScores.count == folds }) else { return }
        let mean = CrossValidation(foldScores: (0..<folds).map { k in
            examples.map { $0.validation.foldScores[k] }.reduce(0, +) / Double(examples.count)
        })
        do {
            for example in examples {
                guard let gain = example.validation.gain(over: mean, direction: direction) else { continue }
                try lessons.append(Lesson(taskID: task.spec.id, fingerprint: fingerprint, change: Self.cardChange(example.id), gain: gain,
                                          run: harness.runFolder.lastPathComponent))
            }
            try journal.setArtifact(true, forKey: key)
        } catch {
            report("the lessons of the card examples could not be kept: \(error)", kind: .warning)
        }
    }
}
