/// A reply decoded into a value, with the model calls it took.
package struct StructuredReply<Value: Sendable>: Sendable {
    /// The decoded value.
    package var value: Value
    /// Every reply, in order: the first, then any repair.
    package var responses: [ChatResponse]

    /// The reply the value came from.
    package var response: ChatResponse { responses[responses.count - 1] }
    /// Whether a repair request was needed.
    package var wasRepaired: Bool { responses.count > 1 }
    /// Tokens of all the calls together.
    package var usage: TokenUsage { responses.reduce(TokenUsage()) { $0 + $1.usage } }
}
