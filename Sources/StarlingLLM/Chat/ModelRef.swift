import Foundation

/// A model named as `provider:model`: `local:qwen2.5-coder-1.5b`, `openai:gpt-4.1`,
/// `anthropic:claude-sonnet-4-5`, `gemini:gemini-2.5-flash`, or
/// `openai-compatible:NAME@http://host:port/v1` for any server that speaks OpenAI's Chat Completions.
package struct ModelRef: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Who serves the model.
    package enum Provider: String, Sendable, Hashable, Codable, CaseIterable {
        /// Starling's own llama-server on 127.0.0.1 with a model from the home folder.
        case local
        /// OpenAI's API.
        case openai
        /// Anthropic's Messages API.
        case anthropic
        /// Google's Gemini API.
        case gemini
        /// Any OpenAI-compatible server at an explicit URL (vLLM, Ollama, LM Studio, llama-server...).
        case openaiCompatible = "openai-compatible"
    }

    /// Who serves the model.
    package var provider: Provider
    /// The model's name as the provider knows it.
    package var name: String
    /// The server's base URL, for ``Provider/openaiCompatible``.
    package var baseURL: URL?

    /// Creates a reference.
    ///
    /// - Parameters:
    ///   - provider: Who serves the model.
    ///   - name: The model's name as the provider knows it.
    ///   - baseURL: The server's base URL (needed for ``Provider/openaiCompatible``).
    package init(provider: Provider, name: String, baseURL: URL? = nil) {
        self.provider = provider
        self.name = name
        self.baseURL = baseURL
    }

    /// Parses `provider:model` (or `openai-compatible:NAME@URL`).
    ///
    /// - Parameter text: The name to parse.
    /// - Throws: ``LLMError`` with code ``LLMError/Code/invalidModelName`` saying which part is wrong.
    package init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let colon = trimmed.firstIndex(of: ":") else {
            throw LLMError(.invalidModelName, "'\(text)' has no provider: write it as provider:model, e.g. "
                + "local:qwen2.5-coder-1.5b or openai:gpt-4.1 (providers: \(Self.providerList))")
        }
        let providerName = String(trimmed[..<colon]).lowercased()
        let rest = String(trimmed[trimmed.index(after: colon)...])
        guard let provider = Provider(rawValue: providerName) else {
            throw LLMError(.invalidModelName, "unknown provider '\(providerName)' in '\(text)'; use one of \(Self.providerList)")
        }
        guard !rest.isEmpty else {
            throw LLMError(.invalidModelName, "'\(text)' names no model after '\(providerName):'")
        }
        if provider == .openaiCompatible {
            guard let at = rest.range(of: "@http", options: .backwards),
                  let url = URL(string: String(rest[rest.index(after: at.lowerBound)...])), url.host != nil else {
                throw LLMError(.invalidModelName, "'\(text)' needs a server URL: write openai-compatible:NAME@http://host:port/v1")
            }
            let name = String(rest[..<at.lowerBound])
            guard !name.isEmpty else {
                throw LLMError(.invalidModelName, "'\(text)' names no model before '@'")
            }
            self.init(provider: provider, name: name, baseURL: url)
        } else {
            self.init(provider: provider, name: rest)
        }
    }

    /// The name in `provider:model` form, which ``init(parsing:)`` reads back.
    package var description: String {
        if let baseURL, provider == .openaiCompatible { return "\(provider.rawValue):\(name)@\(baseURL.absoluteString)" }
        return "\(provider.rawValue):\(name)"
    }

    /// Whether calls cost nothing and need no key.
    package var isLocal: Bool { provider == .local }

    private static var providerList: String { Provider.allCases.map(\.rawValue).joined(separator: ", ") }
}
