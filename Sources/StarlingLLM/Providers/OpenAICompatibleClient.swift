import Foundation
import StarlingRuntime
import StarlingCore

/// A client for OpenAI's Chat Completions API and every server that speaks it: OpenAI,
/// llama.cpp's `llama-server`, vLLM, Ollama, LM Studio and hosted look-alikes.
///
/// Built by ``LLMConfiguration``; the memberwise initialiser takes the model, the base URL, then
/// what differs from a local server's defaults.
package struct OpenAICompatibleClient: LLMClient {
    /// The model this client calls.
    package let model: ModelRef
    /// The API root, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8080/v1`.
    package var baseURL: URL
    /// Sent as `Authorization: Bearer`; local servers need none.
    package var apiKey: APIKey?
    /// Whether the server honours `response_format: json_schema` (OpenAI, llama-server, vLLM do).
    package var supportsJSONSchema: Bool = true
    /// The field that carries the reply limit: `max_completion_tokens` for OpenAI's own API
    /// (its reasoning models refuse `max_tokens`), `max_tokens` for the compatible servers.
    package var maxTokensField: String = "max_tokens"
    /// Schema keywords left out of `response_format` (they stay in the prompt): OpenAI's strict
    /// mode rejects `maxLength` and `minLength`, which llama-server needs.
    package var unsupportedSchemaKeywords: Set<String> = []
    /// Sends the requests with retries.
    package var http = RetryingHTTPClient()

    /// The wire body for a request (public so tests and logs can inspect it).
    ///
    /// - Parameter request: The request.
    /// - Returns: The JSON body.
    package func body(for request: ChatRequest) -> JSONValue {
        var body: [String: JSONValue] = [
            "model": .string(model.name),
            "messages": .array(request.messages.map { ["role": .string($0.role.rawValue), "content": .string($0.content)] }),
            maxTokensField: .number(Double(request.maxTokens)),
            "stream": false,
        ]
        if let temperature = request.temperature { body["temperature"] = .number(temperature) }
        if !request.stop.isEmpty { body["stop"] = .array(request.stop.map(JSONValue.string)) }
        if let seed = request.seed { body["seed"] = .number(Double(seed)) }
        if let slot = request.slot { body["id_slot"] = .number(Double(slot)) }
        if case .jsonSchema(let name, let schema) = request.responseFormat, supportsJSONSchema {
            body["response_format"] = [
                "type": "json_schema",
                "json_schema": ["name": .string(name), "schema": JSONSchema.removing(unsupportedSchemaKeywords, from: schema),
                                "strict": true],
            ]
        }
        return .object(body)
    }

    package func complete(_ request: ChatRequest) async throws -> ChatResponse {
        var headers = ["Content-Type": "application/json", "Accept": "application/json"]
        if let apiKey { headers["Authorization"] = "Bearer \(apiKey.secret)" }
        let httpRequest = HTTPRequest(url: Wire.url(baseURL, "chat/completions"), headers: headers,
                                      body: Wire.encode(body(for: request)), timeout: request.timeout)
        let started = Date()
        let response = try await http.send(httpRequest, provider: model.description, errorMessage: Wire.errorMessage)
        let json = try Wire.decode(response, provider: model.description)
        guard let choice = json["choices"]?.array?.first, let message = choice["message"] else {
            throw LLMError(.badResponse, "\(model) sent no choices[0].message: "
                + RetryingHTTPClient.abbreviated(response.bodyText, limit: 300))
        }
        let usage = json["usage"]
        var reply = ChatResponse(
            text: message["content"]?.string ?? "",
            model: json["model"]?.string ?? model.name,
            finishReason: choice["finish_reason"]?.string,
            usage: TokenUsage(promptTokens: Wire.int(usage?["prompt_tokens"]),
                              completionTokens: Wire.int(usage?["completion_tokens"])),
            latency: Date().timeIntervalSince(started)
        )
        // llama-server adds its own measurements.
        reply.generationSpeed = json["timings"]?["predicted_per_second"]?.number
        reply.promptSpeed = json["timings"]?["prompt_per_second"]?.number
        reply.promptTokensProcessed = json["timings"]?["prompt_n"]?.number.map { Int($0) }
        return reply
    }
}
