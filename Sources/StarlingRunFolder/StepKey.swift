import StarlingCore
import StarlingStore

/// The name of one step of a search, unique in its run: the journal keys nodes, LLM calls and
/// artifacts by it, and a resumed run finds finished work by it. A path of parts separated by
/// `/`, built with the functions below rather than by string interpolation:
///
/// - roots: `candidate/2`, `branch1`, `ensemble/1`, `aide/3`, `rescue/1`, `final/17`;
/// - children: `candidate/2/example`, `branch1/merge/2`, `branch1/refine/1/inner/3`,
///   `…/debug/1`, `…/repair/1`, `…/no-code`.
package struct StepKey: Sendable, Hashable, Codable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The parts, e.g. `["branch1", "refine", "2"]`.
    package let parts: [String]

    /// A key from its written form (`branch1/refine/2`).
    package init(_ path: String) { parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init) }
    package init(stringLiteral value: String) { self.init(value) }
    private init(parts: [String]) { self.parts = parts }

    package var description: String { parts.joined(separator: "/") }
    package static func < (a: StepKey, b: StepKey) -> Bool { a.description < b.description }

    package init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// This key with `name` (and `number`, when given) added: `x` → `x/debug/2`.
    package func appending(_ name: String, _ number: Int? = nil) -> StepKey {
        StepKey(parts: parts + [name] + (number.map { [String($0)] } ?? []))
    }

    // MARK: Roots

    /// The run as a whole (LLM calls made outside any step).
    package static let run: StepKey = "run"
    /// MLE-STAR's `n`-th candidate (from 1).
    package static func candidate(_ n: Int) -> StepKey { StepKey(parts: ["candidate", String(n)]) }
    /// MLE-STAR's `n`-th solution branch (from 1): `branch1`.
    package static func branch(_ n: Int) -> StepKey { StepKey(parts: ["branch\(n)"]) }
    /// MLE-STAR's ensemble round `n`.
    package static func ensemble(_ n: Int) -> StepKey { StepKey(parts: ["ensemble", String(n)]) }
    /// AIDE's step `n`.
    package static func aide(_ n: Int) -> StepKey { StepKey(parts: ["aide", String(n)]) }
    /// AIDE's run of a card example, by card id.
    package static func aideExample(_ card: String) -> StepKey { StepKey(parts: ["aide", "example", card]) }
    /// A peer's step `n` (aideml's own step numbers).
    package static func aideml(_ n: Int) -> StepKey { StepKey(parts: ["aideml", String(n)]) }
    /// The n-th stack: a blend of nodes chosen on their out-of-fold predictions, no LLM.
    package static func stack(_ n: Int) -> StepKey { StepKey(parts: ["stack", String(n)]) }
    /// The n-th decision for the metric: a calibration fitted on out-of-fold predictions, no LLM.
    package static func calibrate(_ n: Int) -> StepKey { StepKey(parts: ["calibrate", String(n)]) }
    /// Trial `trial` of tuning node `node`'s model settings (no LLM).
    package static func tune(node: Int, trial: Int) -> StepKey { StepKey(parts: ["tune", String(node), String(trial)]) }
    /// The model's proposal of values to try when tuning node `node` (an LLM call, no script).
    package static func tuneSpace(node: Int) -> StepKey { StepKey(parts: ["tune", String(node), "space"]) }
    /// A card example run when the search left no working solution.
    package static func rescue(_ n: Int) -> StepKey { StepKey(parts: ["rescue", String(n)]) }
    /// Reading a repository with the exploration tools (`explore`).
    package static let explore = StepKey(parts: ["explore"])
    /// Attempt `n` of a repo task's script (`attempt/n`).
    package static func attempt(_ n: Int) -> StepKey { StepKey(parts: ["attempt", String(n)]) }
    /// The final rerun of node `id` on all training rows.
    package static func final(node id: Int) -> StepKey { StepKey(parts: ["final", String(id)]) }

    // MARK: Children

    /// A card's example script, run unchanged.
    package var example: StepKey { appending("example") }
    /// Debug attempt `n` of this step's script.
    package func debug(_ n: Int) -> StepKey { appending("debug", n) }
    /// Repair `n` made without the LLM.
    package func repair(_ n: Int) -> StepKey { appending("repair", n) }
    /// The node recorded when no reply held a script.
    package var noCode: StepKey { appending("no-code") }
    /// Merging candidate `n` into a branch.
    package func merge(_ n: Int) -> StepKey { appending("merge", n) }
    /// Outer refinement round `n` of a branch.
    package func refine(_ n: Int) -> StepKey { appending("refine", n) }
    /// Inner step `n` of a refinement round.
    package func inner(_ n: Int) -> StepKey { appending("inner", n) }
    package var dataUsage: StepKey { appending("data-usage") }
    package var leakageReview: StepKey { appending("leakage-review") }
    package var leakageFix: StepKey { appending("leakage-fix") }
    package var ablation: StepKey { appending("ablation") }
    /// Artifact: the ablation study's summary.
    package var ablationSummary: StepKey { appending("ablation-summary") }
    /// Artifact: the code block chosen for refinement, with its plan.
    package var block: StepKey { appending("block") }
    /// Artifact: the function chosen for refinement, with its plan.
    package var function: StepKey { appending("function") }

    // MARK: Reading

    /// The first part (`candidate`, `branch1`, `aide`, `final`, ...).
    package var root: String { parts.first ?? "" }

    /// The key up to (not including) its `refine/<n>` parts: `branch1` for `branch1/refine/2/block`;
    /// `nil` when the key is not inside a refinement round.
    package var refinementScope: StepKey? {
        guard let index = parts.firstIndex(of: "refine") else { return nil }
        return StepKey(parts: Array(parts[..<index]))
    }

    /// Whether this key is `other` or below it.
    package func isWithin(_ other: StepKey) -> Bool { parts.starts(with: other.parts) }
}

extension Journal {
    /// The node step `step` recorded, if any.
    package func node(for step: StepKey) throws -> JournalNode? { try node(forStep: step.description) }

    /// Creates the node of step `step`; see ``Journal/createNode(stepKey:_:)``.
    package func createNode(step: StepKey, _ make: @Sendable (Int) -> Node) throws -> Node {
        try createNode(stepKey: step.description, make)
    }
}

extension JournalNode {
    /// A node under its step key.
    package init(step: StepKey, node: Node) { self.init(stepKey: step.description, node: node) }

    /// The typed step key.
    package var step: StepKey { StepKey(stepKey) }
}
