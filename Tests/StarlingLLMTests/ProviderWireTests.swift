import Foundation
import Testing
@testable import StarlingLLM

/// Request shapes and reply parsing of each provider against a local stub, written from the
/// providers' public API references.
@Suite struct ProviderWireTests {
    let request = ChatRequest(
        messages: [.system("You are terse."), .user("Say hi."), .assistant("Hi."), .user("Again.")],
        temperature: 0.2, maxTokens: 64, stop: ["END"], seed: 7
    )

    @Test func openAIChatCompletions() async throws {
        let server = try StubHTTPServer([.json(openAIReply("hello", prompt: 21, completion: 2))])
        let client = OpenAICompatibleClient(model: ModelRef(provider: .openai, name: "gpt-4.1"),
                                            baseURL: server.baseURL.appendingPathComponent("v1"), apiKey: APIKey("sk-test"),
                                            maxTokensField: "max_completion_tokens", unsupportedSchemaKeywords: ["maxLength"],
                                            http: RetryingHTTPClient(policy: fastRetry))
        var structured = request
        structured.responseFormat = .jsonSchema(name: "answer", schema: JSONSchema.object(["a": JSONSchema.string()]))
        let response = try await client.complete(structured)
        #expect(response.text == "hello")
        #expect(response.usage == TokenUsage(promptTokens: 21, completionTokens: 2))
        #expect(response.finishReason == "stop")

        let sent = try #require(server.requests.first)
        #expect(sent.method == "POST")
        #expect(sent.path == "/v1/chat/completions")
        #expect(sent.headers["authorization"] == "Bearer sk-test")
        let body = sent.json
        #expect(body["model"] as? String == "gpt-4.1")
        #expect(body["max_completion_tokens"] as? Int == 64)
        #expect(body["max_tokens"] == nil)
        #expect(body["seed"] as? Int == 7)
        #expect(body["stop"] as? [String] == ["END"])
        let messages = try #require(body["messages"] as? [[String: String]])
        #expect(messages.map { $0["role"] } == ["system", "user", "assistant", "user"])
        let format = try #require(body["response_format"] as? [String: Any])
        #expect(format["type"] as? String == "json_schema")
        let schema = try #require(format["json_schema"] as? [String: Any])
        #expect(schema["name"] as? String == "answer")
        let wireSchema = try #require(schema["schema"] as? [String: Any])
        #expect(wireSchema["type"] as? String == "object")
        let field = try #require((wireSchema["properties"] as? [String: Any])?["a"] as? [String: Any])
        #expect(field["type"] as? String == "string")
        #expect(field["maxLength"] == nil)
    }

    @Test func anthropicMessages() async throws {
        let reply = #"""
        {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
         "content":[{"type":"text","text":"Hello"},{"type":"text","text":" there"}],
         "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":25,"output_tokens":4}}
        """#
        let server = try StubHTTPServer([.json(reply)])
        let client = AnthropicClient(model: ModelRef(provider: .anthropic, name: "claude-sonnet-4-5"), apiKey: APIKey("ant-key"),
                                     baseURL: server.baseURL, http: RetryingHTTPClient(policy: fastRetry))
        let response = try await client.complete(request)
        #expect(response.text == "Hello there")
        #expect(response.usage == TokenUsage(promptTokens: 25, completionTokens: 4))
        #expect(response.finishReason == "end_turn")
        #expect(response.model == "claude-sonnet-4-5-20250929")

        let sent = try #require(server.requests.first)
        #expect(sent.path == "/v1/messages")
        #expect(sent.headers["x-api-key"] == "ant-key")
        #expect(sent.headers["anthropic-version"] == "2023-06-01")
        #expect(sent.headers["authorization"] == nil)
        let body = sent.json
        #expect(body["model"] as? String == "claude-sonnet-4-5")
        #expect(body["max_tokens"] as? Int == 64)
        #expect(body["system"] as? String == "You are terse.")
        #expect(body["stop_sequences"] as? [String] == ["END"])
        let messages = try #require(body["messages"] as? [[String: String]])
        #expect(messages.map { $0["role"] } == ["user", "assistant", "user"])
        #expect(messages.first?["content"] == "Say hi.")
    }

    @Test func anthropicErrorBodiesAndOverloadRetry() async throws {
        let overloaded = #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#
        let invalid = #"{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: must be greater than 0"}}"#
        let server = try StubHTTPServer([.json(overloaded, status: 529), .json(invalid, status: 400)])
        let client = AnthropicClient(model: ModelRef(provider: .anthropic, name: "claude-sonnet-4-5"), apiKey: APIKey("k"),
                                     baseURL: server.baseURL, http: RetryingHTTPClient(policy: fastRetry))
        await #expect {
            try await client.complete(request)
        } throws: { error in
            guard let error = error as? LLMError else { return false }
            return error.statusCode == 400 && error.message.contains("invalid_request_error: max_tokens: must be greater than 0")
        }
        #expect(server.requests.count == 2, "\(server.requests.map { "\($0.method) \($0.path) \($0.headers)" })") // 529 retried, 400 not
    }

    @Test func geminiGenerateContent() async throws {
        let reply = #"""
        {"candidates":[{"content":{"parts":[{"text":"thinking...","thought":true},{"text":"{\"a\": \"b\"}"}],"role":"model"},
          "finishReason":"STOP","index":0}],
         "usageMetadata":{"promptTokenCount":30,"candidatesTokenCount":6,"totalTokenCount":36},
         "modelVersion":"gemini-2.5-flash"}
        """#
        let server = try StubHTTPServer([.json(reply)])
        let client = GeminiClient(model: ModelRef(provider: .gemini, name: "gemini-2.5-flash"), apiKey: APIKey("g-key"),
                                  baseURL: server.baseURL.appendingPathComponent("v1beta"), http: RetryingHTTPClient(policy: fastRetry))
        var structured = request
        let schema = JSONSchema.object(["a": JSONSchema.string(maxLength: 10)])
        structured.responseFormat = .jsonSchema(name: "x", schema: schema)
        let response = try await client.complete(structured)
        #expect(response.text == #"{"a": "b"}"#)
        #expect(response.usage == TokenUsage(promptTokens: 30, completionTokens: 6))
        #expect(response.finishReason == "STOP")

        let sent = try #require(server.requests.first)
        #expect(sent.path == "/v1beta/models/gemini-2.5-flash:generateContent")
        #expect(sent.headers["x-goog-api-key"] == "g-key")
        #expect(!sent.path.contains("key="))
        let body = sent.json
        let contents = try #require(body["contents"] as? [[String: Any]])
        #expect(contents.map { $0["role"] as? String } == ["user", "model", "user"])
        #expect(((contents[0]["parts"] as? [[String: String]])?.first)?["text"] == "Say hi.")
        let system = try #require(body["systemInstruction"] as? [String: Any])
        #expect(((system["parts"] as? [[String: String]])?.first)?["text"] == "You are terse.")
        let config = try #require(body["generationConfig"] as? [String: Any])
        #expect(config["maxOutputTokens"] as? Int == 64)
        #expect(config["stopSequences"] as? [String] == ["END"])
        #expect(config["responseMimeType"] as? String == "application/json")
        #expect((config["responseJsonSchema"] as? [String: Any])?["type"] as? String == "object")
        #expect(((config["responseJsonSchema"] as? [String: Any])?["properties"] as? [String: [String: Any]])?["a"]?["maxLength"] == nil)
    }

    @Test func geminiErrorBody() async throws {
        let invalid = #"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}"#
        let server = try StubHTTPServer([.json(invalid, status: 400)])
        let client = GeminiClient(model: ModelRef(provider: .gemini, name: "gemini-2.5-flash"), apiKey: APIKey("bad"),
                                  baseURL: server.baseURL, http: RetryingHTTPClient(policy: fastRetry))
        await #expect {
            try await client.complete(request)
        } throws: { error in
            guard let error = error as? LLMError else { return false }
            return error.statusCode == 400 && error.message.contains("INVALID_ARGUMENT: API key not valid")
        }
    }

    @Test func geminiBlockedPromptIsExplained() async throws {
        let server = try StubHTTPServer([.json(#"{"promptFeedback":{"blockReason":"SAFETY"}}"#)])
        let client = GeminiClient(model: ModelRef(provider: .gemini, name: "gemini-2.5-flash"), apiKey: APIKey("k"),
                                  baseURL: server.baseURL, http: RetryingHTTPClient(policy: fastRetry))
        await #expect {
            try await client.complete(request)
        } throws: { error in
            (error as? LLMError)?.code == .badResponse && "\(error)".contains("SAFETY")
        }
    }

    @Test func configurationRoutesProvidersToOverriddenBaseURLs() async throws {
        let server = try StubHTTPServer([.json(#"{"content":[{"type":"text","text":"routed"}],"usage":{"input_tokens":1,"output_tokens":1}}"#)])
        let configuration = try LLMConfiguration(environment: ["ANTHROPIC_API_KEY": "k", "ANTHROPIC_BASE_URL": server.baseURL.absoluteString],
                                                 retry: fastRetry)
        let response = try await configuration.makeClient(named: "anthropic:claude-haiku-4-5", role: "reviewer").chat("hi")
        #expect(response.text == "routed")
        let totals = await configuration.ledger.totals
        #expect(totals.calls == 1)
        #expect(abs(totals.cost - (1 * 1.0 + 1 * 5.0) / 1_000_000) < 1e-12)
        #expect(await configuration.ledger.records.first?.role == "reviewer")
    }
}
