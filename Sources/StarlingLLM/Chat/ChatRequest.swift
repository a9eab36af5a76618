import Foundation

/// One request to a chat model: the conversation and the sampling parameters.
///
/// Everything here except `timeout` is part of the response cache's key.
package struct ChatRequest: Sendable, Hashable, Codable {
    /// The conversation so far.
    package var messages: [ChatMessage]
    /// Sampling temperature; `nil` leaves the provider's default.
    package var temperature: Double?
    /// The most tokens the reply may have.
    package var maxTokens: Int
    /// Sequences that end the reply.
    package var stop: [String]
    /// A seed for providers that accept one, for repeatable sampling.
    package var seed: Int?
    /// The shape the reply must take.
    package var responseFormat: ResponseFormat
    /// Seconds one HTTP attempt may take before it is abandoned (and retried).
    package var timeout: TimeInterval
    /// The llama-server slot to use (`id_slot`), chosen by ``SlotStateCache``; `nil` lets the
    /// server choose. Not part of the cache key.
    package var slot: Int?
    /// `true` for a request that only fills the server's prompt cache (a warm-up): no response
    /// cache answers or keeps it, since an answer from a cache leaves the server's slots as they
    /// were. Not part of the cache key.
    package var bypassesResponseCache: Bool?
    /// `true` for a request whose processed prompt the local server keeps for later runs
    /// (``KeptSlotStates``): the task-context warm-up, the same for every run of a task. Not part
    /// of the cache key.
    package var keepsPromptState: Bool?

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - messages: The conversation.
    ///   - temperature: Sampling temperature; `nil` for the provider's default.
    ///   - maxTokens: The most tokens the reply may have.
    ///   - stop: Sequences that end the reply.
    ///   - seed: A seed for repeatable sampling, where supported.
    ///   - responseFormat: The shape the reply must take.
    ///   - timeout: Seconds one HTTP attempt may take.
    package init(
        messages: [ChatMessage],
        temperature: Double? = 0,
        maxTokens: Int = 1024,
        stop: [String] = [],
        seed: Int? = nil,
        responseFormat: ResponseFormat = .text,
        timeout: TimeInterval = 300
    ) {
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.stop = stop
        self.seed = seed
        self.responseFormat = responseFormat
        self.timeout = timeout
    }

    /// The system messages joined, for providers that take the system prompt apart from the turns.
    var systemPrompt: String? {
        let parts = messages.filter { $0.role == .system }.map(\.content)
        return parts.isEmpty ? nil : parts.joined(separator: "\n\n")
    }

    /// The user and assistant turns, in order.
    var turns: [ChatMessage] { messages.filter { $0.role != .system } }
}
