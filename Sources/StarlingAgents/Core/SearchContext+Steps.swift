import Foundation
import StarlingCore
import StarlingStore
import StarlingRunFolder

/// The step runner: a script runs as the node of its step (once per step key, so a resumed run
/// repeats nothing), with grounded repairs and debug rounds when it fails.
extension SearchContext {
    // MARK: Running scripts

    /// Runs a script as a node of step `step`, or returns the node that step recorded before.
    ///
    /// - Parameters:
    ///   - step: The step key; one node per key.
    ///   - stage: The pipeline stage.
    ///   - parent: The node it derives from.
    ///   - plan: What the script is meant to do.
    ///   - code: The script.
    ///   - grade: Whether a submission is expected and graded (ablation scripts write none).
    ///   - origin: Who wrote the script.
    /// - Returns: The node with its outcome.
    package func execute(step: StepKey, stage: NodeStage, parent: Int?, plan: String, code: String, grade: Bool = true,
                        origin: NodeOrigin = .model) async throws -> (Node, ScriptOutcome?) {
        let earlier = try journal.node(for: step)
        if let earlier, earlier.node.status != .pending {
            // A resumed run cross-validates what a killed one ran but had not validated yet.
            if grade, earlier.node.status == .succeeded, crossValidation(of: earlier.node) == nil { startCrossValidation(earlier.node) }
            return (earlier.node, nil)
        }
        // A pending node is one that was running when the process died: run it again under its id.
        var node: Node
        if let earlier {
            node = earlier.node
            node.code = code
        } else {
            node = try journal.createNode(step: step) { Node(id: $0, parentID: parent, stage: stage, plan: plan, code: code, origin: origin) }
        }
        let id = node.id
        let folder = harness.folder(forNode: id)
        var code = code
        if grade, origin == .model || origin == .repair {
            guard let repaired = try await repairedBeforeRunning(&node, code: code, step: step, folder: folder) else { return (node, nil) }
            code = repaired
        }
        let outcome = try await harness.run(code: code, in: folder, grade: grade)
        // Killed because the search ran out of time, not because the script failed: the node
        // stays pending (a resumed run reruns it) and counts as neither failed nor written.
        try Task.checkCancellation()
        node.status = (grade ? outcome.succeeded : outcome.error == nil) ? .succeeded : .failed
        node.harnessScore = outcome.score
        node.selfReportedScore = outcome.selfReported
        node.error = outcome.error
        node.executionSeconds = outcome.execution?.wallSeconds
        try journal.save(JournalNode(step: step, node: node))
        if let self_ = outcome.selfReported, let score = outcome.score, Self.disagree(self_, score, direction: direction) {
            try? journal.record(EventRecord(.leakWarning, "node \(id): the script reported validation_score \(self_) but the harness measured \(score) on the hidden dev rows"))
        }
        let result = node.status == .succeeded ? (grade ? String(format: "score %.5g", outcome.score ?? .nan) : "ran") : "failed"
        report("\(step) → node \(id) \(result)", kind: .node)
        if grade, node.status == .succeeded { startCrossValidation(node) }
        return (node, outcome)
    }

    /// Repairs a model's script before it runs: imports that do not exist (when an API index
    /// is at hand) and arguments the pre-flight check can fix mechanically, saving a debug
    /// round. The node keeps the repaired script and says what was repaired.
    ///
    /// - Returns: The script to run, or `nil` when the pre-flight check found problems it
    ///   cannot fix (the node is saved as failed, with them as its error).
    private func repairedBeforeRunning(_ node: inout Node, code: String, step: StepKey, folder: URL) async throws -> String? {
        let id = node.id
        var code = code
        var fixes: [String] = []
        if let repairer {
            let repaired = await repairer.repairImports(code, scratch: folder.appendingPathComponent(".repair"))
            if let fixed = repaired.fixedSource {
                code = fixed
                fixes += repaired.fixes
                for kind in Set(repaired.kinds).sorted() { recordRepair(kind: kind, node: id, fixes: repaired.fixes) }
            }
        }
        if let preflight {
            let checked = await preflight.check(code, scratch: folder.appendingPathComponent(".preflight"))
            if let fixed = checked.fixedSource {
                code = fixed
                fixes += checked.fixes
                recordRepair(kind: "argument", node: id, fixes: checked.fixes)
            }
            if let problems = Preflight.blocking(checked.findings) {
                node.code = code
                node.status = .failed
                node.error = problems
                if !fixes.isEmpty { node.plan += " [pre-flight repaired: \(fixes.joined(separator: "; "))]" }
                try journal.save(JournalNode(step: step, node: node))
                report("\(step): pre-flight found problems; not run", kind: .node)
                return nil
            }
        }
        if !fixes.isEmpty {
            node.code = code
            node.plan += " [pre-flight repaired: \(fixes.joined(separator: "; "))]"
            try journal.save(JournalNode(step: step, node: node))
        }
        return code
    }

    /// Whether a self-reported score looks better than the harness score by enough to suspect
    /// that the script validated on rows it trained on. Only scores on the metric's scale count:
    /// a report more than 3 times larger or smaller than the harness score (RMSE of a log target
    /// beside RMSE of the target, a percentage beside a fraction) is on another scale and says
    /// nothing about leakage; neither does a report worse than the harness's score.
    static func disagree(_ reported: Double, _ measured: Double, direction: Direction) -> Bool {
        guard reported.isFinite, measured.isFinite else { return false }
        let a = abs(reported), b = abs(measured)
        if min(a, b) > 1e-9, max(a, b) / min(a, b) > 3 { return false }
        guard direction.isBetter(reported, than: measured) else { return false }
        let scale = max(a, b, 1e-9)
        return abs(reported - measured) / scale > 0.25
    }

    /// Generates a script, runs it, and on failure repairs or debugs it a bounded number of times;
    /// when all attempts fail and a fallback script is given, runs that.
    ///
    /// A failure first gets a grounded repair with no LLM call (a misplaced import or attribute,
    /// at most ``maxRepairsPerStep`` per step, keys `step/repair/n`); then a debug round asks the
    /// model for a fix in the run's edit format (`step/debug/n`). A fix identical to the failed
    /// script is never run: the model is asked again, differently, within the same round.
    ///
    /// - Parameters:
    ///   - step: The step key; attempts are `step`, `step/repair/1`, `step/debug/1`, ...
    ///   - stage: The pipeline stage.
    ///   - parent: The node it derives from.
    ///   - plan: What the script is meant to do.
    ///   - fallback: A known-good script (a model card's example) to use when every attempt fails.
    ///   - debugRounds: LLM debug rounds allowed; the run's setting by default.
    ///   - generate: Produces the first version of the script.
    /// - Returns: The last node run: the first that worked, or the last failure.
    package func develop(step: StepKey, stage: NodeStage, parent: Int?, plan: String, fallback: String? = nil, grade: Bool = true,
                        debugRounds: Int? = nil, generate: @Sendable () async throws -> String) async throws -> Node {
        var node: Node
        if let done = try journal.node(for: step), done.node.status != .pending {
            node = done.node
        } else {
            let code: String
            do {
                code = try await CurrentStep.$key.withValue(step) { try await generate() }
            } catch let error as CancellationError {
                throw error
            } catch {
                report("\(step): the LLM gave no usable script (\(error))", kind: .warning)
                return try await runFallback(step: step, stage: stage, parent: parent, plan: plan, fallback: fallback, lastError: "\(error)")
            }
            node = try await execute(step: step, stage: stage, parent: parent, plan: plan, code: code, grade: grade).0
        }
        var round = 0
        var repairs = 0
        while node.status == .failed && round < (debugRounds ?? settings.debugRounds) && exhausted() == nil {
            let failed = node
            let repaired = repairs < Self.maxRepairsPerStep ? try await repairWithoutLLM(step: step, attempt: repairs + 1, failed: failed, stage: grade ? .debug : stage, grade: grade) : nil
            if let repaired, repaired.applied {
                repairs += 1
                node = repaired.node
                continue
            }
            round += 1
            let debugStep = step.debug(round)
            if let done = try journal.node(for: debugStep), done.node.status != .pending {
                node = done.node
                continue
            }
            let fixed: String
            do {
                fixed = try await CurrentStep.$key.withValue(debugStep) {
                    try await debugScript(failed, hints: repaired?.hints ?? [])
                }
            } catch let error as CancellationError {
                throw error
            } catch {
                report("\(debugStep): the LLM gave no usable fix (\(error))", kind: .warning)
                break
            }
            node = try await execute(step: debugStep, stage: grade ? .debug : stage, parent: failed.id,
                                     plan: "fix: " + String((failed.error ?? "").prefix(200)), code: fixed, grade: grade).0
        }
        if node.status == .failed, fallback != nil {
            return try await runFallback(step: step, stage: stage, parent: parent, plan: plan, fallback: fallback, lastError: node.error ?? "")
        }
        return node
    }

    /// LLM debug rounds for a failed function edit of a script that works. The working script
    /// is kept either way, and a second round did not pay: in the 4-cell bench of 8a022b5, 1 of
    /// the 1.5B model's 12 debug attempts ran (a first round), 0 of 5 second rounds.
    package var editDebugRounds: Int {
        editFormat == .function ? min(1, settings.debugRounds) : settings.debugRounds
    }

    /// Grounded repairs tried per step before (and between) LLM debug rounds.
    static let maxRepairsPerStep = 2

    private func runFallback(step: StepKey, stage: NodeStage, parent: Int?, plan: String, fallback: String?, lastError: String) async throws -> Node {
        guard let fallback else {
            if let done = try journal.node(for: step.noCode) { return done.node }
            return try journal.createNode(step: step.noCode) {
                Node(id: $0, parentID: parent, stage: stage, plan: plan, code: "", status: .failed, error: lastError)
            }
        }
        return try await execute(step: step.appending("fallback"), stage: stage, parent: parent,
                                 plan: plan + " (the model card's example, unchanged: the LLM's versions failed)", code: fallback,
                                 origin: .example).0
    }
}
