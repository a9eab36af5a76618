import Foundation
import StarlingCore
import StarlingLLM
import StarlingRuntime
import StarlingStore
import StarlingRunFolder

/// Runs one strategy on one task inside a run folder and produces the final, graded submission.
///
/// The run folder holds `journal.sqlite`, `profile.json`, `nodes/<n>/` (script, log, submission),
/// `final/` (`solution.py`, `submission.csv`, `grade.json`) and `summary.json`. Running again on
/// the same folder resumes: finished nodes come from the journal.
package struct AgentRunner: Sendable {
    /// The task and its grader.
    package let task: any TaskHarness
    /// The search strategy.
    package let strategy: any SearchStrategy
    /// Search settings.
    package let settings: AgentSettings
    /// Run limits.
    package let budget: Budget
    /// A client per role (the coder's serves roles without one).
    package let clients: [AgentRole: any LLMClient]
    /// The run folder.
    package let runFolder: URL
    /// The sandbox.
    package let sandbox: Sandbox
    /// The interpreter scripts run with: the solution environment's, or with a repository the
    /// environment of its dependencies layered on it (``RepoEnvironment``).
    package var python: URL
    /// Installed library versions for prompts.
    package let libraries: String
    /// Model retrieval.
    package let retriever: any ModelRetriever
    /// Progress output.
    package let progress: ProgressReporter
    /// Prices for cost accounting.
    package let prices: PriceTable?
    /// A repository the run may read and import (`--repo`).
    package var repoFolder: URL?
    /// The lessons store; `nil` keeps and uses no lessons.
    package var lessons: LessonStore?

    /// Creates a runner.
    package init(task: any TaskHarness, strategy: any SearchStrategy, settings: AgentSettings, budget: Budget,
                clients: [AgentRole: any LLMClient], runFolder: URL, sandbox: Sandbox, python: URL, libraries: String,
                retriever: any ModelRetriever, progress: ProgressReporter, prices: PriceTable?) {
        self.task = task
        self.strategy = strategy
        self.settings = settings
        self.budget = budget
        self.clients = clients
        self.runFolder = runFolder
        self.sandbox = sandbox
        self.python = python
        self.libraries = libraries
        self.retriever = retriever
        self.progress = progress
        self.prices = prices
    }

    /// Where the run's files are.
    package var layout: RunLayout { RunLayout(runFolder) }

    /// Searches, then writes and grades the final submission.
    ///
    /// - Parameter configJSON: The run's settings as JSON, stored for `resume`.
    /// - Returns: The run's summary (also written to `summary.json`).
    /// - Throws: ``AgentError`` when the run cannot start (no clients, unreadable data).
    package func run(configJSON: String) async throws -> RunSummary {
        guard clients[.coder] != nil else { throw AgentError("no LLM client for the coder role") }
        let fm = FileManager.default
        try fm.createDirectory(at: runFolder, withIntermediateDirectories: true)
        let journal = try Journal(path: layout.journal)
        let runID = runFolder.lastPathComponent
        let record = try journal.startRun(RunRecord(id: runID, taskID: task.spec.id, strategy: strategy.name, configJSON: configJSON))
        let resumed = try !journal.nodes().isEmpty || record.runStatus != .running
        if resumed { try journal.markResumed(priorSeconds: record.priorSeconds) }

        let context = try await makeContext(journal: journal, priorSeconds: resumed ? record.priorSeconds : 0)
        context.report(resumed ? "resuming \(runID) (\(try journal.nodes().count) nodes recorded)" : "run \(runID): \(strategy.name) on \(task.spec.id)", kind: .stage)

        if !resumed {  // a resumed run finds the cache filled
            let started = Date()
            if let line = await context.harness.prefetchZooFeatures(seconds: min(300, (budget.wallSeconds ?? 1200) * 0.3), profile: layout.profile) {
                context.report("\(line) (\(Int(Date().timeIntervalSince(started))) s, cached for every script)")
            }
        }
        let stopReason = await searchWithDeadline(context)
        // Cross-validations still running when the search ended would take the final run's cores.
        context.cancelCrossValidations()
        await context.allCrossValidated()
        // Interrupted (Ctrl-C, a stopped bench): no final step; the journal stays open for `resume`.
        try Task.checkCancellation()
        var summary = try await finish(context: context, stopReason: stopReason)
        // Interrupted during the final step: no summary; `resume` does the final step again.
        try Task.checkCancellation()
        summary.elapsedSeconds = context.elapsedSeconds
        try journal.finishRun(summary.validSubmission ? RunStatus.finished : .failed, elapsedSeconds: context.elapsedSeconds)
        try RunLayout.writeJSON(summary, to: layout.summary)
        try RunLayout.writeJSON(SearchTree(journal: journal, spec: task.spec), to: layout.tree)
        return summary
    }

    /// The search context for this run: profile, pre-flight check, API index and repairs, harness,
    /// journaled clients and the resolved edit format.
    ///
    /// - Parameters:
    ///   - journal: The run journal; a new one in the run folder when `nil`.
    ///   - priorSeconds: Seconds earlier sessions spent.
    func makeContext(journal: Journal? = nil, priorSeconds: Double = 0) async throws -> SearchContext {
        let fm = FileManager.default
        try fm.createDirectory(at: runFolder, withIntermediateDirectories: true)
        let journal = try journal ?? Journal(path: layout.journal)
        let profileFile = layout.profile
        let profile = fm.fileExists(atPath: profileFile.path)
            ? try DataProfile(file: profileFile, spec: task.spec)
            : try await DataProfile.make(folder: task.viewFolder, spec: task.spec, sandbox: sandbox, python: python, output: profileFile)
        let preflight = try? Preflight(sandbox: sandbox, python: python, profile: profileFile)
        let progress = self.progress
        let index = await APIIndex.ensure(python: python, sandbox: sandbox) { line in
            try? journal.record(EventRecord(.stage, line))
            progress.report(elapsed: 0, line, best: nil, tokens: 0, cost: 0)
        }
        let repairer = index.map { CodeRepairer(tools: ToolRunner(sandbox: sandbox, python: python), index: $0, profile: profileFile) }
        let editFormat = settings.editFormat.resolved(localModel: clients[.coder]?.model.provider == .local)
        let limits = ExecutionLimits(timeoutSeconds: settings.scriptTimeoutSeconds, memoryMB: settings.scriptMemoryMB,
                                     cores: settings.coresPerScript)
        let reachability = ModelReachability()
        let journaled = ClientStack.journaled(clients, journal: journal, prices: prices, reachability: reachability, live: LiveActivity(layout: layout))
        var repository: RepoContext?
        var readingSeconds = 0.0
        if let repoFolder, let coder = journaled[.coder] {
            progress.report(elapsed: 0, "reading the repository \(repoFolder.path)", best: nil, tokens: 0, cost: 0)
            let started = Date()
            // A prediction run reads for at most 20% of its time budget.
            repository = try await RepoContext.make(root: repoFolder.standardizedFileURL, task: task.taskDescription, client: coder, journal: journal,
                                                    turns: settings.repoTurns, local: coder.model.provider == .local,
                                                    deadline: budget.wallSeconds.map { started.addingTimeInterval($0 * 0.2) })
            // Reading the repository is part of the run's time budget (0 s on resume: the reading is memoised).
            readingSeconds = Date().timeIntervalSince(started)
        }
        let harness = ExecutionHarness(task: task, sandbox: sandbox, scheduler: SlotScheduler(totalCores: settings.totalCores),
                                       runFolder: runFolder, python: python, limits: limits, importRoots: repository?.importRoots ?? [],
                                       zoo: settings.zoo ? ZooAccess.forRun(home: StarlingHome.resolve(), runFolder: runFolder) : nil)
        var validator: CrossValidator?
        if settings.cvFolds >= 2 {
            do {
                if let folds = try task.foldViews(count: settings.cvFolds, layout: layout) {
                    validator = try CrossValidator(harness: harness, folds: folds, layout: layout)
                }
            } catch {
                let line = "cross-validation is off for this run: \(error)"
                try? journal.record(EventRecord(.warning, line))
                progress.report(elapsed: 0, line, best: nil, tokens: 0, cost: 0)
            }
        }
        return SearchContext(
            run: .init(task: task, settings: settings, budget: budget, journal: journal, priorSeconds: priorSeconds + readingSeconds),
            execution: .init(harness: harness, preflight: preflight, crossValidator: validator, python: python),
            knowledge: .init(profile: profile, prompts: try PromptLibrary(), retriever: cardRetriever,
                             libraries: harness.zoo == nil ? libraries : libraries + Self.zooLibraries,
                             repository: repository, lessons: settings.memory ? lessons : nil),
            models: .init(clients: journaled, editFormat: editFormat, repairer: repairer, reachability: reachability),
            progress: progress)
    }

    /// What the rules say of the zoo when the run's scripts may use it.
    static let zooLibraries = "; pretrained models offline through `import starling_zoo`: `image_features(paths)` (MobileNetV2, float32 (n, 1280)), "
        + "`text_embeddings(texts)` (all-MiniLM-L6-v2, (n, 384), unit length), `audio_features(paths)` (Whisper tiny.en encoder, (n, 1536)); "
        + "cached on disk, so a second script on the same files pays nothing"

    /// Runs the strategy until it returns or the search part of the budget runs out; returns why it stopped.
    func searchWithDeadline(_ context: SearchContext) async -> String {
        let strategy = self.strategy
        if let left = context.searchSecondsLeft, left <= 0 { return "time" }
        do {
            return try await withThrowingTaskGroup(of: String.self) { group in
                group.addTask {
                    _ = try await strategy.search(in: context)
                    return "search finished"
                }
                // The deadline moves: the final reserve shrinks once solutions show how long they
                // run. A model that stops answering ends the search as well.
                group.addTask {
                    while context.modelUnreachable == nil {
                        let left = context.searchSecondsLeft
                        if let left, left <= 0 { return "time" }
                        try await Task.sleep(for: .milliseconds(Int64(min(left ?? 2, 2) * 1000)))
                    }
                    return context.modelUnreachable!
                }
                let reason = try await group.next() ?? "search finished"
                group.cancelAll()
                if let verdict = context.modelUnreachable {
                    context.report(verdict + ": the search stops; the final step takes the best script there is", kind: .warning)
                }
                return reason
            }
        } catch is CancellationError {
            return "cancelled"
        } catch {
            context.report("search stopped: \(error)", kind: .warning)
            return "error: \(error)"
        }
    }

    /// Reruns the best script on the full public data (dev rows back in train, the real test set),
    /// validates and grades its submission, and runs the label-shuffle leakage check.
    func finish(context: SearchContext, stopReason: String) async throws -> RunSummary {
        var summary = RunSummary(runFolder: runFolder.path, taskID: task.spec.id, strategy: strategy.name, stopReason: stopReason)
        summary.modelUnreachable = context.modelUnreachable
        summary.metric = task.spec.metric.rawValue
        summary.direction = task.spec.direction.rawValue
        summary.baseline = task.spec.baseline?.value
        summary.reference = task.spec.reference?.value

        var ranked = context.rankedSolutions()
        if ranked.isEmpty {
            context.report("no working solution yet: trying the model cards' example scripts", kind: .stage)
            ranked = try await rescue(context: context)
        }
        let final = FinalSubmission(layout: layout, spec: task.spec) { [task] submission, reportFile in
            try task.gradeFinal(submission: submission, reportFile: reportFile)
        }
        if let sample = task.sampleSubmission, let worse = worseThanTheSample(ranked, context: context) {
            // A script worse than the sample's constant predictions on the dev rows would only lower the score.
            try final.submitSample(sample, into: &summary, reason: worse)
            context.report(worse + ": the task's sample submission is the final one", kind: .warning)
            ranked = []
        }
        if !ranked.isEmpty { context.report("final submission: rerunning the best script on all training rows", kind: .stage) }
        let candidates = ranked.map {
            FinalSubmission.Candidate(nodeID: $0.id, label: "node \($0.id)", code: $0.code, devScore: $0.harnessScore,
                                      selfReportedScore: $0.selfReportedScore)
        }
        try await final.submit(candidates, into: &summary, rerun: { candidate in
            try await finalRun(of: ranked.first { $0.id == candidate.nodeID }!, context: context)
        }, warn: { context.report($0, kind: .warning) })
        if !summary.validSubmission, let sample = task.sampleSubmission {
            do {
                try final.submitSample(sample, into: &summary)
                context.report("no script wrote a valid submission: the task's sample submission is the final one (fallback)", kind: .warning)
            } catch {
                context.report("the sample submission fallback failed too: \(error)", kind: .warning)
            }
        }
        if summary.fallback == nil, let submitted = ranked.first(where: { $0.id == summary.bestNodeID }),
           let evidence = context.choiceEvidence(for: submitted) {
            summary.crossValidation = evidence
            context.report("chosen by cross-validation: " + evidence.line, kind: evidence.withinNoiseOfRunnerUp ? .warning : .stage)
        }
        if summary.validSubmission, summary.fallback == nil, settings.labelShuffleCheck, let best = ranked.first(where: { $0.id == summary.bestNodeID }) {
            summary.leakFlags += await labelShuffleCheck(best: best, context: context)
        }
        summary.leakFlags += ((try? context.journal.events()) ?? []).filter { $0.eventKind == .leakWarning }.map(\.message)
        let totals = (try? context.journal.llmTotals()) ?? LLMTotals()
        summary.llm = totals
        summary.nodes = (try? context.journal.nodes().count) ?? 0
        summary.modelWork = ModelWork.measure(journal: context.journal, submitted: summary.bestNodeID, direction: context.direction,
                                              elapsedSeconds: context.elapsedSeconds)
        summary.editFormat = context.editFormat
        if repoFolder != nil { summary.repoToolCalls = ((try? context.journal.events()) ?? []).filter { $0.eventKind == .tool }.count }
        context.report(summary.validSubmission
                       ? "done: final score \(summary.finalScore.map { String(format: "%.5g", $0) } ?? "(no answers)")"
                       : "done: no valid submission", kind: .stage)
        return summary
    }

    /// Why the best script should not be submitted: it scores worse on the dev rows than the view's
    /// sample submission does. `nil` when it is better, or either score is unknown.
    func worseThanTheSample(_ ranked: [Node], context: SearchContext) -> String? {
        guard let best = ranked.first?.harnessScore,
              let chance = try? task.gradeDev(submission: task.viewFolder.appendingPathComponent("sample_submission.csv")),
              context.direction.isBetter(chance, than: best) else { return nil }
        return String(format: "every script scored worse than the sample submission on the dev rows (best %.5g, sample %.5g)", best, chance)
    }

    /// The retriever, with examples adapted to the view's layout when it is not plain
    /// `train.csv` + `test.csv` (``LayoutAdapter``).
    var cardRetriever: any ModelRetriever {
        LayoutAdapter.isNeeded(viewFolder: task.viewFolder) ? LayoutAdapter.Retriever(base: retriever) : retriever
    }

    /// Reruns `candidate` on the full public data as node `final/<id>` (or finds that run done)
    /// and returns its submission file; `nil` when the run failed.
    func finalRun(of candidate: Node, context: SearchContext) async throws -> URL? {
        let step = StepKey.final(node: candidate.id)
        let folder: URL
        let recorded = try context.journal.node(for: step)
        if let done = recorded, done.node.status == .succeeded {
            folder = context.harness.folder(forNode: done.node.id)
        } else {
            let node = try recorded?.node
                ?? context.journal.createNode(step: step) {
                    Node(id: $0, parentID: candidate.id, stage: .final, plan: "final run of node \(candidate.id) on all training rows", code: candidate.code)
                }
            folder = context.harness.folder(forNode: node.id)
            let outcome = try await context.harness.run(code: candidate.code, in: folder, input: task.publicFolder, grade: false)
            // Interrupted, the script was killed: not a failure of the script; `resume` runs it again.
            try Task.checkCancellation()
            var updated = node
            updated.status = outcome.error == nil ? .succeeded : .failed
            updated.error = outcome.error
            updated.selfReportedScore = outcome.selfReported
            updated.executionSeconds = outcome.execution?.wallSeconds
            try context.journal.save(JournalNode(step: step, node: updated))
            if let error = outcome.error {
                context.report("final run of node \(candidate.id) failed: \(error.prefix(300))", kind: .warning)
                return nil
            }
        }
        return ScriptWorkspace(folder).submission
    }

    /// When search produced nothing, runs the retrieved cards' example scripts as they are.
    func rescue(context: SearchContext) async throws -> [Node] {
        let cards = await cardRetriever.retrieve(for: task.spec, text: task.taskDescription, limit: max(2, settings.candidates))
        var found: [Node] = []
        for (index, card) in cards.enumerated() {
            let (node, _) = try await context.execute(step: .rescue(index + 1), stage: .candidate, parent: nil,
                                                      plan: "model card example \(card.name), unchanged", code: card.example, origin: .example)
            if node.status == .succeeded { found.append(node) }
            if !found.isEmpty { break }
        }
        return found
    }

    /// Reruns `best` with the training labels shuffled (``LabelShuffleCheck``); returns a leak flag
    /// when its score stays far from chance.
    func labelShuffleCheck(best: Node, context: SearchContext) async -> [String] {
        guard let bestScore = best.harnessScore else { return [] }
        do {
            guard let verdict = try await LabelShuffleCheck(harness: context.harness, folder: runFolder).run(code: best.code, realScore: bestScore) else { return [] }
            let (score, chance) = (verdict.shuffledScore, verdict.chanceScore)
            try? context.journal.record(EventRecord(.check, String(format: "label-shuffle: score %.5g (chance %.5g, real %.5g)", score, chance, bestScore)))
            if verdict.suspicious {
                return [String(format: "label-shuffle check: with shuffled training labels node %d still scores %.5g (chance %.5g, real %.5g): the script may read the answer from somewhere other than the features", best.id, score, chance, bestScore)]
            }
            context.report(String(format: "label-shuffle check passed: %.5g with shuffled labels vs chance %.5g", score, chance))
        } catch {
            context.report("label-shuffle check skipped: \(error)", kind: .warning)
        }
        return []
    }
}
