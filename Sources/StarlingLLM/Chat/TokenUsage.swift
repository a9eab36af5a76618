/// Tokens one call consumed, as the provider reported them.
package struct TokenUsage: Sendable, Hashable, Codable {
    /// Tokens of the prompt.
    package var promptTokens: Int = 0
    /// Tokens of the reply.
    package var completionTokens: Int = 0

    /// Prompt and reply tokens together.
    package var totalTokens: Int { promptTokens + completionTokens }

    /// The sum of two usages.
    package static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(promptTokens: lhs.promptTokens + rhs.promptTokens,
                   completionTokens: lhs.completionTokens + rhs.completionTokens)
    }
}
