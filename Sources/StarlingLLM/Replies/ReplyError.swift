/// A model's reply that could not be turned into what was asked for: JSON that does not
/// decode, or code that is missing or does not parse. Never fatal: the caller may ask again.
package struct ReplyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was expected.
    package enum Kind: String, Sendable, Hashable {
        /// A JSON value decoded into a Codable type.
        case json
        /// A Python code block.
        case code
    }

    /// What was expected.
    package var kind: Kind
    /// What failed, e.g. "no JSON object found" or "line 3: invalid syntax".
    package var message: String
    /// The reply text that failed, for logs and repair prompts.
    package var reply: String
    /// The 1-based line of the failure in the extracted code or JSON, when known.
    package var line: Int?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - kind: What was expected.
    ///   - message: What failed.
    ///   - reply: The reply text.
    ///   - line: The 1-based line of the failure, when known.
    package init(_ kind: Kind, _ message: String, reply: String, line: Int? = nil) {
        self.kind = kind
        self.message = message
        self.reply = reply
        self.line = line
    }

    package var description: String {
        let what = kind == .json ? "JSON reply" : "Python code reply"
        let preview = reply.count > 200 ? String(reply.prefix(200)) + "…" : reply
        return "unusable \(what): \(message). Reply began: \(preview.debugDescription)"
    }
}
