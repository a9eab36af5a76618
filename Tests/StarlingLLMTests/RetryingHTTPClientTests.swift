import Foundation
import Testing
@testable import StarlingLLM

@Suite struct RetryingHTTPClientTests {
    func client(_ server: StubHTTPServer, policy: RetryPolicy = fastRetry) -> OpenAICompatibleClient {
        OpenAICompatibleClient(model: ModelRef(provider: .openaiCompatible, name: "stub", baseURL: server.baseURL),
                               baseURL: server.baseURL.appendingPathComponent("v1"),
                               http: RetryingHTTPClient(policy: policy))
    }

    func request(timeout: TimeInterval = 10) -> ChatRequest {
        ChatRequest(messages: [.user("hi")], maxTokens: 8, timeout: timeout)
    }

    @Test func retriesServerErrorsThenSucceeds() async throws {
        let server = try StubHTTPServer([
            .json(#"{"error":{"message":"overloaded","type":"server_error"}}"#, status: 503),
            .json("{}", status: 502),
            .json(openAIReply("hello")),
        ])
        let response = try await client(server).complete(request())
        #expect(response.text == "hello")
        #expect(server.requests.count == 3)
        #expect(server.requests.allSatisfy { $0.path == "/v1/chat/completions" })
    }

    @Test func honoursRetryAfter() async throws {
        let server = try StubHTTPServer([
            .json(#"{"error":{"message":"slow down"}}"#, status: 429, headers: ["Retry-After": "1"]),
            .json(openAIReply("ok")),
        ])
        let started = Date()
        let response = try await client(server).complete(request())
        let elapsed = Date().timeIntervalSince(started)
        #expect(response.text == "ok")
        // Backoff alone would wait at most 0.05 s; Retry-After says a full second.
        #expect(elapsed >= 1.0)
        #expect(elapsed < 5)
    }

    @Test func refusesARetryAfterLongerThanAllowed() async throws {
        let server = try StubHTTPServer([.json("{}", status: 429, headers: ["Retry-After": "3600"])])
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: 0.01, maxRetryAfter: 10)
        await #expect {
            try await client(server, policy: policy).complete(request())
        } throws: { error in
            (error as? LLMError)?.statusCode == 429 && "\(error)".contains("3600 s")
        }
        #expect(server.requests.count == 1)
    }

    @Test func clientErrorsAreNotRetriedAndQuoteTheBody() async throws {
        let server = try StubHTTPServer([
            .json(#"{"error":{"message":"model 'nope' not found","type":"invalid_request_error"}}"#, status: 404),
        ])
        await #expect {
            try await client(server).complete(request())
        } throws: { error in
            guard let error = error as? LLMError else { return false }
            return error.code == .http && error.statusCode == 404
                && error.message.contains("invalid_request_error: model 'nope' not found")
                && error.message.contains("check the model name")
        }
        #expect(server.requests.count == 1)
    }

    @Test func givesUpAfterMaxAttempts() async throws {
        let server = try StubHTTPServer([.json("{}", status: 500)])
        await #expect {
            try await client(server).complete(request())
        } throws: { error in
            "\(error)".contains("after 3 attempts")
        }
        #expect(server.requests.count == 3)
    }

    @Test func timesOutASlowAttemptAndRetries() async throws {
        let server = try StubHTTPServer([
            .delay(3, then: .init(status: 200, body: openAIReply("late"))),
            .json(openAIReply("fast")),
        ])
        let started = Date()
        let response = try await client(server).complete(request(timeout: 0.5))
        let elapsed = Date().timeIntervalSince(started)
        #expect(response.text == "fast")
        #expect(elapsed >= 0.5 && elapsed < 2.5)
        #expect(server.requests.count == 2)
    }

    @Test func timeoutIsReportedWhenEveryAttemptIsSlow() async throws {
        let server = try StubHTTPServer([.delay(3, then: .init(status: 200, body: openAIReply("late")))])
        let started = Date()
        await #expect {
            try await client(server, policy: RetryPolicy(maxAttempts: 2, baseDelay: 0.01)).complete(request(timeout: 0.3))
        } throws: { error in
            (error as? LLMError)?.code == .timeout
        }
        #expect(Date().timeIntervalSince(started) >= 0.6)
        #expect(server.requests.count == 2)
    }

    @Test func retriesADroppedConnection() async throws {
        let server = try StubHTTPServer([.drop, .json(openAIReply("after drop"))])
        let response = try await client(server).complete(request())
        #expect(response.text == "after drop")
        #expect(server.requests.count == 2)
    }

    @Test func refusedConnectionSaysToCheckTheServer() async throws {
        let refusing = try StubHTTPServer([], listening: false)
        let url = refusing.baseURL
        let dead = OpenAICompatibleClient(model: ModelRef(provider: .openaiCompatible, name: "x", baseURL: url),
                                          baseURL: url, http: RetryingHTTPClient(policy: .none))
        await #expect {
            try await dead.complete(request())
        } throws: { error in
            (error as? LLMError)?.code == .connection && "\(error)".contains("server is running")
        }
        withExtendedLifetime(refusing) {}
    }

    @Test func cancellationStopsARequestInFlight() async throws {
        let server = try StubHTTPServer([.delay(5, then: .init(status: 200, body: openAIReply("late")))])
        let client = client(server)
        let task = Task { try await client.complete(request(timeout: 30)) }
        try await Task.sleep(nanoseconds: 300_000_000)
        let started = Date()
        task.cancel()
        let result = await task.result
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(throws: CancellationError.self) { try result.get() }
    }
}

@Suite struct RetryPolicyTests {
    @Test func backoffGrowsAndStaysWithinJitterAndCap() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: 1, maxDelay: 8, jitter: 0.25)
        for _ in 0..<50 {
            let first = policy.delay(afterAttempt: 1)
            let third = policy.delay(afterAttempt: 3)
            let tenth = policy.delay(afterAttempt: 10)
            #expect(first >= 0.75 && first <= 1)
            #expect(third >= 3 && third <= 4)
            #expect(tenth >= 6 && tenth <= 8)
        }
        #expect(policy.delay(afterAttempt: 1, retryAfter: 7) == 7)
    }

    @Test func readsRetryAfterInEveryForm() {
        #expect(RetryPolicy.retryAfter(in: ["retry-after": "12"]) == 12)
        #expect(RetryPolicy.retryAfter(in: ["retry-after-ms": "1500", "retry-after": "9"]) == 1.5)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let date = "Tue, 14 Nov 2023 22:13:50 GMT" // now + 30 s
        #expect(RetryPolicy.retryAfter(in: ["retry-after": date], now: now) == 30)
        #expect(RetryPolicy.retryAfter(in: ["retry-after": "soon"]) == nil)
        #expect(RetryPolicy.retryAfter(in: [:]) == nil)
    }
}
