import Foundation
import StarlingRuntime

/// Sends a request through a transport, retrying what a ``RetryPolicy`` allows: 429, 5xx,
/// timeouts and dropped connections. A non-success status that is not retried, or the last
/// one, becomes an ``LLMError`` whose message comes from the provider's error body.
package struct RetryingHTTPClient: Sendable {
    /// What sends each attempt.
    package var transport: any HTTPTransport
    /// When to retry.
    package var policy: RetryPolicy

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - transport: What sends each attempt.
    ///   - policy: When to retry.
    package init(transport: any HTTPTransport = DefaultHTTPTransport(), policy: RetryPolicy = RetryPolicy()) {
        self.transport = transport
        self.policy = policy
    }

    /// Sends `request` until it succeeds or the policy gives up.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - provider: The provider's name, for error messages.
    ///   - errorMessage: Reads the provider's error body into one line.
    /// - Returns: The successful response.
    /// - Throws: ``LLMError`` for the final failure; `CancellationError` when cancelled.
    package func send(_ request: HTTPRequest, provider: String,
                     errorMessage: @Sendable (HTTPResponse) -> String?) async throws -> HTTPResponse {
        var attempt = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            let failure: LLMError
            do {
                let response = try await transport.send(request)
                if response.isSuccess { return response }
                let detail = errorMessage(response) ?? Self.abbreviated(response.bodyText)
                failure = LLMError(.http, "\(provider) answered \(response.status): \(detail)\(Self.hint(for: response.status))",
                                   statusCode: response.status, retryAfter: RetryPolicy.retryAfter(in: response.headers))
            } catch let error as HTTPTransportError {
                failure = LLMError(error)
            } catch let error as LLMError {
                failure = error
            }
            guard failure.isRetryable, attempt < policy.maxAttempts else {
                if attempt > 1 {
                    var final = failure
                    final.message += " (after \(attempt) attempts)"
                    throw final
                }
                throw failure
            }
            if let retryAfter = failure.retryAfter, retryAfter > policy.maxRetryAfter {
                var final = failure
                final.message += " (the provider asked to wait \(Int(retryAfter)) s, more than the \(Int(policy.maxRetryAfter)) s allowed)"
                throw final
            }
            let wait = policy.delay(afterAttempt: attempt, retryAfter: failure.retryAfter)
            try await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
        }
    }

    private static func hint(for status: Int) -> String {
        switch status {
        case 401, 403: return " — check the API key in the provider's environment variable"
        case 404: return " — check the model name and the base URL"
        case 429: return " — rate limited; wait or lower the request rate"
        default: return ""
        }
    }

    static func abbreviated(_ text: String, limit: Int = 500) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        if flat.isEmpty { return "(empty body)" }
        return flat.count > limit ? String(flat.prefix(limit)) + "…" : flat
    }
}
