/// Tokens one call consumed, as the provider reported them.
package struct TokenUsage: Sendable, Hashable, Codable {
    /// Tokens of the prompt.
    package var promptTokens: Int
    /// Tokens of the reply.
    package var completionTokens: Int

    /// Creates a usage record.
    ///
    /// - Parameters:
    ///   - promptTokens: Tokens of the prompt.
    ///   - completionTokens: Tokens of the reply.
    package init(promptTokens: Int = 0, completionTokens: Int = 0) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    /// Prompt and reply tokens together.
    package var totalTokens: Int { promptTokens + completionTokens }

    /// The sum of two usages.
    package static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(promptTokens: lhs.promptTokens + rhs.promptTokens,
                   completionTokens: lhs.completionTokens + rhs.completionTokens)
    }
}
