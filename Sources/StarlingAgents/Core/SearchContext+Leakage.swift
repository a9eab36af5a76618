import Foundation
import StarlingCore

extension SearchContext {
    /// The prompt of a leakage review of `code`, or `nil` when there is nothing to review.
    ///
    /// A script made from this run's card examples by function edits and merges is reviewed in
    /// the functions that differ from every example: the rest (the hold-out split, the folds, the
    /// prediction of the test rows) is an example's own code, which holds no leak, and the task
    /// context before it is the prompt the server has cached. Sent whole, a wa-churn script is
    /// about 2,600 tokens the server has not seen, some 90 s of prompt processing on a 2-core
    /// machine: the review, started with 70 s of the search left, was cut off by the deadline and
    /// its time lost. Any other script is reviewed whole; an unchanged example is not reviewed.
    func leakageReviewPrompt(for code: String) async -> String? {
        guard let changed = await functionsChangedFromExamples(in: code) else {
            return prompts.render(.leakageCheck, ["code": code])
        }
        guard !changed.isEmpty else { return nil }
        return prompts.render(.leakageCheckChanged, ["task_context": taskContext(), "functions": changed.joined(separator: "\n\n\n")])
    }

    /// The top-level functions of `code` whose bodies differ from every function of this run's
    /// unchanged card examples, in the order they appear; `nil` when the run has no examples or
    /// the script's code outside its functions is not made of the examples' lines (imports aside,
    /// which leak nothing), so that the whole script must be read.
    func functionsChangedFromExamples(in code: String) async -> [String]? {
        let examples = ((try? journal.nodes()) ?? []).map(\.node).filter { $0.origin == .example }
        guard !examples.isEmpty else { return nil }
        let scratch = harness.runFolder.appendingPathComponent(".edits/leakage-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let functions = await editor.outline(of: code, scratch: scratch)
        guard !functions.isEmpty else { return nil }
        var bodies = Set<String>()
        var mainLines = Set<String>()
        for example in examples {
            let outline = await editor.outline(of: example.code, scratch: scratch)
            bodies.formUnion(outline.compactMap { Self.body(of: $0, in: example.code) })
            mainLines.formUnion(Self.mainCode(of: example.code, outside: outline))
        }
        guard Self.mainCode(of: code, outside: functions).isSubset(of: mainLines) else { return nil }
        return functions.compactMap { function in
            guard let body = Self.body(of: function, in: code), !bodies.contains(body) else { return nil }
            return Self.source(of: function, in: code)
        }
    }

    /// A function's lines after its `def` line: a merge renames a transplanted function, not its body.
    static func body(of function: EditApplier.Function, in code: String) -> String? {
        source(of: function, in: code).map { $0.components(separatedBy: "\n").dropFirst().joined(separator: "\n") }
    }

    /// The statement lines of `code` outside its top-level functions, without blank lines,
    /// comments and imports.
    static func mainCode(of code: String, outside functions: [EditApplier.Function]) -> Set<String> {
        let lines = code.components(separatedBy: "\n")
        var inside = Set<Int>()
        for function in functions { inside.formUnion(function.first...max(function.first, function.last)) }
        return Set(lines.enumerated().compactMap { index, line -> String? in
            let text = line.trimmingCharacters(in: .whitespaces)
            guard !inside.contains(index + 1), !text.isEmpty, !text.hasPrefix("#"),
                  !text.hasPrefix("import "), !text.hasPrefix("from ") else { return nil }
            return line
        })
    }
}
