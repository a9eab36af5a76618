import Foundation
import StarlingCore
import StarlingLLM
import StarlingRepo
import StarlingStore
import StarlingRunFolder

/// Reads a repository with the exploration tools before code is written: each turn the model
/// picks one tool and a target through a JSON reply (no vendor tool-calling API, so it works with
/// llama-server's schema-constrained decoding), the tool answers with bounded text, and the
/// answer goes into the next turn's prompt. Every call and answer is written to the journal as a
/// `tool` event. It stops when the model says `done`, at the turn limit, or when a reply cannot
/// be read.
package struct RepoExplorer: Sendable {
    /// One tool call and its answer.
    package struct Turn: Sendable, Hashable, Codable {
        package var turn: Int
        package var tool: String
        package var target: String
        package var thought: String
        package var ok: Bool
        package var output: String
    }

    /// What exploring found.
    package struct Findings: Sendable, Hashable {
        /// Every tool call, in order.
        package var turns: [Turn]
        /// The model's plan when it said `done` (or its last thought).
        package var notes: String
        /// Why it stopped: `done`, `turn limit`, or an error.
        package var stopReason: String

        /// The findings as prompt text: the plan, then the answers of the last calls (bounded).
        package func text(characters: Int) -> String {
            var parts: [String] = []
            if !notes.isEmpty { parts.append("Plan from exploring: " + notes) }
            var used = parts.joined().count
            for turn in turns.reversed() where turn.ok {
                let piece = "## \(turn.tool)(\(turn.target))\n" + turn.output
                guard used + piece.count <= characters else {
                    let room = characters - used - 60
                    if room > 400 { parts.insert("## \(turn.tool)(\(turn.target))\n" + Bounded.text(turn.output, limit: room), at: min(1, parts.count)) }
                    break
                }
                parts.insert(piece, at: min(1, parts.count))
                used += piece.count
            }
            return parts.isEmpty ? "(nothing: use the brief above)" : parts.joined(separator: "\n\n")
        }
    }

    struct Choice: Decodable, Sendable {
        var thought: String
        var tool: String
        var target: String
        var notes: String
    }

    /// The tools.
    package let toolbox: RepoToolbox
    /// The model that picks tools.
    package let client: any LLMClient
    /// The prompts.
    package let prompts: PromptLibrary
    /// Where tool calls are recorded.
    package let journal: Journal?
    /// Tool calls at most.
    package let maxTurns: Int
    /// Characters of each tool answer shown to the model.
    package let answerLimit: Int
    /// Tokens a reply may have.
    package let maxTokens: Int
    /// When reading must stop, so the rest of the run's time is left for writing code.
    package var deadline: Date?

    /// Creates an explorer.
    package init(toolbox: RepoToolbox, client: any LLMClient, prompts: PromptLibrary, journal: Journal?, maxTurns: Int,
                answerLimit: Int = 2400, maxTokens: Int = 400) {
        self.toolbox = toolbox
        self.client = client
        self.prompts = prompts
        self.journal = journal
        self.maxTurns = maxTurns
        self.answerLimit = answerLimit
        self.maxTokens = maxTokens
    }

    /// The reply's schema: a thought, one tool (or `done`), its target, and notes.
    static var schema: JSONValue {
        JSONSchema.object([
            "thought": JSONSchema.string(maxLength: 300, description: "what you want to learn next, in one sentence"),
            "tool": JSONSchema.oneOf(RepoTool.allCases.map(\.rawValue) + ["done"]),
            "target": JSONSchema.string(maxLength: 200, description: "the tool's argument: a name, a path (path:START-END for view_file) or a search pattern; empty for done"),
            "notes": JSONSchema.string(maxLength: 800, description: "with done: the import, calls and arguments you will use; otherwise empty"),
        ])
    }

    /// Explores until done or out of turns.
    ///
    /// - Parameters:
    ///   - task: The task text.
    ///   - brief: The repository brief.
    /// - Returns: The tool calls and the plan.
    /// - Throws: Cancellation only; a failed or unreadable reply ends the exploration.
    package func explore(task: String, brief: String, inputs: String = "") async throws -> Findings {
        var turns: [Turn] = []
        var notes = ""
        var stop = "turn limit"
        for number in 1...max(1, maxTurns) {
            try Task.checkCancellation()
            if let deadline, Date() >= deadline {
                stop = "its share of the time budget was used"
                break
            }
            let prompt = prompts.render(.repoExplore, [
                "task": task, "brief": brief, "tools": RepoTool.catalogue, "history": history(turns), "inputs": inputs,
                "turn": String(number), "turns": String(maxTurns),
            ])
            let request = ChatRequest(messages: [.system(prompts.render(.repoSystem)), .user(prompt)], temperature: 0, maxTokens: maxTokens)
            let choice: Choice
            do {
                choice = try await client.structured(Choice.self, request: request, schemaName: "tool_call", schema: Self.schema).value
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                stop = "the reply could not be read: \(error)"
                record(EventRecord(.warning, "exploration stopped at turn \(number): \(error)"))
                break
            }
            if choice.tool == "done" {
                notes = choice.notes.isEmpty ? choice.thought : choice.notes
                stop = "done"
                break
            }
            var target = choice.target.trimmingCharacters(in: .whitespacesAndNewlines)
            target = Self.cleanTarget(target, tool: choice.tool)
            var turn = Turn(turn: number, tool: choice.tool, target: target, thought: choice.thought, ok: false, output: "")
            if turns.contains(where: { $0.tool == choice.tool && $0.target == target }) {
                // A model that repeats itself has stopped learning: end here rather than pay for more turns.
                turn.output = "repeated call \(choice.tool)(\(target)): exploration ends"
                turns.append(turn)
                record(EventRecord(.tool, Self.eventText(turn)))
                notes = choice.notes.isEmpty ? choice.thought : choice.notes
                stop = "repeated a call"
                break
            } else {
                let result = toolbox.call(choice.tool, Self.arguments(tool: choice.tool, target: target))
                turn.ok = result.ok
                turn.output = result.output
            }
            turns.append(turn)
            record(EventRecord(.tool, Self.eventText(turn)))
            notes = choice.thought
        }
        return Findings(turns: turns, notes: notes, stopReason: stop)
    }

    /// A target without what small models copy into it from the prompt: the tool's name or an
    /// argument's name in front (`view_file:x`, `path:x`, `name: x`), quotes and backticks.
    static func cleanTarget(_ target: String, tool: String) -> String {
        var text = target.trimmingCharacters(in: .whitespacesAndNewlines)
        let labels = [tool, "path", "name", "pattern", "target", "file", "query"]
        var changed = true
        while changed {
            changed = false
            for label in labels where text.lowercased().hasPrefix(label + ":") || text.lowercased().hasPrefix(label + "=") {
                text = String(text.dropFirst(label.count + 1)).trimmingCharacters(in: .whitespaces)
                changed = true
            }
        }
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: "`'\"").union(.whitespaces))
        // `view_file(path)`: the call written out, as in the tool list.
        for name in RepoTool.allCases.map(\.rawValue) where text.hasPrefix(name + "(") && text.hasSuffix(")") {
            text = String(text.dropFirst(name.count + 1).dropLast()).trimmingCharacters(in: CharacterSet(charactersIn: "`'\"").union(.whitespaces))
        }
        return text
    }

    /// Maps the one `target` onto the tool's argument names (`path:10-40` → path + lines).
    static func arguments(tool: String, target: String) -> [String: JSONValue] {
        switch RepoTool(rawValue: tool) {
        case .listStructure?: return target.isEmpty ? [:] : ["path": .string(target)]
        case .searchCode?: return ["pattern": .string(target)]
        case .viewFile?:
            let pieces = target.split(separator: ":", maxSplits: 1).map(String.init)
            var values: [String: JSONValue] = ["path": .string(pieces.first ?? target)]
            if pieces.count == 2 {
                let bounds = pieces[1].split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                if let start = bounds.first { values["start_line"] = .number(Double(start)) }
                if bounds.count > 1 { values["end_line"] = .number(Double(bounds[1])) }
            }
            return values
        default: return ["name": .string(target)]
        }
    }

    func history(_ turns: [Turn]) -> String {
        guard !turns.isEmpty else { return "(nothing yet)" }
        // The last three answers in full (bounded); earlier ones as one line each, to keep the prompt short.
        return turns.enumerated().map { index, turn in
            let head = "### Turn \(turn.turn): \(turn.tool)(\(turn.target))"
            if index >= turns.count - 3 { return head + "\n" + Bounded.text(turn.output, limit: answerLimit) }
            return head + " — " + (turn.output.split(separator: "\n").first.map(String.init) ?? "")
        }.joined(separator: "\n")
    }

    static func eventText(_ turn: Turn) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var shown = turn
        shown.output = Bounded.text(turn.output, limit: 4000)
        return (try? String(decoding: encoder.encode(shown), as: UTF8.self)) ?? "\(turn.tool)(\(turn.target))"
    }

    func record(_ event: EventRecord) {
        try? journal?.record(event)
    }
}
