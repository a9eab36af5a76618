import Foundation
@testable import StarlingLLM

/// An ``LLMClient`` that answers from a list and records what it was asked: the seam the agent's
/// tests use too.
final class ScriptedClient: LLMClient, @unchecked Sendable {
    let model = ModelRef(provider: .local, name: "scripted")
    private let lock = NSLock()
    private var replies: [String]
    private(set) var requests: [ChatRequest] = []

    init(_ replies: [String]) { self.replies = replies }

    func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let reply: String? = lock.withLock {
            requests.append(request)
            return replies.isEmpty ? nil : replies.removeFirst()
        }
        guard let reply else { throw LLMError(.badResponse, "script exhausted") }
        return ChatResponse(text: reply, model: "scripted", finishReason: "stop",
                            usage: TokenUsage(promptTokens: 10, completionTokens: 5), latency: 0.01)
    }
}

/// The OpenAI-style success body the stub servers send.
func openAIReply(_ text: String, prompt: Int = 12, completion: Int = 3) -> String {
    let escaped = String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    return #"{"id":"x","object":"chat.completion","model":"stub","choices":[{"index":0,"message":{"role":"assistant","content":"# + escaped
        + #"},"finish_reason":"stop"}],"usage":{"prompt_tokens":\#(prompt),"completion_tokens":\#(completion),"total_tokens":\#(prompt + completion)}}"#
}

/// A retry policy fast enough for tests.
let fastRetry = RetryPolicy(maxAttempts: 3, baseDelay: 0.01, maxDelay: 0.05, jitter: 0.5)
