/// The code block MLE-STAR chose to refine in a round, with the plan for it: the artifact
/// `<branch>/refine/<n>/block` (whole-script edits), also the planner's structured reply.
public struct BlockPlan: Codable, Sendable, Hashable {
    /// The block, quoted from the script.
    public var code_block: String
    /// What to try on it first.
    public var plan: String

    public init(code_block: String, plan: String) {
        self.code_block = code_block
        self.plan = plan
    }
}

/// The function MLE-STAR chose to refine in a round, with the plan for it: the artifact
/// `<branch>/refine/<n>/function` (function edits), also the planner's structured reply.
public struct FunctionPlan: Codable, Sendable, Hashable {
    /// The function's name.
    public var function: String
    /// What to try on it first.
    public var plan: String

    public init(function: String, plan: String) {
        self.function = function
        self.plan = plan
    }
}
