/// A chat model behind one provider. Agents talk to models only through this protocol, so a test
/// can substitute a scripted client.
///
/// Structured and code replies (``structured(_:request:schemaName:schema:maxRepairs:)``,
/// ``pythonCode(request:checker:maxRepairs:)``) are built on ``complete(_:)`` for every client.
package protocol LLMClient: Sendable {
    /// The model this client calls.
    var model: ModelRef { get }

    /// Whether the provider enforces ``ResponseFormat/jsonSchema(name:schema:)`` on the wire
    /// (constrained decoding). Clients that don't still receive the format; they get the schema
    /// in the prompt instead.
    var supportsJSONSchema: Bool { get }

    /// Sends one request and returns the reply.
    ///
    /// - Parameter request: The conversation and parameters.
    /// - Returns: The reply with its usage and latency.
    /// - Throws: ``LLMError`` once retries are exhausted or the failure is not retryable;
    ///   `CancellationError` when the task is cancelled.
    func complete(_ request: ChatRequest) async throws -> ChatResponse
}

extension LLMClient {
    /// By default a client does not enforce JSON schemas.
    package var supportsJSONSchema: Bool { false }

    /// Sends one user prompt.
    ///
    /// - Parameters:
    ///   - prompt: The user message.
    ///   - system: An optional system message.
    ///   - maxTokens: The most tokens the reply may have.
    /// - Returns: The reply.
    /// - Throws: As ``complete(_:)``.
    package func chat(_ prompt: String, system: String? = nil, maxTokens: Int = 1024) async throws -> ChatResponse {
        var messages: [ChatMessage] = []
        if let system { messages.append(.system(system)) }
        messages.append(.user(prompt))
        return try await complete(ChatRequest(messages: messages, maxTokens: maxTokens))
    }
}

/// A layer of a client stack (cache, ledger, slot cache, gate, journal): it sends its requests
/// through `base` and answers for the same model. The session's ``ClientStack`` says in which
/// order the layers go.
package protocol LLMClientLayer: LLMClient {
    /// The client one layer down.
    var base: any LLMClient { get }
}

extension LLMClientLayer {
    package var model: ModelRef { base.model }
    package var supportsJSONSchema: Bool { base.supportsJSONSchema }
}
