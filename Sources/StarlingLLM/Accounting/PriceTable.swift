import Foundation

/// Prices per million tokens, read from the bundled `prices.json` and, over it, an optional
/// user file (by default `<home>/llm/prices.json`) with the same shape.
package struct PriceTable: Sendable, Hashable {
    /// US dollars per million tokens.
    package struct Price: Sendable, Hashable, Codable {
        /// Per million prompt tokens.
        package var input: Double
        /// Per million completion tokens.
        package var output: Double
    }

    /// Prices by `provider:model`; a key ending in `*` matches by prefix.
    package var prices: [String: Price]

    private struct File: Codable {
        var prices: [String: Price]
    }

    /// The bundled table with the user's file laid over it.
    ///
    /// - Parameter override: A user file with entries to add or replace; ignored when absent.
    /// - Returns: The table.
    /// - Throws: An error naming the file when the override exists but is not valid JSON of the
    ///   shape `{"prices": {"openai:gpt-4.1": {"input": 2, "output": 8}}}`.
    package static func load(override: URL? = nil) throws -> PriceTable {
        var table = PriceTable(prices: [:])
        if let bundled = Bundle.module.url(forResource: "prices", withExtension: "json", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "prices", withExtension: "json"),
           let data = try? Data(contentsOf: bundled),
           let file = try? JSONDecoder().decode(File.self, from: data) {
            table.prices = file.prices
        }
        if let override, FileManager.default.fileExists(atPath: override.path) {
            do {
                let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: override))
                table.prices.merge(file.prices) { _, user in user }
            } catch {
                throw LLMError(.badResponse, "price file \(override.path) is not valid: \(JSONExtractor.describe(error)); "
                    + #"expected {"prices": {"provider:model": {"input": 2.0, "output": 8.0}}} in dollars per million tokens"#)
            }
        }
        return table
    }

    /// The price of a model: an exact entry, else the longest matching `prefix*` entry.
    ///
    /// - Parameter model: The model.
    /// - Returns: The price, or `nil` when the table does not know it.
    package func price(for model: ModelRef) -> Price? {
        let name = "\(model.provider.rawValue):\(model.name)"
        if let exact = prices[name] { return exact }
        let match = prices.filter { $0.key.hasSuffix("*") && name.hasPrefix(String($0.key.dropLast())) }
            .max { $0.key.count < $1.key.count }
        if let match { return match.value }
        // Dated snapshots (claude-sonnet-4-5-20250929, gpt-4.1-2025-04-14) cost what their alias costs.
        let alias = prices.filter { name.hasPrefix($0.key + "-") }.max { $0.key.count < $1.key.count }
        return alias?.value
    }

    /// The cost of a call in dollars, or `nil` when the model has no price.
    ///
    /// - Parameters:
    ///   - usage: The tokens used.
    ///   - model: The model.
    /// - Returns: Dollars, or `nil`.
    package func cost(of usage: TokenUsage, model: ModelRef) -> Double? {
        guard let price = price(for: model) else { return nil }
        return (Double(usage.promptTokens) * price.input + Double(usage.completionTokens) * price.output) / 1_000_000
    }
}
