import Foundation
import StarlingCore
import StarlingStore
import StarlingLLM
import StarlingRunFolder

/// Tuning as an action: no LLM call, only other settings of the script's model, each variant
/// cross-validated like any node (see ``Tuner``).
extension SearchContext {
    /// Runs up to ``AgentSettings/tuneTrials`` variants of `node`'s model settings as nodes
    /// `tune/<node>/<k>` (the family's textbook settings first, then seeded random draws), until
    /// the budget or the ensemble stage stops it. With `askModel`, the model first proposes values
    /// worth trying (``proposeSpace(for:plan:)``), which join the family's.
    ///
    /// - Returns: The variant with the best mean fold score, or `nil` when none ran (no folds,
    ///   tuning off, a script without `params = dict(...)` in `fit_predict`).
    @discardableResult
    package func tune(_ node: Node, askModel: Bool = false) async throws -> Node? {
        guard settings.tuneTrials > 0, crossValidator != nil, node.status == .succeeded else { return nil }
        let tuner = try Tuner(tools: ToolRunner(sandbox: harness.sandbox, python: harness.python))
        switch await plan(of: node, tuner: tuner, askModel: askModel) {
        case .failure(let error):
            report("tuning node \(node.id): not tunable (\(error))")
            return nil
        case .success(let plan):
            return try await tune(node, tuner: tuner, family: plan.family, trials: plan.trials)
        }
    }

    /// The trials the tuner draws for `node` (its id seeds the random ones; a metric that weighs
    /// classes alike gets class weighting first), with the model's proposal when asked for.
    func plan(of node: Node, tuner: Tuner, askModel: Bool) async -> Result<Tuner.Plan, AgentError> {
        func draw(_ proposed: [String: [Tuner.SettingValue]]) async -> Result<Tuner.Plan, AgentError> {
            await tuner.trials(for: node.code, count: settings.tuneTrials, seed: UInt64(node.id), balance: task.spec.metric.weighsClassesEqually,
                               proposed: proposed, scratch: harness.runFolder.appendingPathComponent(".edits/tune-\(node.id)"))
        }
        let plain = await draw([:])
        guard askModel, case .success(let found) = plain, let proposed = await proposeSpace(for: node, plan: found) else { return plain }
        return await draw(proposed)
    }

    /// Values of `node`'s numeric settings the model would try (one JSON request, kept in the
    /// journal for a resumed run); `nil` when it proposed none that fit (a value must be a finite
    /// number ≥ 0, whole where the setting's current value is).
    func proposeSpace(for node: Node, plan: Tuner.Plan) async -> [String: [Tuner.SettingValue]]? {
        let numeric = plan.settings.filter { if case .number? = plan.values[$0] { true } else { false } }
        guard !numeric.isEmpty else { return nil }
        let key = "tune-space/\(node.id)"
        var reply = try? journal.artifact([String: [Double]].self, forKey: key)
        if reply == nil {
            let schema: JSONValue = .object([
                "type": "object", "additionalProperties": false, "required": .array(numeric.map { .string($0) }),
                "properties": .object(Dictionary(uniqueKeysWithValues: numeric.map { ($0, JSONSchema.array(of: JSONSchema.number(), maxItems: 3)) })),
            ])
            let prompt = prompts.render(.proposeSpace, [
                "family": plan.family, "rows": String(profile.trainRows), "metric": task.spec.metric.rawValue, "direction": direction.rawValue,
                "settings": numeric.map { "- \($0) = \(plan.values[$0]!)" }.joined(separator: "\n"),
            ])
            do {
                reply = try await CurrentStep.$key.withValue(StepKey.tuneSpace(node: node.id)) {
                    try await askJSON([String: [Double]].self, .planner, prompt: prompt, schema: schema)
                }
                try? journal.setArtifact(reply, forKey: key)
            } catch {
                report("tuning node \(node.id): no usable proposal from the model (\(error))", kind: .warning)
                return nil
            }
        }
        var proposed: [String: [Tuner.SettingValue]] = [:]
        for (setting, values) in reply ?? [:] where numeric.contains(setting) {
            guard case .number(let current)? = plan.values[setting] else { continue }
            let whole = current.rounded() == current
            let kept = values.filter { $0.isFinite && $0 >= 0 }.map { Tuner.SettingValue.number(whole ? max(1, $0.rounded()) : $0) }
            if !kept.isEmpty { proposed[setting] = kept }
        }
        guard !proposed.isEmpty else { return nil }
        report("tuning node \(node.id): the model proposes " + proposed.keys.sorted().map { "\($0) ∈ {\(proposed[$0]!.map(\.description).joined(separator: ", "))}" }.joined(separator: "; "))
        return proposed
    }

    /// Runs `trials` of `node`'s settings (see ``tune(_:)``).
    func tune(_ node: Node, tuner: Tuner, family: String, trials: [[String: Tuner.SettingValue]]) async throws -> Node? {
        let scratch = harness.runFolder.appendingPathComponent(".edits/tune-\(node.id)")
        report("tuning node \(node.id) (\(family)): \(trials.count) settings, each cross-validated", kind: .stage)
        var tried: [Node] = []
        for (index, trial) in trials.enumerated() {
            guard exhausted() == nil, !ensembleStageReached else { break }
            let step = StepKey.tune(node: node.id, trial: index + 1)
            let plan = "tuning (\(family)): " + Tuner.describe(trial)
            let code: String
            if let done = try journal.node(for: step) {
                code = done.node.code
            } else {
                do {
                    code = try await tuner.apply(trial, to: node.code, scratch: scratch.appendingPathComponent(String(index + 1)))
                } catch let error as CancellationError {
                    throw error
                } catch {
                    report("\(step): the settings do not apply (\(error))", kind: .warning)
                    continue
                }
            }
            tried.append(try await execute(step: step, stage: .improve, parent: node.id, plan: plan, code: code, origin: .tuning).0)
        }
        for variant in tried { await crossValidated(variant) }
        let scored = tried.compactMap { variant in crossValidation(of: variant).map { (variant, $0.mean) } }
        guard let best = scored.max(by: { direction.isBetter($1.1, than: $0.1) })?.0 else { return nil }
        await learn(best, from: node, change: "tuning: \(family)")
        if let gain = gain(of: best, over: node) {
            report("tuning node \(node.id): best node \(best.id) (\(best.plan.dropFirst("tuning (\(family)): ".count))), CV gain \(gain.text), \(gain.verdict)")
        }
        return best
    }

    /// Tunes the best cross-validated card example of the run whose settings can be tuned
    /// (waiting for the cross-validations under way), with the model's proposal when `askModel`;
    /// `nil` when there is none.
    @discardableResult
    package func tuneBestExample(askModel: Bool = false) async throws -> Node? {
        guard settings.tuneTrials > 0, crossValidator != nil else { return nil }
        await allCrossValidated()
        let tuner = try Tuner(tools: ToolRunner(sandbox: harness.sandbox, python: harness.python))
        for example in rankedSolutions() where example.origin == .example && crossValidation(of: example) != nil {
            // A linear example has no settings dict: the next best one may.
            if case .success(let found) = await plan(of: example, tuner: tuner, askModel: askModel) {
                return try await tune(example, tuner: tuner, family: found.family, trials: found.trials)
            }
        }
        report("tuning: no cross-validated card example has model settings to tune")
        return nil
    }
}
