import Foundation
import Synchronization
public import StarlingCore
public import StarlingLLM
public import StarlingRuntime
public import StarlingStore

/// Everything a strategy works with, shared by MLE-STAR and AIDE: the task, the LLM roles, the
/// harness that runs and grades scripts, the journal, the budget, the prompts and the models.
///
/// Steps are memoised by key in the journal: ``develop(step:stage:parent:plan:fallback:generate:)``
/// returns the recorded node of a step that finished before, so `resume` repeats no finished node.
public final class SearchContext: Sendable {
    /// The task and its grader.
    public let task: any TaskHarness
    /// Search settings.
    public let settings: AgentSettings
    /// Limits on the run.
    public let budget: Budget
    /// The run journal.
    public let journal: Journal
    /// Runs and grades scripts.
    public let harness: ExecutionHarness
    /// The deterministic pre-flight check.
    public let preflight: Preflight?
    /// The data schema for prompts.
    public let profile: DataProfile
    /// Prompt texts.
    public let prompts: PromptLibrary
    /// Candidate-model retrieval.
    public let retriever: any ModelRetriever
    /// Live progress.
    public let progress: ProgressReporter
    /// Installed library versions, for prompts.
    public let libraries: String
    /// The Python interpreter used to check that code parses.
    public let python: URL
    /// How the model changes scripts (resolved: never `auto`).
    public let editFormat: EditFormat
    /// Applies edit replies and outlines scripts.
    public let editor: EditApplier
    /// Grounded repairs from the installed libraries' API index; `nil` without an index.
    public let repairer: CodeRepairer?
    /// Fix hints for known error patterns.
    public let hints: ErrorHints
    /// How often each request was sent in this run, so a repeat is sent with other sampling.
    let sentRequests = Mutex<[Int: Int]>([:])
    /// The prompt-cache warm-up, once started.
    let warming = Mutex<Task<Void, Never>?>(nil)
    private let clients: [AgentRole: any LLMClient]
    private let started: ContinuousClock.Instant
    private let priorSeconds: Double

    /// Creates a context.
    public init(task: any TaskHarness, settings: AgentSettings, budget: Budget, journal: Journal, harness: ExecutionHarness,
                preflight: Preflight?, profile: DataProfile, prompts: PromptLibrary, retriever: any ModelRetriever,
                clients: [AgentRole: any LLMClient], progress: ProgressReporter, libraries: String, python: URL,
                priorSeconds: Double = 0, editFormat: EditFormat = .whole, repairer: CodeRepairer? = nil,
                hints: ErrorHints = ErrorHints()) {
        self.task = task
        self.settings = settings
        self.budget = budget
        self.journal = journal
        self.harness = harness
        self.preflight = preflight
        self.profile = profile
        self.prompts = prompts
        self.retriever = retriever
        self.clients = clients
        self.progress = progress
        self.libraries = libraries
        self.python = python
        self.started = .now
        self.priorSeconds = priorSeconds
        self.editFormat = editFormat == .auto ? .whole : editFormat
        self.editor = EditApplier(tools: ToolRunner(sandbox: harness.sandbox, python: harness.python))
        self.repairer = repairer
        self.hints = hints
    }

    /// The task's metric direction.
    public var direction: Direction { task.spec.direction }

    // MARK: Budget

    /// Seconds spent on the run, earlier sessions included.
    public var elapsedSeconds: Double {
        let d = started.duration(to: .now)
        return priorSeconds + d.seconds
    }

    /// What has been spent.
    public func spend() -> Spend {
        let totals = (try? journal.llmTotals()) ?? LLMTotals()
        return Spend(elapsedSeconds: elapsedSeconds, tokens: totals.promptTokens + totals.completionTokens, costUSD: totals.costUSD)
    }

    /// The limit reached, if any; strategies stop starting new steps once this is non-nil. The
    /// wall-clock limit keeps back ``finalReserveSeconds``, not the budget's fixed reserve.
    public func exhausted() -> String? {
        var budget = self.budget
        budget.reserveSeconds = finalReserveSeconds
        return budget.exhausted(by: spend())
    }

    /// Seconds kept back for the final rerun and the label-shuffle check. Until a solution has
    /// run, the budget's reserve; then what the slowest of the three best solutions needs for two
    /// runs on a little more data (2.5 times its time, plus 20 s, at least 30 s), never more than
    /// the budget's reserve. A 10-minute run of scripts that take 6 s keeps 35 s back, not 150 s.
    public var finalReserveSeconds: Double {
        let ranked = solutions().sorted { direction.isBetter($0.harnessScore!, than: $1.harnessScore!) }
        guard let slowest = ranked.prefix(3).compactMap(\.executionSeconds).max() else { return budget.reserveSeconds }
        return min(budget.reserveSeconds, max(30, 2.5 * slowest + 20))
    }

    /// Seconds the search may still run under the wall-clock limit (`nil` without one).
    public var searchSecondsLeft: Double? {
        budget.wallSeconds.map { $0 - finalReserveSeconds - elapsedSeconds }
    }

    // MARK: Nodes

    /// Succeeded, scored nodes that are solutions (not ablation studies).
    public func solutions() -> [Node] {
        ((try? journal.nodes()) ?? []).map(\.node).filter { $0.status == .succeeded && $0.harnessScore != nil && $0.stage != .ablation }
    }

    /// The best solution so far by harness score in the task's direction.
    public func bestSolution() -> Node? {
        solutions().reduce(nil) { best, node in
            guard let best, let bestScore = best.harnessScore else { return node }
            return direction.isBetter(node.harnessScore!, than: bestScore) ? node : best
        }
    }

    /// Whether `candidate` is at least as good as `incumbent` (ties keep the newer script).
    public func isNotWorse(_ candidate: Node, than incumbent: Node) -> Bool {
        guard let c = candidate.harnessScore else { return false }
        guard let i = incumbent.harnessScore else { return true }
        return !direction.isBetter(i, than: c)
    }

    /// The end of a node's output log (ablation results, tracebacks).
    public func outputTail(ofNode id: Int, characters: Int = 4000) -> String {
        let log = harness.folder(forNode: id).appendingPathComponent("run.log")
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return "" }
        return String(text.suffix(characters))
    }

    /// Logs a progress line and a journal event.
    public func report(_ message: String, kind: String = "step") {
        let spend = spend()
        try? journal.record(EventRecord(kind: kind, message: message))
        progress.report(elapsed: spend.elapsedSeconds, message, best: bestSolution()?.harnessScore, tokens: spend.tokens, cost: spend.costUSD)
    }

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
    public func execute(step: String, stage: NodeStage, parent: Int?, plan: String, code: String, grade: Bool = true,
                        origin: NodeOrigin = .model) async throws -> (Node, ScriptOutcome?) {
        let earlier = try journal.node(forStep: step)
        if let earlier, earlier.node.status != .pending { return (earlier.node, nil) }
        // A pending node is one that was running when the process died: run it again under its id.
        var node: Node
        if let earlier {
            node = earlier.node
            node.code = code
        } else {
            node = try journal.createNode(stepKey: step) { Node(id: $0, parentID: parent, stage: stage, plan: plan, code: code, origin: origin) }
        }
        let id = node.id
        let folder = harness.folder(forNode: id)
        var code = code
        if grade, origin != .example {
            // Mechanical repairs save a debug round: the node keeps the repaired script.
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
                    try journal.save(JournalNode(stepKey: step, node: node))
                    report("\(step): pre-flight found problems; not run", kind: "node")
                    return (node, nil)
                }
            }
            if !fixes.isEmpty {
                node.code = code
                node.plan += " [pre-flight repaired: \(fixes.joined(separator: "; "))]"
                try journal.save(JournalNode(stepKey: step, node: node))
            }
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
        try journal.save(JournalNode(stepKey: step, node: node))
        if let self_ = outcome.selfReported, let score = outcome.score, Self.disagree(self_, score) {
            try? journal.record(EventRecord(kind: "leak-warning", message: "node \(id): the script reported validation_score \(self_) but the harness measured \(score) on the hidden dev rows"))
        }
        let result = node.status == .succeeded ? (grade ? String(format: "score %.5g", outcome.score ?? .nan) : "ran") : "failed"
        report("\(step) → node \(id) \(result)", kind: "node")
        return (node, outcome)
    }

    /// Whether a self-reported score and the harness score differ enough to flag.
    static func disagree(_ reported: Double, _ measured: Double) -> Bool {
        let scale = max(abs(measured), abs(reported), 1e-9)
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
    ///   - generate: Produces the first version of the script.
    /// - Returns: The last node run: the first that worked, or the last failure.
    public func develop(step: String, stage: NodeStage, parent: Int?, plan: String, fallback: String? = nil, grade: Bool = true,
                        generate: @Sendable () async throws -> String) async throws -> Node {
        var node: Node
        if let done = try journal.node(forStep: step), done.node.status != .pending {
            node = done.node
        } else {
            let code: String
            do {
                code = try await CurrentStep.$key.withValue(step) { try await generate() }
            } catch let error as CancellationError {
                throw error
            } catch {
                report("\(step): the LLM gave no usable script (\(error))", kind: "warning")
                return try await runFallback(step: step, stage: stage, parent: parent, plan: plan, fallback: fallback, lastError: "\(error)")
            }
            node = try await execute(step: step, stage: stage, parent: parent, plan: plan, code: code, grade: grade).0
        }
        var round = 0
        var repairs = 0
        while node.status == .failed && round < settings.debugRounds && exhausted() == nil {
            let failed = node
            let repaired = repairs < Self.maxRepairsPerStep ? try await repairWithoutLLM(step: step, attempt: repairs + 1, failed: failed, stage: grade ? .debug : stage, grade: grade) : nil
            if let repaired, repaired.applied {
                repairs += 1
                node = repaired.node
                continue
            }
            round += 1
            let debugStep = "\(step)/debug/\(round)"
            if let done = try journal.node(forStep: debugStep), done.node.status != .pending {
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
                report("\(debugStep): the LLM gave no usable fix (\(error))", kind: "warning")
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

    /// Grounded repairs tried per step before (and between) LLM debug rounds.
    static let maxRepairsPerStep = 2

    private func runFallback(step: String, stage: NodeStage, parent: Int?, plan: String, fallback: String?, lastError: String) async throws -> Node {
        guard let fallback else {
            if let done = try journal.node(forStep: step + "/no-code") { return done.node }
            return try journal.createNode(stepKey: step + "/no-code") {
                Node(id: $0, parentID: parent, stage: stage, plan: plan, code: "", status: .failed, error: lastError)
            }
        }
        return try await execute(step: step + "/fallback", stage: stage, parent: parent,
                                 plan: plan + " (the model card's example, unchanged: the LLM's versions failed)", code: fallback,
                                 origin: .example).0
    }

    // MARK: LLM

    /// The client for a role (the coder's when the role has none).
    public func client(_ role: AgentRole) -> any LLMClient {
        clients[role] ?? clients[.coder]!
    }

    func request(_ prompt: String, maxTokens: Int, temperature: Double? = nil) -> ChatRequest {
        request([.system(prompts.render(.system)), .user(prompt)], maxTokens: maxTokens, temperature: temperature)
    }

    /// A request with the run's timeout. A request identical to one already sent in this run is
    /// not sent again as it was: at temperature 0 it would get the same reply, so a repeat goes
    /// out with temperature 0.7 and a seed of its own.
    func request(_ messages: [ChatMessage], maxTokens: Int, temperature: Double? = nil) -> ChatRequest {
        // A reply may take as long as the search has left (small local models on busy machines
        // are slow), but never longer than 15 minutes.
        var timeout = 900.0
        if let left = searchSecondsLeft { timeout = min(timeout, max(30, left)) }
        var request = ChatRequest(messages: messages, temperature: temperature ?? settings.temperature, maxTokens: maxTokens, timeout: timeout)
        var hasher = Hasher()
        for message in messages { hasher.combine(message.role.rawValue); hasher.combine(message.content) }
        hasher.combine(request.temperature)
        let key = hasher.finalize()
        let repeats = sentRequests.withLock { sent -> Int in
            defer { sent[key, default: 0] += 1 }
            return sent[key] ?? 0
        }
        if repeats > 0 {
            request.temperature = max(0.7, request.temperature ?? 0)
            request.seed = repeats
            try? journal.record(EventRecord(kind: "repeat-request", message: "\(CurrentStep.key): a request already sent in this run goes out again with temperature 0.7, seed \(repeats)"))
        }
        return request
    }

    /// Has a local server process the prefix every edit prompt shares (the system prompt and the
    /// task context, ~2.5k tokens) while the card examples run, so the first edit request finds it
    /// cached: a cold prefix costs 40–90 s of prompt processing on two cores. The one-token reply
    /// is not a model call of the run and is not journaled. Returns at once for remote models and
    /// whole-script runs.
    ///
    /// Edit requests wait for it (``promptCacheWarmed()``): sent while it still runs, a request
    /// would go to the other slot, cold, and both would share the cores.
    public func startWarmingPromptCache() {
        let coder = client(.coder)
        guard editFormat != .whole, coder.model.provider == .local else { return }
        let base = (coder as? JournalingLLMClient)?.base ?? coder
        let warm = ChatRequest(messages: [.system(prompts.render(.system)), .user(taskContext())], temperature: 0, maxTokens: 1, timeout: 300)
        warming.withLock { task in
            guard task == nil else { return }
            task = Task { _ = try? await base.complete(warm) }
        }
    }

    /// Returns when the prompt-cache warm-up (if one was started) has finished.
    func promptCacheWarmed() async {
        if let task = warming.withLock({ $0 }) { await task.value }
    }

    /// Asks for a complete Python script; the reply's code block must parse.
    public func askCode(_ role: AgentRole, prompt: String, temperature: Double? = nil) async throws -> String {
        try await client(role).pythonCode(request: request(prompt, maxTokens: settings.maxCodeTokens, temperature: temperature),
                                          checker: PythonSyntaxChecker(python: python.path)).value
    }

    /// Asks for a script preceded by a sentence of plan; returns both (the plan may be empty).
    public func askPlanAndCode(_ role: AgentRole, prompt: String, temperature: Double? = nil) async throws -> (plan: String, code: String) {
        let reply = try await client(role).pythonCode(request: request(prompt, maxTokens: settings.maxCodeTokens, temperature: temperature),
                                                      checker: PythonSyntaxChecker(python: python.path))
        let text = reply.response.text
        let prose = text.components(separatedBy: "```").first?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return (String(prose.prefix(400)), reply.value)
    }

    /// Asks for a Python fragment (a code block to splice); parsing is checked after splicing.
    public func askFragment(_ role: AgentRole, prompt: String) async throws -> String {
        let reply = try await client(role).complete(request(prompt, maxTokens: settings.maxCodeTokens))
        return try PythonCodeExtractor.extract(from: reply.text)
    }

    /// Asks for plain text (a plan, a summary).
    public func askText(_ role: AgentRole, prompt: String, maxTokens: Int = 400) async throws -> String {
        try await client(role).complete(request(prompt, maxTokens: maxTokens)).text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Asks for a JSON object decoded into `type`, using the server's JSON-schema mode when it has one.
    public func askJSON<T: Decodable & Sendable>(_ type: T.Type, _ role: AgentRole, prompt: String, schema: JSONValue) async throws -> T {
        try await client(role).structured(type, request: request(prompt, maxTokens: 1024), schema: schema).value
    }

    // MARK: Prompt pieces

    /// The task, schema and rules block that starts most prompts.
    public func taskContext() -> String {
        let spec = task.spec
        let header = ([spec.idColumn] + spec.targetColumns).joined(separator: ",")
        let kind: String
        switch spec.metric {
        case .rocAUC, .logLoss, .rocAUCOneVsRest, .rocAUCColumnMean, .multiClassLogLoss:
            kind = "Predict probabilities (values between 0 and 1) of the positive class for \(spec.targetColumns.joined(separator: ", ")), e.g. `model.predict_proba(X_test)[:, 1]`; the metric is \(spec.metric.rawValue)."
        case .accuracy, .balancedAccuracy, .f1Binary, .f1Macro, .f1Micro, .quadraticWeightedKappa, .mapAtK:
            kind = "Predict class labels for \(spec.targetColumns.joined(separator: ", ")), with the same values as in train.csv; the metric is \(spec.metric.rawValue)."
        default:
            kind = "Predict numeric values for \(spec.targetColumns.joined(separator: ", ")); the metric is \(spec.metric.rawValue) (\(spec.direction.rawValue) is better)."
        }
        let rules = prompts.render(.rules, [
            "targets": spec.targetColumns.map { "`\($0)`" }.joined(separator: ", "),
            "id_column": spec.idColumn,
            "submission_header": "`\(header)`",
            "prediction_kind": kind,
            "metric": spec.metric.rawValue,
            "time_limit": String(Int(settings.scriptTimeoutSeconds * 0.8)),
            "libraries": libraries,
        ])
        let description = task.taskDescription.count > 6000 ? String(task.taskDescription.prefix(6000)) + "\n…" : task.taskDescription
        return prompts.render(.taskContext, [
            "task_name": spec.name, "task_description": description, "schema": profile.markdown, "rules": rules,
        ])
    }
}
