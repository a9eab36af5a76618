import Foundation
import StarlingCore
import StarlingBench
import StarlingStore
import StarlingRunFolder

/// Stacking as an action: no LLM call, only the out-of-fold predictions the cross-validation
/// left (see ``Stacker``).
extension SearchContext {
    /// Members a stack draws from at most: the best cross-validated solutions.
    static let stackPool = 6

    /// Blends the best cross-validated solutions by ensemble selection on their out-of-fold
    /// predictions, and runs the blend as node `stack/<round>` when it uses more than one script.
    /// Its cross-validated score is the nested one (weights chosen without the fold scored).
    ///
    /// - Parameter round: The stack's number (its step key).
    /// - Returns: The stack's node, or `nil` when there is nothing to stack (no folds, fewer than
    ///   two cross-validated solutions, a metric whose predictions cannot be blended) or the
    ///   selection kept one script alone.
    package func stack(round: Int = 1) async throws -> Node? {
        let step = StepKey.stack(round)
        if let done = try journal.node(for: step), done.node.status != .pending { return done.node }
        guard let validator = crossValidator, let rule = Stacker.Rule.forMetric(task.spec.metric) else { return nil }
        await allCrossValidated()
        var seen = Set<String>()
        let pool = rankedSolutions().filter { node in
            guard crossValidation(of: node)?.method == "folds", node.origin != .stack, validator.outOfFold(node: node.id) != nil else { return false }
            return seen.insert(node.code).inserted
        }.prefix(Self.stackPool)
        guard pool.count >= 2, let best = pool.first, let bestValidation = crossValidation(of: best) else {
            report("stacking: fewer than two cross-validated solutions; nothing to stack")
            return nil
        }
        report("stacking: ensemble selection over the out-of-fold predictions of nodes " + pool.map { String($0.id) }.joined(separator: ", "), kind: .stage)
        let selection: Stacker.Selection
        let stacker: Stacker
        do {
            stacker = try Stacker(members: pool.map { validator.outOfFold(node: $0.id)! }, idColumn: task.spec.idColumn, rule: rule,
                                  direction: direction) { blend, rows in try validator.score(blend, rows: rows) }
            let foldOfRow = validator.foldOfRow
            selection = try await Task.detached { try stacker.run(foldOfRow: foldOfRow) }.value
        } catch {
            report("stacking failed: \(error)", kind: .warning)
            return nil
        }
        let chosen = pool.indices.filter { selection.counts[$0] > 0 }
        let gain = selection.validation.gain(over: bestValidation, direction: direction)
        guard chosen.count >= 2 else {
            report("stacking: ensemble selection kept node \(chosen.first.map { pool[$0].id } ?? best.id) alone")
            return nil
        }
        if let gain, gain.mean <= 0 {
            // Chosen on all rows, the blend looked better; on folds it never saw, it is not.
            report("stacking: the blend's nested CV \(String(format: "%.5g", selection.validation.mean)) does not beat node \(best.id) (\(gain.text)); no stack")
            return nil
        }
        let total = Double(chosen.map { selection.counts[$0] }.reduce(0, +))
        let members = chosen.map { (node: pool[$0].id, weight: Double(selection.counts[$0]) / total, code: pool[$0].code) }
        let code = try Stacker.script(members: members, rule: rule)
        let weights = members.map { String(format: "node %d × %.2f", $0.node, $0.weight) }.joined(separator: ", ")
        report(String(format: "stacking: %@; nested CV %.5g ± %.2g", weights, selection.validation.mean, selection.validation.standardError)
               + (gain.map { "; over node \(best.id): \($0.text), \($0.verdict)" } ?? ""))
        let (node, _) = try await execute(step: step, stage: .ensemble, parent: best.id,
                                          plan: "stack (\(rule.rawValue)): \(weights); weights from ensemble selection on out-of-fold predictions",
                                          code: code, origin: .stack)
        if node.status == .succeeded {
            try recordCrossValidation(selection.validation, of: node.id)
            // The blend's out-of-fold predictions (weights chosen on all rows), for a calibration.
            try stacker.blend(weights: selection.counts.map(Double.init), rows: Array(validator.foldOfRow.indices)).write(to: validator.layout.outOfFold(node.id))
            await learn(node, from: best, change: "stack")
        }
        return node
    }
}
