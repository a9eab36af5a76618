/// One message of a conversation.
package struct ChatMessage: Sendable, Hashable, Codable {
    /// Who speaks.
    package enum Role: String, Sendable, Hashable, Codable {
        /// Instructions that frame the conversation.
        case system
        /// The person or agent asking.
        case user
        /// The model.
        case assistant
    }

    /// Who speaks.
    package var role: Role
    /// The text.
    package var content: String

    /// A system message.
    package static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }
    /// A user message.
    package static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }
    /// An assistant message.
    package static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: .assistant, content: content) }
}
