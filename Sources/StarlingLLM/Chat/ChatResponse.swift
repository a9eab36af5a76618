import Foundation

/// A model's reply to one ``ChatRequest``.
package struct ChatResponse: Sendable, Hashable, Codable {
    /// The reply text.
    package var text: String
    /// The model that answered, as the provider named it.
    package var model: String
    /// Why generation stopped (`stop`, `length`, `end_turn`, `MAX_TOKENS`, ...), as the provider said.
    package var finishReason: String?
    /// Tokens consumed.
    package var usage: TokenUsage
    /// Seconds from sending the request to the full reply, retries included; for a cache hit,
    /// the time to read the cache.
    package var latency: TimeInterval
    /// Whether the reply came from the response cache rather than the provider.
    package var fromCache: Bool
    /// Reply tokens per second of generation alone, as the server measured it (llama-server's
    /// `timings`); `nil` when the server does not say.
    package var generationSpeed: Double?
    /// Prompt tokens per second of prompt processing, as the server measured it.
    package var promptSpeed: Double?
    /// Prompt tokens the server processed (llama-server's `timings.prompt_n`): the prompt less
    /// what it found cached; `nil` when the server does not say.
    package var promptTokensProcessed: Int?

    /// Creates a reply.
    ///
    /// - Parameters:
    ///   - text: The reply text.
    ///   - model: The model that answered.
    ///   - finishReason: Why generation stopped.
    ///   - usage: Tokens consumed.
    ///   - latency: Seconds the call took.
    ///   - fromCache: Whether it came from the cache.
    package init(text: String, model: String, finishReason: String? = nil, usage: TokenUsage = TokenUsage(),
                latency: TimeInterval = 0, fromCache: Bool = false) {
        self.text = text
        self.model = model
        self.finishReason = finishReason
        self.usage = usage
        self.latency = latency
        self.fromCache = fromCache
    }

    /// Whether the reply was cut by the token limit rather than finished by the model.
    package var wasTruncated: Bool {
        guard let reason = finishReason?.lowercased() else { return false }
        return reason == "length" || reason == "max_tokens"
    }

    /// Completion tokens per second of latency (prompt processing included); `nil` for cache
    /// hits or when unknown. See ``generationSpeed`` for generation alone.
    package var tokensPerSecond: Double? {
        guard !fromCache, latency > 0, usage.completionTokens > 0 else { return nil }
        return Double(usage.completionTokens) / latency
    }
}
