import Foundation
import StarlingRuntime

/// A failure of a model call: transport, provider, cache or configuration. The description says
/// what went wrong and what to change.
package struct LLMError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable code for programmatic handling.
    package struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        package var rawValue: String
        package init(rawValue: String) { self.rawValue = rawValue }
        package var description: String { rawValue }

        /// The provider answered with a non-success HTTP status.
        package static let http = Code(rawValue: "http")
        /// An attempt took longer than the request's timeout.
        package static let timeout = Code(rawValue: "timeout")
        /// The connection could not be made or was dropped.
        package static let connection = Code(rawValue: "connection")
        /// The provider's reply could not be understood.
        package static let badResponse = Code(rawValue: "bad-response")
        /// No API key for a hosted provider.
        package static let missingKey = Code(rawValue: "missing-key")
        /// A `provider:model` name that cannot be parsed.
        package static let invalidModelName = Code(rawValue: "invalid-model-name")
        /// Replay-only cache mode had no recorded reply.
        package static let cacheMiss = Code(rawValue: "cache-miss")
        /// The local model or server is missing or failed.
        package static let localServer = Code(rawValue: "local-server")
    }

    /// What kind of failure.
    package var code: Code
    /// What happened and what to do about it.
    package var message: String
    /// The HTTP status, for ``Code/http``.
    package var statusCode: Int?
    /// Seconds the provider asked to wait (`Retry-After`), when it said.
    package var retryAfter: TimeInterval?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What kind of failure.
    ///   - message: What happened and what to do about it.
    ///   - statusCode: The HTTP status, if any.
    ///   - retryAfter: Seconds the provider asked to wait, if it said.
    package init(_ code: Code, _ message: String, statusCode: Int? = nil, retryAfter: TimeInterval? = nil) {
        self.code = code
        self.message = message
        self.statusCode = statusCode
        self.retryAfter = retryAfter
    }

    package var description: String {
        if let statusCode { return "LLM error (\(code), HTTP \(statusCode)): \(message)" }
        return "LLM error (\(code)): \(message)"
    }

    /// Whether another attempt may succeed: rate limits, server errors, timeouts, dropped connections.
    package var isRetryable: Bool {
        switch code {
        case .timeout, .connection: return true
        case .http:
            guard let statusCode else { return false }
            return statusCode == 408 || statusCode == 409 || statusCode == 425 || statusCode == 429
                || (500...599).contains(statusCode)
        default: return false
        }
    }
}

extension LLMError {
    /// A request that got no usable answer, as a model call's failure of the same kind
    /// (connection failures and timeouts are retried).
    package init(_ error: HTTPTransportError) {
        let code: Code = switch error.kind {
        case .connection: .connection
        case .timeout: .timeout
        case .badResponse: .badResponse
        }
        self.init(code, error.message)
    }
}
