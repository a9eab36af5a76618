import Foundation
import StarlingCore

/// One model from the knowledge base: when to use it, its pitfalls, and a complete example
/// script that runs on any task of its types as it is.
package struct ModelCard: Sendable, Hashable {
    /// Stable identifier, the file name without `.md`.
    package var id: String
    /// Display name.
    package var name: String
    /// Task types it suits.
    package var taskTypes: [TaskType]
    /// Words used for ranking.
    package var keywords: [String]
    /// The card's Markdown body (when to use, pitfalls, example), shown to the LLM.
    package var body: String
    /// The example script, extracted from the body.
    package var example: String

    /// What the LLM is shown: the card without its long generic example (which stays the
    /// fallback script), plus a short `## Sketch` section when the card has one. Small local
    /// models read long prompts slowly and copy long scripts badly.
    package var promptText: String {
        var sections: [String] = []
        for section in body.components(separatedBy: "\n## ") {
            let title = section.hasPrefix("## ") ? String(section.dropFirst(3)) : section
            if title.hasPrefix("Example") { continue }
            sections.append(section.hasPrefix("## ") ? section : "## " + section)
        }
        return sections.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Parses a card file: `---` front matter with `key: value` and `key: [a, b]` lines, then Markdown.
    ///
    /// - Parameters:
    ///   - text: The file's text.
    ///   - file: Its name, for errors.
    /// - Throws: ``AgentError`` naming the file and what is missing.
    package init(parsing text: String, file: String) throws {
        let parts = text.components(separatedBy: "\n---")
        guard text.hasPrefix("---"), parts.count >= 2 else {
            throw AgentError("\(file): a model card starts with a '---' front matter block")
        }
        var fields: [String: String] = [:]
        for line in parts[0].dropFirst(3).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].trimmingCharacters(in: .whitespaces)] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        func list(_ key: String) -> [String] {
            (fields[key] ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        guard let id = fields["id"], !id.isEmpty else { throw AgentError("\(file): front matter has no 'id'") }
        self.id = id
        self.name = fields["name"] ?? id
        self.taskTypes = try list("task_types").map { raw in
            guard let type = TaskType(rawValue: raw) else {
                throw AgentError("\(file): unknown task type '\(raw)'; use one of \(TaskType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return type
        }
        self.keywords = list("keywords")
        self.body = parts.dropFirst().joined(separator: "\n---").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let start = body.range(of: "```python\n"),
              let end = body.range(of: "\n```", range: start.upperBound..<body.endIndex) else {
            throw AgentError("\(file): the card has no ```python example block")
        }
        self.example = String(body[start.upperBound..<end.lowerBound]) + "\n"
    }
}
