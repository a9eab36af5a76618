import Foundation
import StarlingCore

/// The offline model cards, ranked against a task by task type and text similarity. It is the
/// default retrieval provider; a web-search provider can sit behind ``ModelRetriever`` too.
package struct KnowledgeBase: Sendable, ModelRetriever {
    /// All cards.
    package let cards: [ModelCard]

    /// Creates a knowledge base from cards.
    package init(cards: [ModelCard]) { self.cards = cards }

    /// Loads the bundled cards (and any in `STARLING_KNOWLEDGE`, which win on the same id).
    ///
    /// - Throws: ``AgentError`` for a malformed card.
    package static func bundled() throws -> KnowledgeBase {
        var byID: [String: ModelCard] = [:]
        var folders: [URL] = []
        if let bundled = Bundle.module.url(forResource: "knowledge", withExtension: nil, subdirectory: "Resources")
            ?? Bundle.module.resourceURL?.appendingPathComponent("Resources/knowledge") {
            folders.append(bundled)
        }
        if let extra = ProcessInfo.processInfo.environment["STARLING_KNOWLEDGE"] { folders.append(URL(fileURLWithPath: extra)) }
        for folder in folders {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for file in files.sorted() where file.hasSuffix(".md") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                let card = try ModelCard(parsing: text, file: file)
                byID[card.id] = card
            }
        }
        return KnowledgeBase(cards: byID.values.sorted { $0.id < $1.id })
    }

    /// The `limit` best cards for a task: cards of the task's type first, then by cosine
    /// similarity between the task text and the card's name, keywords and body.
    ///
    /// - Parameters:
    ///   - spec: The task.
    ///   - text: The task description and schema.
    ///   - limit: How many cards.
    /// - Returns: Cards, best first.
    package func retrieve(for spec: TaskSpec, text: String, limit: Int) async -> [ModelCard] {
        let query = Self.termCounts(text + " " + spec.taskType.rawValue.replacingOccurrences(of: "_", with: " ") + " " + spec.metric.rawValue)
        let scored = cards.map { card -> (ModelCard, Double) in
            let typeMatch = card.taskTypes.contains(spec.taskType) ? 1.0 : 0.0
            let document = Self.termCounts(([card.name] + card.keywords + card.keywords).joined(separator: " ") + " " + card.body.prefix(800))
            return (card, typeMatch * 10 + Self.cosine(query, document))
        }
        return scored.filter { $0.1 >= 10 }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.id < $1.0.id }.prefix(limit).map(\.0)
    }

    static func termCounts(_ text: String) -> [String: Double] {
        var counts: [String: Double] = [:]
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) where word.count > 2 {
            counts[String(word), default: 0] += 1
        }
        return counts
    }

    static func cosine(_ a: [String: Double], _ b: [String: Double]) -> Double {
        let dot = a.reduce(0.0) { $0 + $1.value * (b[$1.key] ?? 0) }
        let norm = sqrt(a.values.reduce(0) { $0 + $1 * $1 }) * sqrt(b.values.reduce(0) { $0 + $1 * $1 })
        return norm > 0 ? dot / norm : 0
    }
}

/// Finds candidate models for a task: the offline knowledge base, or a web-search provider.
package protocol ModelRetriever: Sendable {
    /// The best `limit` model cards for a task.
    func retrieve(for spec: TaskSpec, text: String, limit: Int) async -> [ModelCard]
}
