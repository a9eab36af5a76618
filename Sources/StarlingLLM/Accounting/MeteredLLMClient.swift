/// Wraps a client so each call is recorded in a ``UsageLedger``.
package struct MeteredLLMClient: LLMClientLayer {
    /// The client that answers.
    package var base: any LLMClient
    /// Where calls are recorded.
    package var ledger: UsageLedger
    /// What the calls are for (`coder`, `planner`, `reviewer`), recorded with each call.
    package var role: String?

    /// Creates a metered client.
    ///
    /// - Parameters:
    ///   - base: The client that answers.
    ///   - ledger: Where calls are recorded.
    ///   - role: What the calls are for.
    package init(base: any LLMClient, ledger: UsageLedger, role: String? = nil) {
        self.base = base
        self.ledger = ledger
        self.role = role
    }

    package func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let response = try await base.complete(request)
        await ledger.record(response, model: model, role: role)
        return response
    }
}
