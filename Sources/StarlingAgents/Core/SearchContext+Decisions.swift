import Foundation
import StarlingCore
import StarlingBench
import StarlingStore
import StarlingRunFolder

/// Decisions for the metric, with no LLM call: the class weighting of F1 and balanced accuracy is
/// a tuning trial (``Tuner``); for log loss, the best solution's probabilities are recalibrated on
/// its out-of-fold predictions (``Calibrator``).
extension SearchContext {
    /// The ensemble stage's actions that need no model, in order: a stack of the best scripts, a
    /// calibration for the metric, and the lessons of the card examples.
    package func closingActions() async throws {
        _ = try await stack()
        _ = try await calibrate()
        await learnFromCardExamples()
    }

    /// Recalibrates the probabilities of the best solution that has out-of-fold predictions (a
    /// stack's are its blend's) for log loss, and runs the result as node `calibrate/1` when the
    /// calibration's nested CV beats the solution's own beyond noise.
    ///
    /// - Returns: The calibrated node, or `nil` (not log loss, no folds, no gain beyond noise).
    @discardableResult
    package func calibrate() async throws -> Node? {
        let step = StepKey.calibrate(1)
        if let done = try journal.node(for: step), done.node.status != .pending { return done.node }
        guard let validator = crossValidator, Calibrator.applies(to: task.spec.metric) else { return nil }
        await allCrossValidated()
        guard let base = rankedSolutions().first(where: { crossValidation(of: $0) != nil && validator.outOfFold(node: $0.id) != nil }),
              let baseValidation = crossValidation(of: base), let predictions = validator.outOfFold(node: base.id) else {
            report("calibration: no cross-validated solution with out-of-fold predictions")
            return nil
        }
        report("calibration: fitting node \(base.id)'s probabilities to \(task.spec.metric.rawValue) on its out-of-fold predictions", kind: .stage)
        let fitted: (fit: Calibrator.Fit, validation: CrossValidation)
        do {
            let calibrator = try Calibrator(predictions: predictions, idColumn: task.spec.idColumn) { table, rows in try validator.score(table, rows: rows) }
            let foldOfRow = validator.foldOfRow
            fitted = try await Task.detached { try calibrator.run(foldOfRow: foldOfRow) }.value
        } catch {
            report("calibration failed: \(error)", kind: .warning)
            return nil
        }
        let mean = String(format: "%.5g", fitted.validation.mean)
        guard let gain = fitted.validation.gain(over: baseValidation, direction: direction), gain.beatsNoise else {
            let gainText = fitted.validation.gain(over: baseValidation, direction: direction).map { " (\($0.text), \($0.verdict))" } ?? ""
            report("calibration: nested CV \(mean) of \(fitted.fit.text) does not beat node \(base.id)\(gainText); not used")
            return nil
        }
        report("calibration: \(fitted.fit.text); nested CV \(mean) ± \(String(format: "%.2g", fitted.validation.standardError)); over node \(base.id): \(gain.text), \(gain.verdict)")
        let code = try Stacker.script(members: [(node: base.id, weight: 1, code: base.code)], rule: .mean, calibration: fitted.fit)
        let (node, _) = try await execute(step: step, stage: .ensemble, parent: base.id,
                                          plan: "calibration for \(task.spec.metric.rawValue) of node \(base.id) (\(fitted.fit.text)), fitted on its out-of-fold predictions",
                                          code: code, origin: .decision)
        if node.status == .succeeded {
            try recordCrossValidation(fitted.validation, of: node.id)
            await learn(node, from: base, change: "calibration")
        }
        return node
    }
}
