import Foundation
import StarlingCore
import StarlingLLM
import StarlingRunFolder

/// Asking the model: one client per role, requests from ``RequestBuilder``, replies checked for
/// code, plans, fragments, text or JSON.
extension SearchContext {
    // MARK: LLM

    /// The client for a role (the coder's when the role has none).
    package func client(_ role: AgentRole) -> any LLMClient {
        clients[role] ?? clients[.coder]!
    }

    func request(_ prompt: String, maxTokens: Int, temperature: Double? = nil) -> ChatRequest {
        requests.request(prompt, maxTokens: maxTokens, temperature: temperature)
    }

    func request(_ messages: [ChatMessage], maxTokens: Int, temperature: Double? = nil) -> ChatRequest {
        requests.request(messages, maxTokens: maxTokens, temperature: temperature)
    }

    /// Has a local server process the prefix every edit prompt shares (the system prompt and the
    /// task context, ~2.5k tokens) while the card examples run, so the first edit request finds it
    /// cached: a cold prefix costs 40–90 s of prompt processing on two cores. The slot state it
    /// leaves is kept for later runs of the task (``KeptSlotStates``), whose warm-up then restores
    /// it from a file. The one-token reply is not a model call of the run and is not journaled.
    /// Returns at once for remote models and whole-script runs.
    ///
    /// Edit requests wait for it (``promptCacheWarmed()``): sent while it still runs, a request
    /// would go to the other slot, cold, and both would share the cores.
    package func startWarmingPromptCache() {
        let coder = client(.coder)
        guard editFormat != .whole, coder.model.provider == .local else { return }
        let base = (coder as? JournalingLLMClient)?.base ?? coder
        var request = ChatRequest(messages: [.system(requests.system), .user(taskContext())], temperature: 0, maxTokens: 1, timeout: 300)
        // Answered by the response cache (a second run of the task), it would warm nothing.
        request.bypassesResponseCache = true
        request.keepsPromptState = true
        let warm = request
        warming.withLock { task in
            guard task == nil else { return }
            task = Task { _ = try? await base.complete(warm) }
        }
    }

    /// Returns when the prompt-cache warm-up (if one was started) has finished.
    func promptCacheWarmed() async {
        if let task = warming.withLock({ $0 }) { await task.value }
    }

    /// Asks for a complete Python script; the reply's code block must parse.
    package func askCode(_ role: AgentRole, prompt: String, temperature: Double? = nil) async throws -> String {
        try await client(role).pythonCode(request: request(prompt, maxTokens: settings.maxCodeTokens, temperature: temperature),
                                          checker: PythonSyntaxChecker(python: python.path)).value
    }

    /// Asks for a script preceded by a sentence of plan; returns both (the plan may be empty).
    package func askPlanAndCode(_ role: AgentRole, prompt: String, temperature: Double? = nil) async throws -> (plan: String, code: String) {
        let reply = try await client(role).pythonCode(request: request(prompt, maxTokens: settings.maxCodeTokens, temperature: temperature),
                                                      checker: PythonSyntaxChecker(python: python.path))
        let text = reply.response.text
        let prose = text.components(separatedBy: "```").first?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return (String(prose.prefix(400)), reply.value)
    }

    /// Asks for a Python fragment (a code block to splice); parsing is checked after splicing.
    package func askFragment(_ role: AgentRole, prompt: String) async throws -> String {
        let reply = try await client(role).complete(request(prompt, maxTokens: settings.maxCodeTokens))
        return try PythonCodeExtractor.extract(from: reply.text)
    }

    /// Asks for plain text (a plan, a summary).
    package func askText(_ role: AgentRole, prompt: String, maxTokens: Int = 400) async throws -> String {
        try await client(role).complete(request(prompt, maxTokens: maxTokens)).text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Asks for a JSON object decoded into `type`, using the server's JSON-schema mode when it has one.
    package func askJSON<T: Decodable & Sendable>(_ type: T.Type, _ role: AgentRole, prompt: String, schema: JSONValue) async throws -> T {
        try await client(role).structured(type, request: request(prompt, maxTokens: 1024), schema: schema).value
    }
}
