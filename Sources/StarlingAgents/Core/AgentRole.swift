/// Who an LLM call is for; each role may use a different model.
package enum AgentRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// Writes and fixes scripts.
    case coder
    /// Proposes plans, picks code blocks, summarises ablations.
    case planner
    /// Reviews scripts for leakage and data usage.
    case reviewer
}
