import Foundation
import StarlingCore
import StarlingStore
import StarlingRunFolder

/// AIDE (Weco): tree search over whole scripts — draft, debug, improve — on the same search core
/// as MLE-STAR: same sandbox, harness scores, journal, budget and run folder.
package struct AIDEStrategy: SearchStrategy {
    package let name = StrategyName.aide.rawValue
    /// The policy that picks each step.
    package var policy: AIDEPolicy
    /// Steps before stopping (the budget may stop it sooner).
    package var maxSteps: Int
    /// Seed for the debug coin; each step's roll depends only on the seed and the step number,
    /// so a resumed run makes the same choices.
    package var seed: UInt64
    /// Approximate token budget for the memory of earlier solutions shown to the LLM.
    package var memoryTokens: Int

    /// Creates the strategy.
    /// Its line in the ``StrategyCatalogue``; it reads ``AgentSettings/aideSteps``.
    package static let entry = StrategyCatalogue.Entry(
        name: StrategyName.aide.rawValue,
        summary: "AIDE: tree search over whole scripts, drafting, debugging and improving") { AIDEStrategy(maxSteps: $0.aideSteps) }

    package init(policy: AIDEPolicy = AIDEPolicy(), maxSteps: Int = 20, seed: UInt64 = 0, memoryTokens: Int = 600) {
        self.policy = policy
        self.maxSteps = maxSteps
        self.seed = seed
        self.memoryTokens = memoryTokens
    }

    package func search(in context: SearchContext) async throws -> Node? {
        context.startWarmingPromptCache()
        _ = try await context.beforeEnsembleStage {
            // The tuning action runs beside the tree search, as in MLE-STAR: no LLM, its trials'
            // scripts run while the model writes the next node.
            async let tuning: Void = tuneAlongside(context: context)
            try await treeSearch(context: context)
            try await tuning
        }
        // The same ensemble stage as MLE-STAR's: a stack of the tree's best scripts, no LLM.
        try await context.closingActions()
        return context.bestSolution()
    }

    /// Tunes the best card example (``SearchContext/tuneBestExample()``) as soon as the tree
    /// has run one; nothing when scripts are written whole (no card examples run) or the search
    /// ends first.
    func tuneAlongside(context: SearchContext) async throws {
        guard context.editFormat != .whole, context.settings.tuneTrials > 0, context.crossValidator != nil else { return }
        while context.exhausted() == nil, !context.ensembleStageReached {
            let examples = ((try? context.journal.nodes()) ?? []).filter { $0.node.origin == .example && $0.node.status == .succeeded }
            if !examples.isEmpty {
                _ = try await context.tuneBestExample(askModel: true)
                return
            }
            try await Task.sleep(for: .seconds(2))
        }
    }

    /// The tree search: drafts, debug and improvement steps until the step limit or the budget.
    func treeSearch(context: SearchContext) async throws {
        for step in 1...max(1, maxSteps) {
            guard context.exhausted() == nil else { break }
            let nodes = ((try? context.journal.nodes()) ?? []).filter { $0.step.root == "aide" }.map(\.node)
            let action = policy.next(nodes: nodes, direction: context.direction, roll: Self.roll(seed: seed, step: step))
            let key = StepKey.aide(step)
            if context.editFormat != .whole {
                try await editStep(action, key: key, nodes: nodes, context: context)
                continue
            }
            switch action {
            case .draft:
                _ = try await run(key, stage: .draft, parent: nil, context: context) {
                    try await context.askPlanAndCode(.coder, prompt: context.prompts.render(.aideDraft, [
                        "task_context": context.taskContext(), "memory": memory(nodes, context: context),
                    ]), temperature: 0.7)
                }
            case .debug(let node):
                _ = try await run(key, stage: .debug, parent: node.id, context: context) {
                    try await context.askPlanAndCode(.coder, prompt: context.prompts.render(.debug, [
                        "task_context": context.taskContext(), "code": node.code, "error": node.error ?? "unknown error",
                    ]))
                }
            case .improve(let node):
                _ = try await run(key, stage: .improve, parent: node.id, context: context) {
                    try await context.askPlanAndCode(.coder, prompt: context.prompts.render(.aideImprove, [
                        "task_context": context.taskContext(), "memory": memory(nodes, context: context),
                        "code": node.code, "score": node.harnessScore.map { String(format: "%.5g", $0) } ?? "?",
                    ]))
                }
            }
        }
    }

    /// One step with edits (small models): a draft edits a model card's example (run first,
    /// unchanged, once per card), a debug step tries a grounded repair before asking for a fix of
    /// the failing function, and an improvement edits the chosen node.
    func editStep(_ action: AIDEPolicy.Action, key: StepKey, nodes: [Node], context: SearchContext) async throws {
        if let done = try context.journal.node(for: key), done.node.status != .pending { return }
        switch action {
        case .draft:
            let drafts = nodes.filter { $0.stage == .draft }.count
            let cards = try await context.retrieveCards(limit: context.settings.candidates)
            let card = cards[drafts % cards.count]
            let (example, _) = try await context.execute(step: .aideExample(card.id), stage: .candidate, parent: nil,
                                                         plan: "model card example \(card.name), unchanged", code: card.example, origin: .example)
            guard example.status == .succeeded else {
                _ = try await run(key, stage: .draft, parent: nil, context: context) {
                    try await context.askPlanAndCode(.coder, prompt: context.prompts.render(.aideDraft, [
                        "task_context": context.taskContext(), "memory": memory(nodes, context: context),
                    ]), temperature: 0.7)
                }
                return
            }
            let (function, idea) = await context.editIdea(for: example.code, turn: drafts / cards.count)
            _ = try await run(key, stage: .draft, parent: example.id, context: context) {
                let code = try await context.askEdit(.coder, base: example.code, score: example.harnessScore,
                                                     instruction: context.prompts.render(.instructCandidate, [
                                                         "model_name": card.name, "score": example.harnessScore.map { String(format: "%.5g", $0) } ?? "?",
                                                         "metric": context.task.spec.metric.rawValue, "direction": context.direction.rawValue,
                                                         "idea": idea, "lessons": context.lessonNote(function: function, idea: idea),
                                                     ]), function: function)
                return ("\(card.name) example: \(idea)", code)
            }
        case .debug(let node):
            let repaired = try await context.repairWithoutLLM(step: key, attempt: 1, failed: node, stage: .debug, grade: true)
            if repaired?.applied == true { return }
            _ = try await run(key, stage: .debug, parent: node.id, context: context) {
                ("fix the failed parent", try await context.debugScript(node, hints: repaired?.hints ?? []))
            }
        case .improve(let node):
            let (function, idea) = await context.editIdea(for: node.code, turn: nodes.filter { $0.stage == .improve }.count)
            _ = try await run(key, stage: .improve, parent: node.id, context: context) {
                let code = try await context.askEdit(.coder, base: node.code, score: node.harnessScore,
                                                     instruction: context.prompts.render(.instructImprove, [
                                                         "memory": memory(nodes, context: context), "idea": idea,
                                                         "lessons": context.lessonNote(function: function, idea: idea),
                                                     ]), function: function)
                return (idea, code)
            }
        }
    }

    /// Produces a plan and script, runs it as one node; an unusable reply is a failed node.
    func run(_ key: StepKey, stage: NodeStage, parent: Int?, context: SearchContext,
             produce: @Sendable () async throws -> (plan: String, code: String)) async throws -> Node {
        if let done = try context.journal.node(for: key), done.node.status != .pending { return done.node }
        let code: String
        let plan: String
        do {
            let reply = try await CurrentStep.$key.withValue(key) { try await produce() }
            code = reply.code
            plan = reply.plan.isEmpty ? Self.defaultPlan(stage) : reply.plan
        } catch let error as CancellationError {
            throw error
        } catch {
            context.report("\(key): the LLM gave no usable script (\(error))", kind: .warning)
            return try context.journal.createNode(step: key) {
                Node(id: $0, parentID: parent, stage: stage, plan: "\(stage.rawValue): no usable reply", code: "", status: .failed,
                     error: "The LLM's reply held no usable script: \(error)")
            }
        }
        return try await context.execute(step: key, stage: stage, parent: parent, plan: plan, code: code).0
    }

    static func defaultPlan(_ stage: NodeStage) -> String {
        switch stage {
        case .draft: "draft a new solution"
        case .debug: "fix the failed parent"
        default: "one atomic improvement of the parent"
        }
    }

    /// Summaries of earlier working nodes, best and most recent first, cut to `memoryTokens`
    /// (about four characters a token) so long runs fit a small model's context.
    func memory(_ nodes: [Node], context: SearchContext) -> String {
        let good = nodes.filter { $0.status == .succeeded && $0.harnessScore != nil }
        guard !good.isEmpty else { return "" }
        let best = good.sorted { context.direction.isBetter($0.harnessScore!, than: $1.harnessScore!) }
        var ordered: [Node] = []
        for node in Array(best.prefix(3)) + good.sorted(by: { $0.id > $1.id }) where !ordered.contains(where: { $0.id == node.id }) {
            ordered.append(node)
        }
        var lines: [String] = []
        var used = 0
        for node in ordered {
            let line = "- node \(node.id) (\(node.stage.rawValue), score \(String(format: "%.5g", node.harnessScore!))): \(node.plan.prefix(200))"
            used += line.count / 4 + 1
            if used > memoryTokens { break }
            lines.append(line)
        }
        return context.prompts.fragment(.aideMemory) + "\n" + lines.joined(separator: "\n") + "\n"
    }

    /// A reproducible uniform number in 0..<1 for `step`.
    static func roll(seed: UInt64, step: Int) -> Double {
        var x = seed &+ UInt64(step) &* 0x9E37_79B9_7F4A_7C15
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        x ^= x >> 31
        return Double(x >> 11) / Double(1 << 53)
    }
}
