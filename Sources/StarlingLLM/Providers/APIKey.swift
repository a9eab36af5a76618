import Foundation

/// A secret API key. Its description is redacted so it never reaches a log or a run folder.
package struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself, for building request headers only.
    package let secret: String

    /// Wraps a key.
    ///
    /// - Parameter secret: The key.
    package init(_ secret: String) { self.secret = secret }

    package var description: String { "APIKey(redacted)" }
    package var debugDescription: String { description }
}

/// Where API keys come from: the usual environment variables (`OPENAI_API_KEY`,
/// `ANTHROPIC_API_KEY`, `GEMINI_API_KEY` or `GOOGLE_API_KEY`), else a JSON file mapping those
/// names to keys (by default `<home>/llm/credentials.json`).
package struct LLMCredentials: Sendable {
    private let values: [String: String]

    /// Reads keys from an environment and an optional file; the environment wins.
    ///
    /// - Parameters:
    ///   - environment: Variables to read.
    ///   - file: A JSON object of variable names to keys; ignored when absent or unreadable.
    package init(environment: [String: String] = ProcessInfo.processInfo.environment, file: URL? = nil) {
        var values: [String: String] = [:]
        if let file, let data = try? Data(contentsOf: file),
           let object = try? JSONDecoder().decode([String: String].self, from: data) {
            values = object
        }
        for (name, value) in environment where !value.isEmpty { values[name] = value }
        self.values = values
    }

    /// The environment variables each provider's key is read from, in order of preference.
    package static func variables(for provider: ModelRef.Provider) -> [String] {
        switch provider {
        case .openai: return ["OPENAI_API_KEY"]
        case .anthropic: return ["ANTHROPIC_API_KEY"]
        case .gemini: return ["GEMINI_API_KEY", "GOOGLE_API_KEY"]
        case .openaiCompatible: return ["OPENAI_COMPATIBLE_API_KEY"]
        case .local: return []
        }
    }

    /// The key for a provider, if any.
    ///
    /// - Parameter provider: The provider.
    /// - Returns: The key, or `nil`.
    package func key(for provider: ModelRef.Provider) -> APIKey? {
        for name in Self.variables(for: provider) {
            if let value = values[name], !value.isEmpty { return APIKey(value) }
        }
        return nil
    }

    /// The key for a provider that requires one.
    ///
    /// - Parameter provider: The provider.
    /// - Returns: The key.
    /// - Throws: ``LLMError`` with ``LLMError/Code/missingKey`` naming the variable to set.
    package func requiredKey(for provider: ModelRef.Provider) throws -> APIKey {
        if let key = key(for: provider) { return key }
        let names = Self.variables(for: provider).joined(separator: " or ")
        throw LLMError(.missingKey, "no API key for \(provider.rawValue): set \(names) in the environment, "
            + "or use a local model (local:qwen2.5-coder-1.5b) that needs none")
    }
}
