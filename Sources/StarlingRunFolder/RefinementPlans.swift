/// The code block MLE-STAR chose to refine in a round, with the plan for it: the artifact
/// `<branch>/refine/<n>/block` (whole-script edits), also the planner's structured reply.
package struct BlockPlan: Codable, Sendable, Hashable {
    /// The block, quoted from the script.
    package var code_block: String
    /// What to try on it first.
    package var plan: String

    package init(code_block: String, plan: String) {
        self.code_block = code_block
        self.plan = plan
    }
}

/// The function MLE-STAR chose to refine in a round, with the plan for it: the artifact
/// `<branch>/refine/<n>/function` (function edits), also the planner's structured reply.
package struct FunctionPlan: Codable, Sendable, Hashable {
    /// The function's name.
    package var function: String
    /// What to try on it first.
    package var plan: String
}
