import Foundation

/// A request that got no usable HTTP answer: no connection, no reply in time, or a reply that is
/// not HTTP. The message names the server and what to check. (A non-success status is an
/// answer, not this error: the caller reads it.)
package struct HTTPTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    package enum Kind: String, Sendable, Hashable {
        /// The connection could not be made, or was dropped.
        case connection
        /// No complete reply within the request's timeout.
        case timeout
        /// The reply was not HTTP, or was malformed.
        case badResponse = "bad-response"
    }

    package var kind: Kind
    package var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { "HTTP \(kind.rawValue): \(message)" }
}
