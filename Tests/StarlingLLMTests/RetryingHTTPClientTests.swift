import Foundation
import StarlingRuntime
import Testing
@testable import StarlingLLM

/// Both transports must behave alike; the socket one is the default for http://.
enum TransportKind: String, CaseIterable, Sendable {
    case socket, urlSession

    var transport: any HTTPTransport {
        switch self {
        case .socket: return SocketHTTPTransport()
        case .urlSession: return URLSessionTransport()
        }
    }
}

@Suite struct RetryingHTTPClientTests {
    func client(_ server: StubHTTPServer, policy: RetryPolicy = fastRetry, transport: TransportKind = .socket) -> OpenAICompatibleClient {
        OpenAICompatibleClient(model: ModelRef(provider: .openaiCompatible, name: "stub", baseURL: server.baseURL),
                               baseURL: server.baseURL.appendingPathComponent("v1"),
                               http: RetryingHTTPClient(transport: transport.transport, policy: policy))
    }

    func request(timeout: TimeInterval = 10) -> ChatRequest {
        ChatRequest(messages: [.user("hi")], maxTokens: 8, timeout: timeout)
    }

    @Test(arguments: TransportKind.allCases)
    func retriesServerErrorsThenSucceeds(_ kind: TransportKind) async throws {
        let server = try StubHTTPServer([
            .json(#"{"error":{"message":"overloaded","type":"server_error"}}"#, status: 503),
            .json("{}", status: 502),
            .json(openAIReply("hello")),
        ])
        let response = try await client(server, transport: kind).complete(request())
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
        // Only a sanity bound: a loaded machine stretches the wait, the lower bound is the behaviour.
        // On 2 cores every test of the process can stall for about 30 s while the suites start
        // (LineDiff's pure functions "took" 28-29 s in `make test`), so the bound leaves room for that.
        #expect(elapsed < 120)
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

    @Test(arguments: TransportKind.allCases)
    func clientErrorsAreNotRetriedAndQuoteTheBody(_ kind: TransportKind) async throws {
        let server = try StubHTTPServer([
            .json(#"{"error":{"message":"model 'nope' not found","type":"invalid_request_error"}}"#, status: 404),
        ])
        await #expect {
            try await client(server, transport: kind).complete(request())
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

    @Test(arguments: TransportKind.allCases)
    func timesOutASlowAttemptAndRetries(_ kind: TransportKind) async throws {
        let server = try StubHTTPServer([
            // Long enough that waiting it out cannot pass for a timeout, even on a loaded machine
            // (with the local-model suites beside it, a timeout and retry took 15.5 s in CI).
            .delay(60, then: .init(status: 200, body: openAIReply("late"))),
            .json(openAIReply("fast")),
        ])
        let started = Date()
        let response = try await client(server, transport: kind).complete(request(timeout: 0.5))
        let elapsed = Date().timeIntervalSince(started)
        #expect(response.text == "fast")
        // Waiting the slow reply out takes 60 s and more; a timeout and retry takes less, however
        // late a stalled machine fires it (52.7 s once, with every suite starting on 2 cores).
        #expect(elapsed >= 0.5 && elapsed < 58, "took \(elapsed) s")
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

    @Test(arguments: TransportKind.allCases)
    func retriesADroppedConnection(_ kind: TransportKind) async throws {
        let server = try StubHTTPServer([.drop, .json(openAIReply("after drop"))])
        let response = try await client(server, transport: kind).complete(request())
        #expect(response.text == "after drop")
        #expect(server.requests.count == 2)
    }

    @Test(arguments: TransportKind.allCases)
    func refusedConnectionSaysToCheckTheServer(_ kind: TransportKind) async throws {
        let refusing = try StubHTTPServer([], listening: false)
        let url = refusing.baseURL
        let dead = OpenAICompatibleClient(model: ModelRef(provider: .openaiCompatible, name: "x", baseURL: url),
                                          baseURL: url, http: RetryingHTTPClient(transport: kind.transport, policy: .none))
        await #expect {
            try await dead.complete(request())
        } throws: { error in
            (error as? LLMError)?.code == .connection && "\(error)".contains("server is running")
        }
        withExtendedLifetime(refusing) {}
    }

    @Test(arguments: TransportKind.allCases)
    func cancellationStopsARequestInFlight(_ kind: TransportKind) async throws {
        let server = try StubHTTPServer([.delay(30, then: .init(status: 200, body: openAIReply("late")))])
        let client = client(server, transport: kind)
        let task = Task { try await client.complete(request(timeout: 30)) }
        try await Task.sleep(nanoseconds: 300_000_000)
        let started = Date()
        task.cancel()
        let result = await task.result
        // Far less than the 30 s reply: cancellation stopped the request (loose for loaded machines).
        #expect(Date().timeIntervalSince(started) < 15)
        #expect(throws: CancellationError.self) { try result.get() }
    }
}

@Suite struct SocketHTTPTransportTests {
    @Test func readsChunkedAndCloseDelimitedBodies() async throws {
        let body = openAIReply("chunked hello")
        let half = body.index(body.startIndex, offsetBy: body.count / 2)
        let first = String(body[..<half]), second = String(body[half...])
        let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
            + String(first.utf8.count, radix: 16) + "\r\n" + first + "\r\n"
            + String(second.utf8.count, radix: 16) + ";ext=1\r\n" + second + "\r\n0\r\n\r\n"
        let closeDelimited = "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + openAIReply("until close")
        let server = try StubHTTPServer([.raw(chunked), .raw(closeDelimited)])
        let client = OpenAICompatibleClient(model: ModelRef(provider: .openaiCompatible, name: "s", baseURL: server.baseURL),
                                            baseURL: server.baseURL, http: RetryingHTTPClient(transport: SocketHTTPTransport(), policy: .none))
        #expect(try await client.chat("a").text == "chunked hello")
        #expect(try await client.chat("b").text == "until close")
        let sent = try #require(server.requests.first)
        #expect(sent.headers["content-length"] == String(sent.body.count))
        #expect(sent.headers["host"] == "127.0.0.1:\(server.port)")
    }

    @Test func truncatedReplyIsADroppedConnection() async throws {
        let server = try StubHTTPServer([.raw("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"choices\":")])
        await #expect {
            try await SocketHTTPTransport().send(HTTPRequest(url: server.baseURL, body: Data("{}".utf8), timeout: 5))
        } throws: { error in
            // The transport says what happened; a model call makes it a retryable connection failure.
            guard let failure = error as? HTTPTransportError, failure.kind == .connection else { return false }
            return LLMError(failure).code == .connection && LLMError(failure).isRetryable
        }
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
