import Foundation

/// When and how long to wait before trying a failed request again: exponential backoff with
/// jitter, or the provider's `Retry-After` when it gives one.
package struct RetryPolicy: Sendable, Hashable, Codable {
    /// Attempts in all, the first included; 1 means no retry.
    package var maxAttempts: Int
    /// The wait before the second attempt, in seconds; doubled for each attempt after.
    package var baseDelay: TimeInterval
    /// The longest computed wait, in seconds.
    package var maxDelay: TimeInterval
    /// The fraction of each computed wait that is randomized (0...1), so clients that failed
    /// together do not retry together.
    package var jitter: Double
    /// The longest `Retry-After` honoured, in seconds; a provider asking for longer fails the call.
    package var maxRetryAfter: TimeInterval

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - maxAttempts: Attempts in all, the first included.
    ///   - baseDelay: Seconds before the second attempt.
    ///   - maxDelay: The longest computed wait.
    ///   - jitter: The randomized fraction of each wait.
    ///   - maxRetryAfter: The longest `Retry-After` honoured.
    package init(maxAttempts: Int = 5, baseDelay: TimeInterval = 1, maxDelay: TimeInterval = 60,
                jitter: Double = 0.25, maxRetryAfter: TimeInterval = 300) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = max(0, baseDelay)
        self.maxDelay = max(0, maxDelay)
        self.jitter = min(max(jitter, 0), 1)
        self.maxRetryAfter = maxRetryAfter
    }

    /// The policy that never retries.
    package static let none = RetryPolicy(maxAttempts: 1)

    /// Seconds to wait after failed attempt number `attempt` (1-based).
    ///
    /// - Parameters:
    ///   - attempt: The attempt that failed, from 1.
    ///   - retryAfter: The provider's `Retry-After`, which wins over backoff when given.
    /// - Returns: The wait in seconds.
    package func delay(afterAttempt attempt: Int, retryAfter: TimeInterval? = nil) -> TimeInterval {
        if let retryAfter { return max(0, retryAfter) }
        let exponential = min(maxDelay, baseDelay * pow(2, Double(max(0, attempt - 1))))
        let spread = exponential * jitter
        return max(0, exponential - spread + Double.random(in: 0...1) * spread)
    }

    /// Reads `Retry-After` (seconds or an HTTP date) or `retry-after-ms` from response headers.
    ///
    /// - Parameters:
    ///   - headers: Header fields with lower-cased names.
    ///   - now: The current time, for HTTP dates.
    /// - Returns: Seconds to wait, or `nil` when the headers say nothing usable.
    package static func retryAfter(in headers: [String: String], now: Date = Date()) -> TimeInterval? {
        if let ms = headers["retry-after-ms"].flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }) {
            return max(0, ms / 1000)
        }
        guard let value = headers["retry-after"]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let date = formatter.date(from: value) { return max(0, date.timeIntervalSince(now)) }
        return nil
    }
}
