import Foundation
import StarlingCore
import StarlingLLM
import StarlingStore
import StarlingRunFolder
import StarlingBench

/// MLE-STAR: retrieve models → one candidate script per model → merge the candidates into the
/// best → leakage and data-usage checks → ablation-guided refinement of one code block (outer
/// rounds T, inner steps K) → ensemble of the branches' final scripts (R rounds).
///
/// Differences from the paper, on purpose: candidates are drafted once and shared by the L
/// branches (branch b starts from the b-th best candidate), which halves the LLM work on small
/// local models; every score comes from the harness's hidden dev rows; a failed candidate falls
/// back to its model card's example script, so a weak model still yields working candidates.
package struct MLESTARStrategy: SearchStrategy {
    package let name = StrategyName.mleStar.rawValue

    /// Creates the strategy; its parameters come from ``AgentSettings``.
    package init() {}

    /// Its line in the ``StrategyCatalogue``.
    package static let entry = StrategyCatalogue.Entry(
        name: StrategyName.mleStar.rawValue,
        summary: "MLE-STAR: candidates from model cards, merge, ablation-guided refinement, ensembles") { _ in MLESTARStrategy() }

    struct LeakageVerdict: Codable, Sendable {
        var leakage: String
        var explanation: String
    }

    package func search(in context: SearchContext) async throws -> Node? {
        let settings = context.settings
        context.report("retrieving \(settings.candidates) candidate models", kind: .stage)
        let cards = try await context.retrieveCards(limit: settings.candidates)
        context.report("candidates: " + cards.map(\.name).joined(separator: ", "), kind: .stage)

        let cut = try await context.beforeEnsembleStage { try await candidatesAndBranches(cards, context: context) }
        if cut == nil, context.solutions().isEmpty { return nil }
        // The ensemble stage: a stack chosen on out-of-fold predictions and a calibration (no
        // LLM), then the model's own ensembles of the branches' scripts, which compete with them.
        try await context.closingActions()
        let finals = cut ?? Array(context.rankedSolutions().filter { $0.origin != .stack }.prefix(settings.branches)).sorted { $0.id < $1.id }
        if finals.count >= 2 && settings.ensembleRounds > 0 && context.exhausted() == nil {
            try await ensemble(finals, context: context)
        }
        return context.bestSolution()
    }

    /// Candidates, then the branches (merges, checks, refinement); returns the branches' final scripts.
    func candidatesAndBranches(_ cards: [ModelCard], context: SearchContext) async throws -> [Node] {
        let settings = context.settings
        var candidates: [Node] = []
        var labels: [Int: String] = [:]
        // With edits the card examples run first (the prompt cache warms meanwhile); the tuning
        // action then searches the best one's settings (no LLM) while the model edits the
        // candidates and works the branches.
        let edits = context.editFormat != .whole
        var examples: [Int: Node] = [:]
        if edits {
            context.startWarmingPromptCache()
            examples = try await Self.runExamples(cards, context: context)
        }
        async let tuning: Node? = edits ? context.tuneBestExample(askModel: true) : nil
        if edits {
            for (node, card) in try await editedCandidates(cards, examples: examples, context: context) {
                candidates.append(node)
                labels[node.id] = Self.label(of: card)
            }
        } else {
            // Candidates: at most two in flight, so one's LLM call overlaps the other's execution.
            let drafted = try await Self.twoAtATime(cards) { index, card in
                context.exhausted() == nil ? try await candidate(index + 1, card: card, context: context) : nil
            }
            candidates = drafted.keys.sorted().compactMap { drafted[$0] ?? nil }
        }
        for candidate in candidates { await context.crossValidated(candidate) }  // not the tuning trials still running
        let order = context.rankedSolutions().map(\.id)
        let ranked = candidates.filter { $0.status == .succeeded && $0.harnessScore != nil }
            .sorted { (order.firstIndex(of: $0.id) ?? .max) < (order.firstIndex(of: $1.id) ?? .max) }
        guard !ranked.isEmpty else {
            context.report("no candidate produced a valid submission", kind: .warning)
            return []
        }

        let branchCount = min(settings.branches, ranked.count)
        let cardLabels = labels
        var finals: [Node] = []
        try await withThrowingTaskGroup(of: Node.self) { group in
            for branch in 0..<branchCount {
                group.addTask { try await runBranch(branch, base: ranked[branch], candidates: ranked, labels: cardLabels, context: context) }
            }
            for try await node in group { finals.append(node) }
        }
        finals.sort { $0.id < $1.id }
        _ = try? await tuning
        return finals
    }

    /// One candidate per model card with whole-script replies (the paper's step): the model writes
    /// the script from the card, falling back to the card's example when every version fails.
    func candidate(_ number: Int, card: ModelCard, context: SearchContext) async throws -> Node {
        try await context.develop(step: .candidate(number), stage: .candidate, parent: nil,
                                  plan: "candidate model: \(card.name)", fallback: card.example) {
            try await context.askCode(.coder, prompt: context.prompts.render(.candidate, [
                "task_context": context.taskContext(), "model_name": card.name, "model_card": card.promptText,
            ]))
        }
    }

    /// Candidates with edits: given every card's example run unchanged (``runExamples(_:context:)``),
    /// the model edits them, best example first, each with its own concrete change
    /// (`edit_ideas.md`), so when time runs short the best cards were edited first. A card's
    /// candidate is the better of its example and its edit, so an unhelpful edit costs nothing later.
    func editedCandidates(_ cards: [ModelCard], examples: [Int: Node], context: SearchContext) async throws -> [(node: Node, card: ModelCard)] {
        let order = examples.keys.sorted { a, b in
            let x = examples[a]!, y = examples[b]!
            switch (x.status == .succeeded ? x.harnessScore : nil, y.status == .succeeded ? y.harnessScore : nil) {
            case let (p?, q?): return p == q ? a < b : context.direction.isBetter(p, than: q)
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a < b
            }
        }
        // Two candidates in flight, started best example first: with a local model its requests
        // pass one at a time (``RequestGate``), so one candidate's script runs while the other's
        // request is answered, and the model is not idle between candidates.
        let edited = try await Self.twoAtATime(order) { _, index in
            try await editedCandidate(index, example: examples[index]!, card: cards[index], context: context)
        }
        return order.enumerated().compactMap { position, index in edited[position].map { ($0, cards[index]) } }
    }

    /// Runs every card's example script, unchanged, two at a time (no LLM); returns the nodes by
    /// card index. Shared with ``ExamplesStrategy``.
    static func runExamples(_ cards: [ModelCard], context: SearchContext) async throws -> [Int: Node] {
        try await twoAtATime(cards) { index, card in
            try await context.execute(step: StepKey.candidate(index + 1).example, stage: .candidate, parent: nil,
                                      plan: "model card example \(card.name), unchanged", code: card.example, origin: .example).0
        }
    }

    /// Runs `work` on each of `items`, two at a time, started in order (one's script runs while the
    /// other's LLM request is answered); returns the results by the items' positions.
    static func twoAtATime<Item: Sendable, Output: Sendable>(_ items: [Item],
                                                              _ work: @escaping @Sendable (Int, Item) async throws -> Output) async throws -> [Int: Output] {
        var results: [Int: Output] = [:]
        try await withThrowingTaskGroup(of: (Int, Output).self) { group in
            var next = 0
            func launch() {
                guard next < items.count else { return }
                let index = next, item = items[index]
                next += 1
                group.addTask { (index, try await work(index, item)) }
            }
            launch()
            launch()
            while let (index, output) = try await group.next() {
                results[index] = output
                launch()
            }
        }
        return results
    }

    /// A name part for a card's model function in a merged script: `lightgbm_tabular`.
    static func label(of card: ModelCard) -> String {
        let text = card.id.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
        return String(text).split(separator: "_").joined(separator: "_")
    }

    /// Card `index`'s candidate: the better of its example and an edit of it with the index's idea.
    func editedCandidate(_ index: Int, example: Node, card: ModelCard, context: SearchContext) async throws -> Node {
        guard example.status == .succeeded, context.exhausted() == nil else { return example }
        let (function, idea) = await context.editIdea(for: example.code, turn: index)
        let edited = try await context.develop(step: .candidate(index + 1), stage: .candidate, parent: example.id,
                                               plan: "candidate model: \(card.name); \(idea)", debugRounds: context.editDebugRounds) {
            try await context.askEdit(.coder, base: example.code, score: example.harnessScore, instruction: context.prompts.render(.instructCandidate, [
                "model_name": card.name, "score": Self.format(example.harnessScore), "metric": context.task.spec.metric.rawValue,
                "direction": context.direction.rawValue, "idea": idea, "lessons": context.lessonNote(function: function, idea: idea),
            ]), function: function)
        }
        await context.learn(edited, from: example, change: SearchContext.changeKind(function: function, idea: idea))
        return await context.shouldReplace(example, with: edited) ? edited : example
    }

    // MARK: Branch: merge, checks, refinement

    func runBranch(_ branch: Int, base: Node, candidates: [Node], labels: [Int: String], context: SearchContext) async throws -> Node {
        let prefix = StepKey.branch(branch + 1)
        var best = base
        context.report("\(prefix): starting from node \(base.id) (\(base.plan))", kind: .stage)
        for (index, other) in candidates.enumerated() where other.id != base.id {
            guard context.exhausted() == nil else { return best }
            let current = best
            let merged = try await context.develop(step: prefix.merge(index + 1), stage: .merge, parent: current.id,
                                                   plan: "merge \(other.plan) into node \(current.id)", debugRounds: context.editDebugRounds) {
                guard context.editFormat != .whole else {
                    return try await context.askCode(.coder, prompt: context.prompts.render(.merge, [
                        "task_context": context.taskContext(),
                        "base_code": current.code, "base_score": Self.format(current.harnessScore),
                        "other_code": other.code, "other_score": Self.format(other.harnessScore),
                    ]))
                }
                // Card-shaped scripts: the other script's model function (with what it needs) is
                // put into the base script as it is, and the model writes only the combination,
                // a few lines of `fit_predict`. Merges written whole by the 1.5B model failed in
                // most cells (the other model met strings the base script never encoded).
                if let merge = try await blendMerge(current, other: other, labels: labels, context: context) { return merge }
                // Otherwise only the other script's model function travels: small prompts, one place to merge into.
                let otherModel = await context.functionSource(Self.modelFunction, in: other.code) ?? other.code
                return try await context.askEdit(.coder, base: current.code, score: current.harnessScore,
                                                 instruction: context.prompts.render(.instructMerge, [
                                                     "other_code": otherModel, "other_score": Self.format(other.harnessScore),
                                                     "base_score": Self.format(current.harnessScore),
                                                 ]),
                                                 function: await context.functionSource(Self.modelFunction, in: current.code) == nil ? nil : Self.modelFunction)
            }
            await context.learn(merged, from: current, change: "merge: another model's fit_predict")
            if await context.shouldReplace(current, with: merged) {
                best = merged
            } else {
                context.report("\(prefix): merge with node \(other.id) discarded (\(merged.status == .succeeded ? "no gain beyond its noise" : "failed"))")
            }
        }
        best = try await checkDataUsage(prefix, best: best, context: context)
        best = try await reviewLeakage(prefix, best: best, context: context)
        for round in 0..<context.settings.refineRounds {
            guard context.exhausted() == nil else { break }
            best = try await refine(prefix, round: round + 1, best: best, context: context)
        }
        return best
    }

    /// A merge of `other` into `current` as a short edit: `other`'s model function is transplanted
    /// into `current` (``EditApplier/transplant(_:from:into:baseLabel:otherLabel:scratch:)``) and
    /// the model rewrites `fit_predict`, which at first returns `current`'s predictions only, to
    /// combine the two. `nil` when the scripts are not card-shaped.
    func blendMerge(_ current: Node, other: Node, labels: [Int: String], context: SearchContext) async throws -> String? {
        let scratch = context.harness.runFolder.appendingPathComponent(".edits/merge-\(current.id)-\(other.id)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let baseLabel = current.stage == .merge ? "blend" : labels[current.id] ?? "base"
        guard context.editFormat == .function,
              let merged = await context.editor.transplant(Self.modelFunction, from: other.code, into: current.code,
                                                           baseLabel: baseLabel, otherLabel: labels[other.id] ?? "other", scratch: scratch)
        else { return nil }
        let otherBetter = if let mine = current.harnessScore, let theirs = other.harnessScore { context.direction.isBetter(theirs, than: mine) } else { false }
        return try await context.askEdit(.coder, base: merged.source, score: current.harnessScore,
                                         instruction: context.prompts.render(.instructMergeBlend, [
                                             "other_function": merged.otherFunction, "other_score": Self.format(other.harnessScore),
                                             "base_function": merged.baseFunction, "base_score": Self.format(current.harnessScore),
                                             "better_function": otherBetter ? merged.otherFunction : merged.baseFunction,
                                         ]), function: Self.modelFunction)
    }

    func checkDataUsage(_ prefix: StepKey, best: Node, context: SearchContext) async throws -> Node {
        guard context.settings.dataUsageCheck, context.exhausted() == nil else { return best }
        // `layout.json` describes the view's files for the agent; it holds no data to use (asked
        // about it, the 1.5B model spent 86 s of a 10-minute run on a 4,400-token prompt).
        let standard: Set<String> = ["train.csv", "test.csv", "sample_submission.csv", "description.md", AgentView.layoutFile]
        let unused = context.profile.columns.keys.filter { !standard.contains($0) && !best.code.contains($0) }.sorted()
        guard !unused.isEmpty else { return best }
        let node = try await context.develop(step: prefix.dataUsage, stage: .improve, parent: best.id,
                                             plan: "use the provided files: \(unused.joined(separator: ", "))") {
            guard context.editFormat != .whole else {
                return try await context.askCode(.coder, prompt: context.prompts.render(.dataUsage, [
                    "task_context": context.taskContext(), "code": best.code, "unused": unused.joined(separator: ", "),
                ]))
            }
            return try await context.askEdit(.coder, base: best.code, score: best.harnessScore,
                                             instruction: context.prompts.render(.instructDataUsage, ["unused": unused.joined(separator: ", ")]))
        }
        return await context.shouldReplace(best, with: node) ? node : best
    }

    func reviewLeakage(_ prefix: StepKey, best: Node, context: SearchContext) async throws -> Node {
        guard context.settings.leakageReview, context.exhausted() == nil else { return best }
        let key = prefix.leakageReview
        let verdict: LeakageVerdict
        if let stored = try context.journal.artifact(LeakageVerdict.self, forKey: key.description) {
            verdict = stored
        } else {
            // An unchanged card example needs no review; an edited one is reviewed in what changed.
            guard let prompt = await context.leakageReviewPrompt(for: best.code) else { return best }
            do {
                verdict = try await CurrentStep.$key.withValue(key) {
                    try await context.askJSON(LeakageVerdict.self, .reviewer, prompt: prompt,
                                              schema: JSONSchema.object([
                                                  "leakage": JSONSchema.oneOf(["yes", "no"]),
                                                  "explanation": JSONSchema.string(maxLength: 400),
                                              ]))
                }
            } catch let error as CancellationError {
                throw error
            } catch {
                context.report("\(prefix): leakage review gave no usable answer (\(error))", kind: .warning)
                return best
            }
            try context.journal.setArtifact(verdict, forKey: key.description)
        }
        guard verdict.leakage.lowercased() == "yes" else { return best }
        context.report("\(prefix): reviewer suspects leakage in node \(best.id): \(verdict.explanation)", kind: .leakWarning)
        let fixed = try await context.develop(step: prefix.leakageFix, stage: .improve, parent: best.id,
                                              plan: "remove leakage: \(verdict.explanation)") {
            guard context.editFormat != .whole else {
                return try await context.askCode(.coder, prompt: context.prompts.render(.leakageFix, [
                    "task_context": context.taskContext(), "code": best.code, "explanation": verdict.explanation,
                ]))
            }
            return try await context.askEdit(.coder, base: best.code, score: best.harnessScore,
                                             instruction: context.prompts.render(.instructLeakageFix, ["explanation": verdict.explanation]))
        }
        // A leak-free script replaces the leaky one even when its (honest) score is lower.
        return fixed.status == .succeeded ? fixed : best
    }

    /// The artifacts of the same kind (`block` or `function`) that earlier refinement rounds of
    /// the same branch stored, so a round can avoid what was refined before.
    static func earlierRounds(of key: StepKey, in journal: Journal) throws -> [StepKey] {
        guard let scope = key.refinementScope else { return [] }
        return try journal.artifactKeys(prefix: scope.description + "/").map { StepKey($0) }
            .filter { $0.refinementScope == scope && $0.parts.last == key.parts.last && $0 != key }
    }

    func refine(_ prefix: StepKey, round: Int, best: Node, context: SearchContext) async throws -> Node {
        if context.editFormat != .whole { return try await refineFunction(prefix, round: round, best: best, context: context) }
        let step = prefix.refine(round)
        context.report("\(step): ablation study of node \(best.id)", kind: .stage)
        let summary = try await ablationSummary(step, best: best, context: context)
        guard context.exhausted() == nil else { return best }
        guard let (blockPlan, match) = try await extractBlock(step, best: best, summary: summary, context: context) else { return best }
        return try await innerLoop(step, best: best, block: match.text, firstPlan: blockPlan.plan, change: "refine: a code block", context: context) { plan in
            let block = try await context.askFragment(.coder, prompt: context.prompts.render(.implementPlan, [
                "task_context": context.taskContext(), "code_block": match.text, "plan": plan,
            ]))
            return CodeBlockMatcher.splice(match, in: best.code, with: block)
        }
    }

    /// The inner loop of a refinement round, whichever way the block is rewritten: K steps on one
    /// block of `best`, the first with `firstPlan`, each later one with a plan the planner writes
    /// from the plans tried so far and their scores. Steps are memoised, so a resumed run asks
    /// again only for the steps that never ran.
    ///
    /// - Parameters:
    ///   - step: The round's step key; inner steps are `step/inner/k`.
    ///   - best: The node the round refines; every inner step starts from it.
    ///   - block: The block's current text, shown to the planner.
    ///   - firstPlan: The plan of the first inner step.
    ///   - implement: Writes the script for a plan.
    /// - Returns: The best node of the round, or `best` when no step beat it.
    func innerLoop(_ step: StepKey, best: Node, block: String, firstPlan: String, change: String, context: SearchContext,
                   implement: @Sendable (String) async throws -> String) async throws -> Node {
        var roundBest = best
        var history: [(plan: String, score: Double?)] = []
        for inner in 1...max(1, context.settings.innerSteps) {
            guard context.exhausted() == nil else { break }
            let innerStep = step.inner(inner)
            let plan: String
            if let done = try context.journal.node(for: innerStep) {
                plan = done.node.plan
            } else if inner == 1 {
                plan = firstPlan
            } else {
                let lines = history.enumerated().map { "\($0.offset + 1). \($0.element.plan) → \(Self.format($0.element.score))" }
                plan = (try? await CurrentStep.$key.withValue(innerStep) {
                    try await context.askText(.planner, prompt: context.prompts.render(.nextPlan, [
                        "code_block": block, "history": lines.joined(separator: "\n"),
                        "metric": context.task.spec.metric.rawValue, "direction": context.direction.rawValue,
                        "base_score": Self.format(best.harnessScore),
                    ]))
                }) ?? firstPlan
            }
            // Memoised: on resume this returns the step's last recorded node without asking again.
            let node = try await context.develop(step: innerStep, stage: .refine, parent: best.id, plan: plan, debugRounds: context.editDebugRounds) {
                try await implement(plan)
            }
            history.append((node.plan, node.harnessScore))
            await context.learn(node, from: best, change: change)
            if await context.shouldReplace(roundBest, with: node) {
                roundBest = node
            }
        }
        if roundBest.id != best.id {
            context.report("\(step): node \(roundBest.id) improves \(Self.format(best.harnessScore)) → \(Self.format(roundBest.harnessScore))", kind: .stage)
        }
        return roundBest
    }

    /// Refinement with function edits (small models): the planner picks one function of the
    /// script (a JSON reply constrained to the script's function names) and a plan; K inner steps
    /// rewrite that function, each with a new plan after the first. The LLM-written ablation
    /// script of the paper is skipped here: small models rarely write one that runs, and the
    /// function outline already names the blocks.
    func refineFunction(_ prefix: StepKey, round: Int, best: Node, context: SearchContext) async throws -> Node {
        let step = prefix.refine(round)
        context.report("\(step): choosing the function of node \(best.id) to refine", kind: .stage)
        let key = step.function
        let scratch = context.harness.runFolder.appendingPathComponent(".edits/refine-\(best.id)-\(round)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outline = await context.editor.outline(of: best.code, scratch: scratch)
        guard !outline.isEmpty else { return best }
        let choice: FunctionPlan
        if let stored = try context.journal.artifact(FunctionPlan.self, forKey: key.description) {
            choice = stored
        } else {
            let earlier = try Self.earlierRounds(of: key, in: context.journal)
                .compactMap { try? context.journal.artifact(FunctionPlan.self, forKey: $0.description) }
            let earlierText = earlier.isEmpty ? "" : "\n" + context.prompts.fragment(.earlierFunctions, [
                "functions": earlier.map { "`\($0.function)` (\($0.plan))" }.joined(separator: "; "),
            ]) + "\n"
            do {
                choice = try await CurrentStep.$key.withValue(key) {
                    try await context.askJSON(FunctionPlan.self, .planner, prompt: context.prompts.render(.chooseFunction, [
                        "task_context": context.taskContext(), "code": best.code, "score": Self.format(best.harnessScore),
                        "metric": context.task.spec.metric.rawValue, "direction": context.direction.rawValue,
                        "functions": outline.map { "`\($0.name)`" + ($0.doc.isEmpty ? "" : " (\($0.doc))") }.joined(separator: ", "),
                        "findings": "", "earlier": earlierText,
                    ]), schema: JSONSchema.object([
                        "function": JSONSchema.oneOf(outline.map(\.name)), "plan": JSONSchema.string(maxLength: 600),
                    ]))
                }
            } catch let error as CancellationError {
                throw error
            } catch {
                context.report("\(step): no usable function/plan reply (\(error))", kind: .warning)
                return best
            }
            guard outline.contains(where: { $0.name == choice.function }) else {
                context.report("\(step): the planner named `\(choice.function)`, which the script does not define", kind: .warning)
                return best
            }
            try context.journal.setArtifact(choice, forKey: key.description)
        }
        let source = await context.functionSource(choice.function, in: best.code) ?? ""
        return try await innerLoop(step, best: best, block: source, firstPlan: choice.plan, change: "refine: \(choice.function)", context: context) { plan in
            try await context.askEdit(.coder, base: best.code, score: best.harnessScore,
                                      instruction: context.prompts.render(.instructRefine, ["plan": plan, "focus": "`\(choice.function)`"]),
                                      function: choice.function)
        }
    }

    func ablationSummary(_ step: StepKey, best: Node, context: SearchContext) async throws -> String {
        let key = step.ablationSummary
        if let stored = try context.journal.artifact(String.self, forKey: key.description) { return stored }
        let ablation = try await context.develop(step: step.ablation, stage: .ablation, parent: best.id,
                                                 plan: "ablation study of node \(best.id)", grade: false) {
            try await context.askCode(.coder, prompt: context.prompts.render(.ablation, [
                "task_context": context.taskContext(), "code": best.code, "earlier_ablations": "",
            ]))
        }
        var summary = context.prompts.fragment(.noAblationFindings)
        if ablation.status == .succeeded {
            let output = context.outputTail(ofNode: ablation.id)
            if let text = try? await CurrentStep.$key.withValue(key, operation: {
                try await context.askText(.planner, prompt: context.prompts.render(.ablationSummary, [
                    "code": ablation.code, "output": output,
                    "metric": context.task.spec.metric.rawValue, "direction": context.direction.rawValue,
                ]))
            }) {
                summary = text
            }
        }
        try context.journal.setArtifact(summary, forKey: key.description)
        return summary
    }

    func extractBlock(_ step: StepKey, best: Node, summary: String, context: SearchContext) async throws -> (BlockPlan, CodeBlockMatcher.Match)? {
        let key = step.block
        if let stored = try context.journal.artifact(BlockPlan.self, forKey: key.description),
           let match = CodeBlockMatcher.locate(stored.code_block, in: best.code) {
            return (stored, match)
        }
        let earlier = try Self.earlierRounds(of: key, in: context.journal)
            .compactMap { try? context.journal.artifact(BlockPlan.self, forKey: $0.description) }
        let earlierText = earlier.isEmpty ? "" : "\n" + context.prompts.fragment(.earlierBlocks) + "\n"
            + earlier.map { "```python\n\($0.code_block)\n```" }.joined(separator: "\n")
        var prompt = context.prompts.render(.extractBlock, [
            "task_context": context.taskContext(), "code": best.code, "score": Self.format(best.harnessScore),
            "summary": summary, "earlier_blocks": earlierText,
        ])
        for attempt in 1...2 {
            let reply: BlockPlan
            do {
                reply = try await CurrentStep.$key.withValue(key) {
                    try await context.askJSON(BlockPlan.self, .planner, prompt: prompt, schema: JSONSchema.object([
                        "code_block": JSONSchema.string(maxLength: 3000), "plan": JSONSchema.string(maxLength: 600),
                    ]))
                }
            } catch let error as CancellationError {
                throw error
            } catch {
                context.report("\(step): no usable block/plan reply (\(error))", kind: .warning)
                return nil
            }
            if let match = CodeBlockMatcher.locate(reply.code_block, in: best.code) {
                let repaired = BlockPlan(code_block: match.text, plan: reply.plan)
                try context.journal.setArtifact(repaired, forKey: key.description)
                if match.similarity < 1 { context.report("\(step): block matched approximately (\(Int(match.similarity * 100))%); using the script's lines") }
                return (repaired, match)
            }
            context.report("\(step): the quoted block is not in the script (attempt \(attempt))", kind: .warning)
            prompt += "\n\n" + context.prompts.fragment(.blockNotFound)
        }
        return nil
    }

    // MARK: Ensemble

    func ensemble(_ finals: [Node], context: SearchContext) async throws {
        context.report("ensembling \(finals.count) solutions", kind: .stage)
        let solutions = finals.enumerated().map { index, node in
            "## Solution \(index + 1) (score \(Self.format(node.harnessScore)))\n```python\n\(node.code)\n```"
        }.joined(separator: "\n\n")
        let ids = Set(finals.map(\.id))
        let parent = context.rankedSolutions().first { ids.contains($0.id) }?.id ?? finals.first?.id
        var history: [(plan: String, score: Double?)] = []
        for round in 1...context.settings.ensembleRounds {
            guard context.exhausted() == nil else { break }
            let step = StepKey.ensemble(round)
            let historyText = history.isEmpty ? "" : "\n" + context.prompts.fragment(.ensembleHistory) + "\n"
                + history.enumerated().map { "\($0.offset + 1). \($0.element.plan) → \(Self.format($0.element.score))" }.joined(separator: "\n")
            let plan: String
            if let recorded = try context.journal.node(for: step)?.node.plan {
                plan = recorded
            } else {
                guard let proposed = try? await CurrentStep.$key.withValue(step, operation: {
                    try await context.askText(.planner, prompt: context.prompts.render(.ensemblePlan, [
                        "task_context": context.taskContext(), "solutions": solutions, "history": historyText,
                    ]))
                }) else { continue }
                plan = proposed
            }
            let node = try await context.develop(step: step, stage: .ensemble, parent: parent, plan: plan) {
                guard context.editFormat != .whole, let base = finals.first(where: { $0.id == parent }) else {
                    return try await context.askCode(.coder, prompt: context.prompts.render(.ensembleImplement, [
                        "task_context": context.taskContext(), "solutions": solutions, "plan": plan,
                    ]))
                }
                // With edits, the best final script takes in the others' model functions.
                var others: [String] = []
                for other in finals where other.id != base.id {
                    others.append(await context.functionSource(Self.modelFunction, in: other.code) ?? other.code)
                }
                return try await context.askEdit(.coder, base: base.code, score: base.harnessScore,
                                                 instruction: context.prompts.render(.instructMerge, [
                                                     "other_code": others.joined(separator: "\n\n"),
                                                     "other_score": finals.filter { $0.id != base.id }.map { Self.format($0.harnessScore) }.joined(separator: ", "),
                                                     "base_score": Self.format(base.harnessScore),
                                                 ]) + "\n" + context.prompts.fragment(.ensemblePlan, ["plan": plan]))
            }
            history.append((plan, node.harnessScore))
        }
    }

    /// The function of the card examples that fits the model and returns predictions.
    static let modelFunction = "fit_predict"

    static func format(_ score: Double?) -> String {
        score.map { String(format: "%.5g", $0) } ?? "failed"
    }
}
