import Foundation

/// One HTTP request as a provider builds it.
package struct HTTPRequest: Sendable, Hashable {
    /// The full URL.
    package var url: URL
    /// `GET` or `POST`.
    package var method: String
    /// Header fields. Values of secret headers are never logged.
    package var headers: [String: String]
    /// The body, for `POST`.
    package var body: Data?
    /// Seconds the attempt may take in all.
    package var timeout: TimeInterval

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - url: The full URL.
    ///   - method: The HTTP method.
    ///   - headers: Header fields.
    ///   - body: The body.
    ///   - timeout: Seconds the attempt may take.
    package init(url: URL, method: String = "POST", headers: [String: String] = [:], body: Data? = nil,
                timeout: TimeInterval = 300) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// An HTTP response: status, headers (names lower-cased) and body.
package struct HTTPResponse: Sendable, Hashable {
    /// The status code.
    package var status: Int
    /// Header fields, names lower-cased.
    package var headers: [String: String]
    /// The body.
    package var body: Data

    /// Creates a response.
    ///
    /// - Parameters:
    ///   - status: The status code.
    ///   - headers: Header fields; names are lower-cased here.
    ///   - body: The body.
    package init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.body = body
    }

    /// Whether the status is 2xx.
    package var isSuccess: Bool { (200..<300).contains(status) }

    /// The body as text (lossy), for error messages.
    package var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Sends HTTP requests. Providers use it through ``RetryingHTTPClient``; tests may substitute one.
package protocol HTTPTransport: Sendable {
    /// Sends one request once, without retrying.
    ///
    /// - Parameter request: The request.
    /// - Returns: The response, whatever its status.
    /// - Throws: ``HTTPTransportError`` (`timeout`, `connection`, `badResponse`);
    ///   `CancellationError` when the task is cancelled.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
