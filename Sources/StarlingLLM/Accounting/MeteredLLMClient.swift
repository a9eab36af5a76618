/// Wraps a client so each call is recorded in a ``UsageLedger``.
public struct MeteredLLMClient: LLMClient {
    /// The client that answers.
    public var base: any LLMClient
    /// Where calls are recorded.
    public var ledger: UsageLedger
    /// What the calls are for (`coder`, `planner`, `reviewer`), recorded with each call.
    public var role: String?

    /// Creates a metered client.
    ///
    /// - Parameters:
    ///   - base: The client that answers.
    ///   - ledger: Where calls are recorded.
    ///   - role: What the calls are for.
    public init(base: any LLMClient, ledger: UsageLedger, role: String? = nil) {
        self.base = base
        self.ledger = ledger
        self.role = role
    }

    public var model: ModelRef { base.model }
    public var supportsJSONSchema: Bool { base.supportsJSONSchema }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let response = try await base.complete(request)
        await ledger.record(response, model: model, role: role)
        return response
    }
}
