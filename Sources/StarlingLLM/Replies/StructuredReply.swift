/// A reply decoded into a value, with the model calls it took.
public struct StructuredReply<Value: Sendable>: Sendable {
    /// The decoded value.
    public var value: Value
    /// Every reply, in order: the first, then any repair.
    public var responses: [ChatResponse]

    /// Creates a reply.
    ///
    /// - Parameters:
    ///   - value: The decoded value.
    ///   - responses: The replies it took.
    public init(value: Value, responses: [ChatResponse]) {
        self.value = value
        self.responses = responses
    }

    /// The reply the value came from.
    public var response: ChatResponse { responses[responses.count - 1] }
    /// Whether a repair request was needed.
    public var wasRepaired: Bool { responses.count > 1 }
    /// Tokens of all the calls together.
    public var usage: TokenUsage { responses.reduce(TokenUsage()) { $0 + $1.usage } }
}
