/// The transport Starling uses unless told otherwise: ``SocketHTTPTransport`` for `http://`
/// (local and LAN servers, where replies take long and the wait must not spin) and
/// ``URLSessionTransport`` for `https://` (hosted APIs, which need TLS).
package struct DefaultHTTPTransport: HTTPTransport {
    private let plain = SocketHTTPTransport()
    private let secure = URLSessionTransport()

    /// Creates the transport.
    package init() {}

    package func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        if request.url.scheme?.lowercased() == "http" { return try await plain.send(request) }
        return try await secure.send(request)
    }
}
