import Foundation
import StarlingCore
import StarlingLLM
import StarlingStore
import StarlingRunFolder

/// Changing a working script instead of writing one from nothing: edit requests in the run's
/// format, the checks every reply passes before it may run (it applies, it parses, it changes
/// something), grounded repairs, and the debug round built on them.
extension SearchContext {
    /// LLM calls one edit may take: the first ask and two re-asks with the reason.
    static let editAttempts = 3
    /// Sampling temperature of an edit's first ask: at 0 the 1.5B model often copies the
    /// function unchanged; 0.2 is what the edit replies were measured with.
    static let editTemperature = 0.2
    /// Completion tokens for one function edit. The card examples' longest function is ~450
    /// tokens; longer replies were the 1.5B model listing every column (863 tokens, 3.5 minutes
    /// on a busy machine), and a cut-off reply keeps its function's final `return`.
    static let functionEditTokens = 700
    /// Characters per token of Python code, roughly, for reply budgets.
    static let charactersPerToken = 3.2

    /// Completion tokens for a new version of a function now `source` long: twice its tokens
    /// (about 3.2 characters each) and room for a few new lines, at least 320, at most
    /// ``functionEditTokens``. An `add_features` edit asked for two columns once ran to the
    /// 700-token cap listing every column (72 s of a 10-minute run); cut at 320 it keeps its
    /// first columns and its `return` (`apply_edit.py` salvages a cut-off reply).
    static func functionEditTokens(forSource source: String?) -> Int {
        guard let source, !source.isEmpty else { return functionEditTokens }
        return min(functionEditTokens, max(320, Int(Double(source.count) / charactersPerToken) * 2 + 120))
    }

    /// Asks the model to change `base` and returns the changed script, which applied, parses and
    /// differs from `base` beyond whitespace.
    ///
    /// A reply that does not apply is re-asked with the reason; a reply that changes nothing is
    /// recorded and re-asked with the focus lines and other sampling. Each re-ask is a fresh
    /// conversation, the first prompt plus a note, so the server reuses its cached prefix and the
    /// model does not see (and copy) its own unusable reply.
    ///
    /// - Parameters:
    ///   - role: Who answers.
    ///   - base: The working script to change.
    ///   - score: Its harness score, shown to the model.
    ///   - instruction: What to change, from one of the `instruct_*` prompts.
    ///   - function: The function to rewrite (function edits); `nil` lets the model choose.
    ///   - format: The edit format; the run's by default.
    /// - Returns: The new script.
    /// - Throws: ``AgentError`` when no attempt gave a usable edit.
    package func askEdit(_ role: AgentRole, base: String, score: Double? = nil, instruction: String, function: String? = nil,
                        format: EditFormat? = nil, focusLines: String = "", failing: Bool = false) async throws -> String {
        let format = format ?? editFormat
        let scratch = harness.runFolder.appendingPathComponent(".edits/outline-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outline = format == .function ? await editor.outline(of: base, scratch: scratch) : []
        let focus: String
        switch format {
        case .function: focus = function.map { "the function `\($0)`" } ?? "the one function you change"
        case .diff: focus = function.map { "the function `\($0)`" } ?? "the lines that need to change"
        default: focus = function.map { "the function `\($0)`" } ?? "what the instruction asks for"
        }
        let prompt: PromptLibrary.Prompt = switch format {
        case .function: .editFunction
        case .diff: .editDiff
        default: .editWhole
        }
        let state = failing ? "it fails with the error below" : "it runs" + (score.map { String(format: ", score %.5g", $0) } ?? "")
        // A prompt about one function shows the others as signatures and docstrings only: the
        // script is most of the prompt, and prompt processing is most of a local call.
        //
        // The function to change comes after the outline, whole: outlines of one script about two
        // functions are the same text down to the earlier one (the outline ends at its function),
        // and a debug round's failed script (one function changed) has the outline of the script
        // it came from, so the server finds the task context and the outline cached and processes
        // only what follows.
        var shown = base
        var focusSource = ""
        var focusText: String?
        var prefill: (function: String, head: String)?
        var functions = outline.isEmpty ? "" : prompts.fragment(.scriptFunctions, [
            "functions": outline.map { "`\($0.name)`" + ($0.doc.isEmpty ? "" : " (\($0.doc))") }.joined(separator: ", "),
        ]) + "\n\n"
        if format == .function, let function, let entry = outline.first(where: { $0.name == function }),
           let source = Self.source(of: entry, in: base) {
            focusText = source
            prefill = head(of: entry, source: source, role: role).map { (function, $0) }
            shown = await editor.skeleton(of: base, keeping: function, elidingFocus: true, scratch: scratch)
            focusSource = shown == base ? "" : prompts.fragment(.focusFunction, ["name": function, "source": source]) + "\n\n"
            functions = ""  // the skeleton shows every function's signature and docstring
        }
        let text = prompts.render(prompt, [
            "task_context": taskContext(), "code": shown, "state": state, "functions": functions,
            "instruction": instruction, "focus": focus, "focus_source": focusSource,
        ])
        // The budget covers the whole function; a prefilled head is not generated.
        let headTokens = prefill.map { Int(Double($0.head.count) / Self.charactersPerToken) } ?? 0
        return try await askRevision(role, base: base, prompt: text, format: format, focus: focus, focusLines: focusLines, failing: failing,
                                     maxTokens: Self.functionEditTokens(forSource: focusText) - headTokens, prefill: prefill)
    }

    /// The `def` line and docstring of a function edit's function, which the local model's reply
    /// starts from (an assistant message the server continues) instead of writing them again:
    /// about 70 tokens of `fit_predict`, a fifth of a typical reply, generated at 8–30 tokens a
    /// second. The signature and docstring then stay as they were, and so does the outline of
    /// the next prompt about the script. `nil` for API models (not every provider continues a
    /// reply) and functions without such a head.
    ///
    /// - Parameters:
    ///   - function: The outline entry of the function.
    ///   - source: Its lines (``source(of:in:)``).
    func head(of function: EditApplier.Function, source: String, role: AgentRole) -> String? {
        guard client(role).model.provider == .local, let head = function.head, head >= function.first, head < function.last else { return nil }
        return source.components(separatedBy: "\n").prefix(head - function.first + 1).joined(separator: "\n")
    }

    /// A reply to a request that ended with `opening` (the answer begun: a fence and the head of
    /// `function`) as the whole answer. llama-server returns the opening and its continuation
    /// together; a reply without the function's `def` line is taken as the continuation alone.
    static func continued(_ opening: String?, function: String?, with text: String) -> String {
        guard let opening, let function, !text.contains("def \(function)(") else { return text }
        return opening + text
    }

    /// Sends `prompt`, applies the reply to `base` in `format`, and re-asks (a fresh conversation)
    /// while the edit does not apply or changes nothing; see ``askEdit(_:base:score:instruction:function:format:focusLines:)``.
    func askRevision(_ role: AgentRole, base: String, prompt: String, format: EditFormat, focus: String, focusLines: String,
                     failing: Bool = false, maxTokens functionTokens: Int = functionEditTokens,
                     prefill: (function: String, head: String)? = nil) async throws -> String {
        let focusContext = focusLines.isEmpty ? "" : prompts.fragment(.focusLines, ["lines": focusLines]) + "\n"
        let scratch = harness.runFolder.appendingPathComponent(".edits/\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: scratch) }
        // With a prefill, the answer is already begun: the code fence and the function's head.
        let opening = prefill.map { "```python\n" + $0.head + "\n" }
        func conversation(_ text: String) -> [ChatMessage] {
            [.system(requests.system), .user(text)] + (opening.map { [ChatMessage.assistant($0)] } ?? [])
        }
        var messages = conversation(prompt)
        let formatRule: String = switch format {
        case .function: prompts.fragment(.formatFunction, ["focus": focus])
        case .diff: prompts.fragment(.formatDiff)
        default: prompts.fragment(.formatWhole)
        }
        var lastProblem = "no reply"
        await promptCacheWarmed()
        for attempt in 1...Self.editAttempts {
            // A function is short; a longer reply is a model that lost its way (small models loop).
            let maxTokens = format == .function ? min(settings.maxCodeTokens, functionTokens) : settings.maxCodeTokens
            var request = request(messages, maxTokens: maxTokens, temperature: attempt == 1 ? Self.editTemperature : 0.7)
            if attempt > 1 { request.seed = (request.seed ?? 0) + attempt }
            let reply = Self.continued(opening, function: prefill?.function, with: try await client(role).complete(request).text)
            let applied = await editor.apply(reply, to: base, format: format, scratch: scratch)
            let problem: String
            if let error = applied.error {
                try? journal.record(EventRecord(.editRejected, "\(CurrentStep.key): \(error)"))
                problem = prompts.fragment(.editNotApplied, ["error": error])
            } else if let source = applied.source, !applied.identical {
                return source
            } else {
                try? journal.record(EventRecord(.identicalReply, "\(CurrentStep.key): the reply changed nothing in the script; asked again"))
                report("\(CurrentStep.key): the reply repeated the script unchanged; asking again", kind: .warning)
                lastProblem = "the reply repeated the script unchanged"
                // A fresh conversation, not a continued one: a small model shown its own copy tends
                // to copy it again (three identical replies in a row in the bench). The first
                // prompt with a note costs little: the server finds the prompt cached.
                messages = conversation(prompt + "\n\n" + prompts.render(.editEcho, [
                    "outcome": failing ? "fail the same way" : "score the same",
                    "focus_context": focusContext,
                ]))
                continue
            }
            lastProblem = problem
            // Also a fresh conversation: continued after its own unusable reply, the 1.5B model
            // sent the same reply byte for byte even at temperature 0.7 (both cases of a wa-churn
            // run; n-gram speculation drafts from the reply in the context).
            messages = conversation(prompt + "\n\n" + prompts.render(.editRetry, [
                "problem": problem, "format_rule": formatRule, "focus_context": focusContext,
            ]))
        }
        throw AgentError("no usable edit after \(Self.editAttempts) replies: \(lastProblem)")
    }

    /// A fix for a failed script, in the run's edit format: the function holding the failing line
    /// when the format is `function` or `diff` and the line is inside one, else the whole script.
    ///
    /// - Parameters:
    ///   - failed: The failed node.
    ///   - hints: Facts from the grounded repair (real signatures, where a name lives).
    /// - Returns: The fixed script.
    package func debugScript(_ failed: Node, hints repairHints: [String]) async throws -> String {
        let error = failed.error ?? "unknown error"
        let known = hints.matching(error).map(\.text) + repairHints + (await LibraryLookup.facts(forTraceback: error))
        let hintText = known.isEmpty ? "" : "\n" + prompts.fragment(.errorFacts, ["facts": known.map { "- " + String($0.prefix(700)) }.joined(separator: "\n")]) + "\n"
        let scratch = harness.runFolder.appendingPathComponent(".edits/outline-\(failed.id)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var function: String?
        var focusLines = ""
        if editFormat != .whole, let line = EditApplier.failingLine(in: error) {
            let lines = failed.code.components(separatedBy: "\n")
            if line >= 1 && line <= lines.count {
                focusLines = lines[max(0, line - 3)..<min(lines.count, line + 2)].joined(separator: "\n")
            }
            function = await editor.outline(of: failed.code, scratch: scratch).first { $0.first <= line && line <= $0.last }?.name
        }
        // A failure in the main code after an edit of one function is most often that function's
        // doing (a new return shape, a missing value): the debug round rewrites it rather than
        // the whole script, which small models answer slowly and badly.
        var changedHint = ""
        if editFormat == .function, function == nil, let parentID = failed.parentID,
           let parent = try? journal.nodes().first(where: { $0.node.id == parentID })?.node,
           let changed = await changedFunction(from: parent.code, to: failed.code, scratch: scratch) {
            function = changed
            changedHint = "\n" + prompts.fragment(.mainCodeFailure, ["function": changed])
        }
        // A failure outside every function (or an unknown line) needs the whole script.
        let format: EditFormat = editFormat == .function && function == nil ? .whole : editFormat
        if editFormat == .whole {
            // The paper's debug prompt, for strong models, with what is known about the error.
            let prompt = prompts.render(.debug, ["task_context": taskContext(), "code": failed.code, "error": error + hintText])
            return try await askRevision(.coder, base: failed.code, prompt: prompt, format: .whole, focus: "the script", focusLines: focusLines,
                                         failing: true)
        }
        return try await askEdit(.coder, base: failed.code, instruction: prompts.render(.instructDebug, ["error": EditApplier.compactTraceback(error), "hints": hintText + changedHint]),
                                 function: function, format: format, focusLines: focusLines, failing: true)
    }

    /// The function of `code` that differs from its namesake in `parent` (the first such, in
    /// file order), ignoring functions `code` added; `nil` when none changed.
    func changedFunction(from parent: String, to code: String, scratch: URL) async -> String? {
        let before = await editor.outline(of: parent, scratch: scratch.appendingPathComponent("parent"))
        let after = await editor.outline(of: code, scratch: scratch.appendingPathComponent("child"))
        for function in after {
            guard let old = before.first(where: { $0.name == function.name }) else { continue }
            if Self.source(of: old, in: parent) != Self.source(of: function, in: code) { return function.name }
        }
        return nil
    }

    /// Tries a grounded repair of a failed node with no LLM call and runs it as `step/repair/n`.
    ///
    /// - Returns: `nil` without a repairer; otherwise the repaired node (`applied`) or the failed
    ///   node unchanged with the hints the repair found (`applied == false`).
    func repairWithoutLLM(step: StepKey, attempt: Int, failed: Node, stage: NodeStage, grade: Bool) async throws -> (node: Node, applied: Bool, hints: [String])? {
        guard let repairer, let error = failed.error, !failed.code.isEmpty else { return nil }
        let key = step.repair(attempt)
        if let done = try journal.node(for: key), done.node.status != .pending { return (done.node, true, []) }
        let repair = await repairer.repair(failed.code, error: error, scratch: harness.runFolder.appendingPathComponent(".repair/\(failed.id)"))
        guard let fixed = repair.fixedSource, !EditApplier.sameUpToWhitespace(fixed, failed.code) else { return (failed, false, repair.hints) }
        let kind = repair.kinds.first ?? "import"
        let node = try await execute(step: key, stage: stage, parent: failed.id,
                                     plan: "repair without the LLM (\(kind)): " + repair.fixes.joined(separator: "; "),
                                     code: fixed, grade: grade, origin: .repair).0
        recordRepair(kind: kind, node: node.id, fixes: repair.fixes)
        return (node, true, repair.hints)
    }

    /// Records a repair made without the LLM as an event `[kind] node N: fixes`.
    func recordRepair(kind: String, node: Int, fixes: [String]) {
        try? journal.record(EventRecord(.repair, "[\(kind)] node \(node): " + fixes.joined(separator: "; ")))
    }

    /// The `turn`-th concrete change for an edit of `code` (see `edit_ideas.md`), and the function
    /// it applies to; ideas for functions the script lacks are skipped, and a script with none of
    /// them gets the idea with no function (the model chooses).
    package func editIdea(for code: String, turn: Int) async -> (function: String?, idea: String) {
        let scratch = harness.runFolder.appendingPathComponent(".edits/idea-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let names = Set(await editor.outline(of: code, scratch: scratch).map(\.name))
        let numeric = profile.numericFeatures
        let ideas = prompts.editIdeas(["rows": String(profile.trainRows),
                                       "numeric_columns": numeric.isEmpty ? "none listed" : DataProfile.names(numeric)])
        // Best expected gain first, by the lessons of earlier runs on similar tasks (when kept).
        let ranked = lessons.map { store in store.rank(ideas, change: { Self.changeKind(function: $0.function, idea: $0.idea) }, for: fingerprint) } ?? ideas
        let usable = ranked.filter { names.contains($0.function) }
        guard !usable.isEmpty else {
            let idea = ranked[turn % ranked.count].idea
            return (nil, idea)
        }
        let chosen = usable[turn % usable.count]
        return (chosen.function, chosen.idea)
    }

    /// The source lines of a top-level function of `code`, or `nil`.
    package func functionSource(_ name: String, in code: String) async -> String? {
        let scratch = harness.runFolder.appendingPathComponent(".edits/source-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: scratch) }
        guard let function = await editor.outline(of: code, scratch: scratch).first(where: { $0.name == name }) else { return nil }
        return Self.source(of: function, in: code)
    }

    /// The lines of `code` that an outline entry spans, or `nil` when they lie outside it.
    static func source(of function: EditApplier.Function, in code: String) -> String? {
        let lines = code.components(separatedBy: "\n")
        guard function.first >= 1, function.last <= lines.count, function.first <= function.last else { return nil }
        return lines[(function.first - 1)..<function.last].joined(separator: "\n")
    }
}
