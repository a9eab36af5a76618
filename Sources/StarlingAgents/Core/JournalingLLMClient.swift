import Foundation
import StarlingLLM
import StarlingStore
import StarlingRunFolder

/// The step an LLM call serves, for the journal. Set around each step with `withValue`.
package enum CurrentStep {
    /// The step key of the running task, e.g. `candidate/2`.
    @TaskLocal package static var key = StepKey.run
}

/// Wraps a role's client so every call lands in the run journal with its tokens, cost, latency
/// and cache hit, and counts against the run's budget.
package struct JournalingLLMClient: LLMClientLayer {
    /// The client that does the work.
    package let base: any LLMClient
    /// The role this client serves.
    package let role: AgentRole
    let journal: Journal
    let prices: PriceTable?
    /// Whether the run's model answers at all, shared by every role; once it says no, calls
    /// fail at once instead of reaching for the model again.
    let reachability: ModelReachability?
    /// The calls in flight, for the live dashboard.
    let live: LiveActivity?

    /// Creates a journaling wrapper.
    package init(base: any LLMClient, role: AgentRole, journal: Journal, prices: PriceTable?, reachability: ModelReachability? = nil,
                 live: LiveActivity? = nil) {
        self.base = base
        self.role = role
        self.journal = journal
        self.prices = prices
        self.reachability = reachability
        self.live = live
    }

    /// Appends the exchange to `exchanges.jsonl` in `folder` (`STARLING_LLM_LOG`, for reading
    /// what the model was asked and answered while tuning prompts).
    static func log(request: ChatRequest, response: ChatResponse, step: StepKey, to folder: URL) {
        struct Line: Encodable {
            var step: String, temperature: Double?, seed: Int?, messages: [ChatMessage], reply: String, latency: Double
        }
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("exchanges.jsonl")
        guard var data = try? JSONEncoder().encode(Line(step: step.description, temperature: request.temperature, seed: request.seed,
                                                         messages: request.messages, reply: response.text, latency: response.latency)) else { return }
        data.append(0x0A)
        if let handle = try? FileHandle(forWritingTo: file) {
            handle.seekToEndOfFile()
            handle.write(data)
            try? handle.close()
        } else {
            try? data.write(to: file)
        }
    }

    package func complete(_ request: ChatRequest) async throws -> ChatResponse {
        if let verdict = reachability?.unreachable { throw LLMError(.connection, verdict + " — the run no longer asks it") }
        let flight = live?.started(.init(step: CurrentStep.key.description, role: role.rawValue, model: base.model.description, started: Date(),
                                         promptCharacters: request.messages.reduce(0) { $0 + $1.content.count }, maxTokens: request.maxTokens))
        defer { if let flight { live?.ended(flight) } }
        let response: ChatResponse
        do {
            response = try await base.complete(request)
            reachability?.answered()
        } catch {
            if let verdict = reachability?.failed(error) {
                try? journal.record(EventRecord(.warning, verdict + ": the run stops asking and finishes with the best script it has"))
            }
            throw error
        }
        if let folder = ProcessInfo.processInfo.environment["STARLING_LLM_LOG"] {
            Self.log(request: request, response: response, step: CurrentStep.key, to: URL(fileURLWithPath: folder))
        }
        let cost = response.fromCache ? 0 : (prices?.cost(of: response.usage, model: base.model) ?? 0)
        try? journal.record(JournalLLMCall(
            role: role.rawValue, model: base.model.description, stepKey: CurrentStep.key.description,
            promptTokens: response.usage.promptTokens, completionTokens: response.usage.completionTokens,
            costUSD: cost, latencySeconds: response.latency, cacheHit: response.fromCache,
            exchange: Self.exchange(request, response)))
        return response
    }

    /// The exchange as the journal keeps it: the messages exactly as sent, the reply, the sampling.
    static func exchange(_ request: ChatRequest, _ response: ChatResponse) -> LLMExchange {
        let format: String
        switch request.responseFormat {
        case .text: format = "text"
        case .jsonSchema(let name, _): format = "json_schema:" + name
        }
        return LLMExchange(messages: request.messages.map { LLMExchange.Message(role: $0.role.rawValue, content: $0.content) },
                           reply: response.text, temperature: request.temperature, seed: request.seed, maxTokens: request.maxTokens,
                           responseFormat: format, finishReason: response.finishReason)
    }
}
