import Foundation
public import StarlingCore
import StarlingStore
import StarlingRunFolder

/// Tuning as an action: no LLM call, only other settings of the script's model, each variant
/// cross-validated like any node (see ``Tuner``).
extension SearchContext {
    /// Runs up to ``AgentSettings/tuneTrials`` variants of `node`'s model settings as nodes
    /// `tune/<node>/<k>` (the family's textbook settings first, then seeded random draws), until
    /// the budget or the ensemble stage stops it.
    ///
    /// - Returns: The variant with the best mean fold score, or `nil` when none ran (no folds,
    ///   tuning off, a script without `params = dict(...)` in `fit_predict`).
    @discardableResult
    public func tune(_ node: Node) async throws -> Node? {
        guard settings.tuneTrials > 0, crossValidator != nil, node.status == .succeeded else { return nil }
        let tuner = try Tuner(tools: ToolRunner(sandbox: harness.sandbox, python: harness.python))
        switch await trials(of: node, tuner: tuner) {
        case .failure(let error):
            report("tuning node \(node.id): not tunable (\(error))")
            return nil
        case .success(let found):
            return try await tune(node, tuner: tuner, family: found.family, trials: found.trials)
        }
    }

    /// The trials the tuner draws for `node` (its id seeds the random ones; a metric that weighs
    /// classes alike gets class weighting first).
    func trials(of node: Node, tuner: Tuner) async -> Result<(family: String, trials: [[String: Tuner.SettingValue]]), AgentError> {
        await tuner.trials(for: node.code, count: settings.tuneTrials, seed: UInt64(node.id),
                           balance: task.spec.metric.weighsClassesEqually, scratch: harness.runFolder.appendingPathComponent(".edits/tune-\(node.id)"))
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
    /// (waiting for the cross-validations under way); `nil` when there is none.
    @discardableResult
    public func tuneBestExample() async throws -> Node? {
        guard settings.tuneTrials > 0, crossValidator != nil else { return nil }
        await allCrossValidated()
        let tuner = try Tuner(tools: ToolRunner(sandbox: harness.sandbox, python: harness.python))
        for example in rankedSolutions() where example.origin == .example && crossValidation(of: example) != nil {
            // A linear example has no settings dict: the next best one may.
            if case .success(let found) = await trials(of: example, tuner: tuner) {
                return try await tune(example, tuner: tuner, family: found.family, trials: found.trials)
            }
        }
        report("tuning: no cross-validated card example has model settings to tune")
        return nil
    }
}
