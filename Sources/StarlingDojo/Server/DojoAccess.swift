import Foundation

/// Who may talk to the gym server. On loopback (`127.0.0.1`, `::1`, `localhost`) the server is
/// open unless a token was given; on any other address it always needs one, generated at start
/// when none was given, so a server on the network never runs scripts for strangers.
package struct DojoAccess: Sendable, Hashable {
    /// The bearer token every request must carry, or `nil` when the server is open.
    package let token: String?
    /// Whether ``token`` was generated here (and must be shown to the user once) rather than given.
    package let generated: Bool

    /// The access rule for a server bound to `host`.
    ///
    /// - Parameters:
    ///   - host: The address the server binds.
    ///   - token: A token given explicitly (`--token`); an empty one counts as none.
    /// - Returns: Open on loopback without a token; otherwise the given token or a fresh one.
    package static func resolve(host: String, token: String?) -> DojoAccess {
        if let token, !token.isEmpty { return DojoAccess(token: token, generated: false) }
        if isLoopback(host) { return DojoAccess(token: nil, generated: false) }
        return DojoAccess(token: generateToken(), generated: true)
    }

    /// Whether `host` is a loopback address: `localhost`, `::1` or anything in `127.0.0.0/8`.
    package static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[] ")).lowercased()
        if bare == "localhost" || bare == "::1" || bare == "0:0:0:0:0:0:0:1" { return true }
        let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// 32 random bytes from the system's secure generator, as 64 hex digits.
    package static func generateToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    /// Whether a request with this `Authorization` header may pass.
    ///
    /// - Parameter authorization: The header's value, if any.
    /// - Returns: `true` on an open server, or when the header is `Bearer <token>` with the right token.
    package func allows(authorization: String?) -> Bool {
        guard let token else { return true }
        guard let authorization else { return false }
        let scheme = "bearer "
        guard authorization.count > scheme.count, authorization.prefix(scheme.count).lowercased() == scheme else { return false }
        let given = authorization.dropFirst(scheme.count).trimmingCharacters(in: .whitespaces)
        return Self.sameBytes(Array(given.utf8), Array(token.utf8))
    }

    /// Compares in time that depends only on the lengths, so the token cannot be guessed byte by byte from timings.
    static func sameBytes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
