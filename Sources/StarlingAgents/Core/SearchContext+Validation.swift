import Foundation
import StarlingCore
import StarlingStore
import StarlingRunFolder

/// Choices that hold on new rows: every solution is cross-validated on the view's training rows
/// (the hidden dev rows stay aside), a node replaces another only when its paired gain on the
/// same folds beats the gain's noise, and solutions are ranked by their mean fold score.
extension SearchContext {
    /// The journal artifact key of a node's cross-validation.
    static func crossValidationKey(_ id: Int) -> String { CrossValidation.journalKey(node: id) }

    /// A node's cross-validated score, when it has one.
    package func crossValidation(of node: Node) -> CrossValidation? {
        try? journal.artifact(CrossValidation.self, forKey: Self.crossValidationKey(node.id))
    }

    /// Records `validation` as `node`'s cross-validated score.
    func recordCrossValidation(_ validation: CrossValidation, of node: Int) throws {
        try journal.setArtifact(validation, forKey: Self.crossValidationKey(node))
    }

    /// Starts cross-validating a solution that just ran, in the background: the next LLM call
    /// need not wait for K more runs of the script. A decision that needs the result waits for
    /// it (``crossValidated(_:)``).
    func startCrossValidation(_ node: Node) {
        guard crossValidator != nil else { return }  // which nodes qualify: crossValidate(_:)
        validations.withLock { running in
            guard running[node.id] == nil else { return }
            running[node.id] = Task { try? await self.crossValidate(node) }
        }
    }

    /// Waits until `node`'s cross-validation, if one was started, has ended.
    package func crossValidated(_ node: Node) async {
        await validations.withLock { $0[node.id] }?.value
    }

    /// Waits for every cross-validation started so far.
    package func allCrossValidated() async {
        for task in validations.withLock({ Array($0.values) }) { await task.value }
    }

    /// Stops the cross-validations still running (the search is over; the final run needs the cores).
    package func cancelCrossValidations() {
        for task in validations.withLock({ Array($0.values) }) { task.cancel() }
    }

    /// Cross-validates a solution that just ran, unless it was done before (resume), the run has
    /// no folds, or the time left cannot pay for K more runs of it.
    func crossValidate(_ node: Node) async throws {
        guard let validator = crossValidator, node.status == .succeeded, node.stage != .ablation, node.stage != .final,
              node.origin != .stack, crossValidation(of: node) == nil else { return }
        if let left = searchSecondsLeft, let seconds = node.executionSeconds, seconds * Double(validator.count) > 0.5 * left {
            report(String(format: "node %d: not cross-validated (%d folds of a %.0f-s script do not fit in the %.0f s left)",
                          node.id, validator.count, seconds, left))
            return
        }
        switch try await validator.validate(code: node.code, node: node.id) {
        case .success(let validation):
            try recordCrossValidation(validation, of: node.id)
            report(String(format: "node %d: %d-fold CV %.5g ± %.2g", node.id, validator.count, validation.mean, validation.standardError))
        case .failure(let error):
            report("node \(node.id): cross-validation failed (\(error)); its dev-row score stands alone", kind: .warning)
        }
    }

    /// The gain of `candidate` over `incumbent` on the same folds, when both were cross-validated.
    package func gain(of candidate: Node, over incumbent: Node) -> PairedGain? {
        guard let a = crossValidation(of: candidate), let b = crossValidation(of: incumbent) else { return nil }
        return a.gain(over: b, direction: direction)
    }

    /// Whether `candidate` should take `incumbent`'s place: with both cross-validated, only when
    /// its paired gain beats its noise (``PairedGain/beatsNoise``); otherwise when its dev-row
    /// score is not worse (ties keep the newer script).
    package func shouldReplace(_ incumbent: Node, with candidate: Node) async -> Bool {
        guard candidate.status == .succeeded, let c = candidate.harnessScore else { return false }
        await crossValidated(incumbent)
        await crossValidated(candidate)
        if let gain = gain(of: candidate, over: incumbent) {
            if !gain.beatsNoise, let a = crossValidation(of: candidate), let b = crossValidation(of: incumbent), direction.isBetter(a.mean, than: b.mean) {
                report("node \(candidate.id) vs node \(incumbent.id): CV gain \(gain.text) is within its noise; node \(incumbent.id) stays")
            }
            return gain.beatsNoise
        }
        guard let i = incumbent.harnessScore else { return true }
        return !direction.isBetter(i, than: c)
    }

    /// Succeeded solutions, best first: those cross-validated by their mean fold score, then the
    /// others by their dev-row score.
    package func rankedSolutions() -> [Node] {
        let all = solutions()
        let validated = all.compactMap { node in crossValidation(of: node).map { (node, $0.mean) } }
            .sorted { direction.isBetter($0.1, than: $1.1) }.map(\.0)
        let ids = Set(validated.map(\.id))
        let rest = all.filter { !ids.contains($0.id) }.sorted { direction.isBetter($0.harnessScore!, than: $1.harnessScore!) }
        return validated + rest
    }

    /// The share of a timed run's wall-clock budget kept for stacking and ensembling at its end.
    static let ensembleShare = 0.2

    /// Whether a timed search has reached its last part, kept for stacking and ensembling.
    package var ensembleStageReached: Bool {
        guard let wall = budget.wallSeconds, let left = searchSecondsLeft else { return false }
        return left <= Self.ensembleShare * wall
    }

    /// Runs `work` until it finishes or the search reaches its ensemble stage, whichever is
    /// first; work still going then is cancelled (its unfinished node stays pending).
    ///
    /// - Returns: What `work` returned, or `nil` when the ensemble stage cut it short.
    /// - Throws: What `work` throws, and cancellation of the search itself.
    package func beforeEnsembleStage<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T? {
        guard budget.wallSeconds != nil else { return try await work() }
        let result: T? = try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                do {
                    return try await work()
                } catch is CancellationError {
                    return nil
                }
            }
            group.addTask {
                while !self.ensembleStageReached { try await Task.sleep(for: .seconds(1)) }
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        try Task.checkCancellation()
        if result == nil { report("ensemble stage: the search turns to stacking and ensembling", kind: .stage) }
        return result
    }

    /// Whether `other` is `node` under another name: the same script, or a script that predicts
    /// the same on every training row (a merge that only moved imports). Such a node ties the
    /// chosen one by construction and says nothing about the choice.
    func sameSolution(_ other: Node, as node: Node) -> Bool {
        if other.code.trimmingCharacters(in: .whitespacesAndNewlines) == node.code.trimmingCharacters(in: .whitespacesAndNewlines) { return true }
        guard let a = crossValidation(of: other), let b = crossValidation(of: node), a.foldScores == b.foldScores,
              let validator = crossValidator, let mine = validator.outOfFold(node: node.id) else { return false }
        guard let theirs = validator.outOfFold(node: other.id) else { return false }
        return theirs.header == mine.header && theirs.columns == mine.columns
    }

    /// The cross-validated evidence for submitting `node`: its fold score, its gain over the best
    /// unchanged card example and over the runner-up; `nil` when it was not cross-validated.
    package func choiceEvidence(for node: Node) -> CrossValidatedChoice? {
        guard let validation = crossValidation(of: node) else { return nil }
        let others = rankedSolutions().filter { $0.id != node.id && crossValidation(of: $0) != nil }
        let example = ([node] + others).first { $0.origin == .example }  // all cross-validated
        let runnerUp = others.first { !sameSolution($0, as: node) }
        return CrossValidatedChoice(folds: validation.foldScores.count, score: validation.mean, standardError: validation.standardError,
                                    method: validation.method, bestExampleNodeID: example?.id,
                                    gainOverBestExample: example.flatMap { $0.id == node.id ? nil : gain(of: node, over: $0) },
                                    runnerUpNodeID: runnerUp?.id, gainOverRunnerUp: runnerUp.flatMap { gain(of: node, over: $0) })
    }
}
