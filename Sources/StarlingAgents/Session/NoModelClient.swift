import StarlingLLM

/// The client of a strategy that makes no LLM call (`examples`): no server is started, and a
/// request, were one made, fails with a clear error instead of reaching a model.
package struct NoModelClient: LLMClient {
    package let model = ModelRef(provider: .openaiCompatible, name: "none")

    /// Creates the client.
    package init() {}

    package func complete(_ request: ChatRequest) async throws -> ChatResponse {
        throw LLMError(.connection, "this run's strategy makes no LLM call (examples); no model is configured for it")
    }
}
