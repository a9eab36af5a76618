import Foundation
import Synchronization
import StarlingLLM
import StarlingStore
import StarlingRunFolder

/// Builds the run's LLM requests: the system prompt first (the prefix every request shares, so
/// a local server keeps it cached), the run's sampling, a timeout from the time left, and no
/// request sent twice as it was.
package final class RequestBuilder: Sendable {
    /// The system prompt, rendered once per run: every request of the run starts with it.
    let system: String
    let temperature: Double?
    let journal: Journal
    let budget: RunBudget
    /// How often each request was sent in this run, so a repeat is sent with other sampling.
    private let sent = Mutex<[Int: Int]>([:])

    /// The longest a reply may take: small local models on busy machines are slow, but a reply
    /// after 15 minutes has no search left to serve.
    static let maxTimeoutSeconds = 900.0
    /// The shortest timeout, even when the search is nearly out of time (the request is cheap to lose).
    static let minTimeoutSeconds = 30.0
    /// Sampling of a repeated request: at temperature 0 it would get the same reply again.
    static let repeatTemperature = 0.7

    /// Creates a builder.
    init(system: String, temperature: Double?, journal: Journal, budget: RunBudget) {
        self.system = system
        self.temperature = temperature
        self.journal = journal
        self.budget = budget
    }

    /// A request of the system prompt and `prompt`.
    func request(_ prompt: String, maxTokens: Int, temperature: Double? = nil) -> ChatRequest {
        request([.system(system), .user(prompt)], maxTokens: maxTokens, temperature: temperature)
    }

    /// A request with the run's timeout. A request identical to one already sent in this run is
    /// not sent again as it was: it goes out with ``repeatTemperature`` and a seed of its own.
    func request(_ messages: [ChatMessage], maxTokens: Int, temperature: Double? = nil) -> ChatRequest {
        var timeout = Self.maxTimeoutSeconds
        if let left = budget.searchSecondsLeft { timeout = min(timeout, max(Self.minTimeoutSeconds, left)) }
        var request = ChatRequest(messages: messages, temperature: temperature ?? self.temperature, maxTokens: maxTokens, timeout: timeout)
        var hasher = Hasher()
        for message in messages { hasher.combine(message.role.rawValue); hasher.combine(message.content) }
        hasher.combine(request.temperature)
        let key = hasher.finalize()
        let repeats = sent.withLock { sent -> Int in
            defer { sent[key, default: 0] += 1 }
            return sent[key] ?? 0
        }
        if repeats > 0 {
            request.temperature = max(Self.repeatTemperature, request.temperature ?? 0)
            request.seed = repeats
            try? journal.record(EventRecord(.repeatRequest, "\(CurrentStep.key): a request already sent in this run goes out again with temperature \(Self.repeatTemperature), seed \(repeats)"))
        }
        return request
    }
}
