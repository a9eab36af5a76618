import Foundation
import StarlingRuntime
import StarlingCore

/// A client for Google's Gemini API (`POST /v1beta/models/{model}:generateContent`).
///
/// Assistant turns take the role `model`; system messages go in `systemInstruction`; a JSON
/// schema is sent as `generationConfig.responseJsonSchema` with `responseMimeType: application/json`.
package struct GeminiClient: LLMClient {
    /// The model this client calls.
    package let model: ModelRef
    /// Sent as `x-goog-api-key`.
    package var apiKey: APIKey
    /// The API root, up to and including the version.
    package var baseURL = URL(string: "https://generativelanguage.googleapis.com/v1beta")!
    /// Sends the requests with retries.
    package var http = RetryingHTTPClient()

    package var supportsJSONSchema: Bool { true }

    /// The wire body for a request.
    ///
    /// - Parameter request: The request.
    /// - Returns: The JSON body.
    package func body(for request: ChatRequest) -> JSONValue {
        var body: [String: JSONValue] = [
            "contents": .array(request.turns.map {
                ["role": .string($0.role == .assistant ? "model" : "user"), "parts": [["text": .string($0.content)]]]
            }),
        ]
        if let system = request.systemPrompt {
            body["systemInstruction"] = ["parts": [["text": .string(system)]]]
        }
        var config: [String: JSONValue] = ["maxOutputTokens": .number(Double(request.maxTokens))]
        if let temperature = request.temperature { config["temperature"] = .number(temperature) }
        if !request.stop.isEmpty { config["stopSequences"] = .array(request.stop.map(JSONValue.string)) }
        if let seed = request.seed { config["seed"] = .number(Double(seed)) }
        if case .jsonSchema(_, let schema) = request.responseFormat {
            config["responseMimeType"] = "application/json"
            // Length bounds are for local constrained decoding; the schema in the prompt keeps them.
            config["responseJsonSchema"] = JSONSchema.removing(["maxLength", "minLength"], from: schema)
        }
        body["generationConfig"] = .object(config)
        return .object(body)
    }

    package func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let path = "models/\(model.name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? model.name):generateContent"
        let headers = ["Content-Type": "application/json", "x-goog-api-key": apiKey.secret]
        let httpRequest = HTTPRequest(url: Wire.url(baseURL, path), headers: headers,
                                      body: Wire.encode(body(for: request)), timeout: request.timeout)
        let started = Date()
        let response = try await http.send(httpRequest, provider: model.description, errorMessage: Wire.errorMessage)
        let json = try Wire.decode(response, provider: model.description)
        guard let candidate = json["candidates"]?.array?.first else {
            let reason = json["promptFeedback"]?["blockReason"]?.string
            throw LLMError(.badResponse, reason.map { "\(model) blocked the prompt: \($0)" }
                ?? "\(model) sent no candidates: " + RetryingHTTPClient.abbreviated(response.bodyText, limit: 300))
        }
        let parts = candidate["content"]?["parts"]?.array ?? []
        // Parts flagged `thought` are the model's reasoning, not its answer.
        let text = parts.filter { $0["thought"] != .bool(true) }.compactMap { $0["text"]?.string }.joined()
        let usage = json["usageMetadata"]
        return ChatResponse(
            text: text,
            model: json["modelVersion"]?.string ?? model.name,
            finishReason: candidate["finishReason"]?.string,
            usage: TokenUsage(promptTokens: Wire.int(usage?["promptTokenCount"]),
                              completionTokens: Wire.int(usage?["candidatesTokenCount"]) + Wire.int(usage?["thoughtsTokenCount"])),
            latency: Date().timeIntervalSince(started)
        )
    }
}
