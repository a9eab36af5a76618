import Foundation
import StarlingRuntime
import StarlingCore

/// A client for Anthropic's Messages API (`POST /v1/messages`, `anthropic-version: 2023-06-01`).
///
/// System messages go in the top-level `system` field; a JSON schema is given in the prompt,
/// since the API has no schema-constrained decoding in its stable version.
package struct AnthropicClient: LLMClient {
    /// The model this client calls.
    package let model: ModelRef
    /// Sent as `x-api-key`.
    package var apiKey: APIKey
    /// The API root.
    package var baseURL = URL(string: "https://api.anthropic.com")!
    /// The `anthropic-version` header.
    package var apiVersion = "2023-06-01"
    /// Sends the requests with retries.
    package var http = RetryingHTTPClient()

    /// The wire body for a request.
    ///
    /// - Parameter request: The request.
    /// - Returns: The JSON body.
    package func body(for request: ChatRequest) -> JSONValue {
        var body: [String: JSONValue] = [
            "model": .string(model.name),
            "max_tokens": .number(Double(request.maxTokens)),
            "messages": .array(Self.mergedTurns(request.turns).map {
                ["role": .string($0.role.rawValue), "content": .string($0.content)]
            }),
        ]
        if let system = request.systemPrompt { body["system"] = .string(system) }
        if let temperature = request.temperature { body["temperature"] = .number(min(temperature, 1)) }
        if !request.stop.isEmpty { body["stop_sequences"] = .array(request.stop.map(JSONValue.string)) }
        return .object(body)
    }

    package func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let headers = [
            "Content-Type": "application/json",
            "x-api-key": apiKey.secret,
            "anthropic-version": apiVersion,
        ]
        let httpRequest = HTTPRequest(url: Wire.url(baseURL, "v1/messages"), headers: headers,
                                      body: Wire.encode(body(for: request)), timeout: request.timeout)
        let started = Date()
        let response = try await http.send(httpRequest, provider: model.description, errorMessage: Wire.errorMessage)
        let json = try Wire.decode(response, provider: model.description)
        guard let blocks = json["content"]?.array else {
            throw LLMError(.badResponse, "\(model) sent no content blocks: "
                + RetryingHTTPClient.abbreviated(response.bodyText, limit: 300))
        }
        let text = blocks.filter { $0["type"]?.string == "text" }.compactMap { $0["text"]?.string }.joined()
        let usage = json["usage"]
        return ChatResponse(
            text: text,
            model: json["model"]?.string ?? model.name,
            finishReason: json["stop_reason"]?.string,
            usage: TokenUsage(promptTokens: Wire.int(usage?["input_tokens"]),
                              completionTokens: Wire.int(usage?["output_tokens"])),
            latency: Date().timeIntervalSince(started)
        )
    }

    /// The API wants user and assistant turns to alternate, starting with the user: consecutive
    /// turns of one role are joined.
    static func mergedTurns(_ turns: [ChatMessage]) -> [ChatMessage] {
        var merged: [ChatMessage] = []
        for turn in turns {
            if let last = merged.last, last.role == turn.role {
                merged[merged.count - 1].content += "\n\n" + turn.content
            } else {
                merged.append(turn)
            }
        }
        if merged.first?.role == .assistant { merged.insert(.user("Continue."), at: 0) }
        return merged
    }
}
