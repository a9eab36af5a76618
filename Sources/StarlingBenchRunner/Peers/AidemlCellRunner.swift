import Foundation
import StarlingAgents
import StarlingBench
import StarlingCore
import StarlingRuntime
import StarlingStore
import StarlingRunFolder

/// Runs aideml (the AIDE agent, PyPI package `aideml`) as a bench peer: on the task's public
/// files and description, against the same LLM server and wall-clock budget as Starling's
/// cells, graded by the same grader.
///
/// - aideml runs inside Starling's sandbox with the network off (a fresh network namespace); the
///   only way out is `aideml_launch.py`'s loopback port, which pipes to `aideml_proxy.py` on a
///   Unix socket outside, which forwards to the LLM server and logs every call.
/// - Strategy `aideml` forwards requests unchanged; `aideml-adapter` turns aideml's forced
///   `submit_review` tool call into a json_schema request (llama-server rejects an object
///   `tool_choice`).
/// - aideml gets the budget less a reserve; then the best working node by aideml's own
///   metric is rerun on the public files (next best when it fails) and its submission graded.
/// - The cell folder gets `summary.json`, `final/`, and a `journal.sqlite` converted from
///   aideml's journal, so the bench tables and `starling report` treat it like any run.
package struct AidemlCellRunner: BenchCellRunner {
    /// The strategy names this runner answers to.
    package static let strategies = [StrategyName.aideml.rawValue, StrategyName.aidemlAdapter.rawValue]

    /// The aideml environment's interpreter.
    package var python: URL
    /// The sandbox (must isolate with namespaces, so the network is off).
    package var sandbox: Sandbox
    /// The tasks by id.
    package var tasks: [String: TaskDefinition]
    /// The wall-clock budget per cell, seconds.
    package var budgetSeconds: Double
    /// Script timeout, memory and cores, shared with Starling's runs; `aideSteps` caps steps.
    package var settings: AgentSettings
    /// The model name aideml sends (must not start with `gpt-`, `o<digit>`, `claude-` or
    /// `gemini-`, or aideml calls a remote API).
    package var modelName: String
    /// The OpenAI-compatible server's base URL, asked for once per cell (starts a local server).
    package var upstream: @Sendable () async throws -> URL

    /// Creates a runner.
    package init(python: URL, sandbox: Sandbox, tasks: [String: TaskDefinition], budgetSeconds: Double, settings: AgentSettings,
                modelName: String, upstream: @escaping @Sendable () async throws -> URL) {
        self.python = python
        self.sandbox = sandbox
        self.tasks = tasks
        self.budgetSeconds = budgetSeconds
        self.settings = settings
        self.modelName = modelName
        self.upstream = upstream
    }

    /// Seconds kept back from aideml for rerunning its best node: what `starling run --time`
    /// keeps back for its final run (a quarter of the budget, at most a script timeout and a minute).
    package var reserveSeconds: Double {
        Budget.forWall(budgetSeconds, standardScriptTimeout: settings.scriptTimeoutSeconds).reserveSeconds
    }

    /// The bundled helper scripts.
    static func resource(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: "py", subdirectory: "Resources/aideml") else {
            throw BenchCellError("the bundled \(name).py is missing from the StarlingBenchRunner resources")
        }
        return url
    }

    /// aideml's command-line configuration for a cell.
    func aideArguments(task: TaskDefinition, seconds: Double) -> [String] {
        [
            "data_dir=\(task.publicURL.path)", "desc_file=task.md", "log_dir=logs", "workspace_dir=workspaces",
            "exp_name=starling", "generate_report=False", "copy_data=True",
            "agent.steps=\(settings.aideSteps)",
            "agent.code.model=\(modelName)", "agent.feedback.model=\(modelName)", "report.model=\(modelName)",
            "exec.timeout=\(Int(min(settings.scriptTimeoutSeconds, seconds)))",
        ]
    }

    package func run(_ cell: BenchCell, task _: BenchTask, in folder: URL) async throws {
        let task = try readyTask(for: cell)
        let fm = FileManager.default
        try Self.moveEarlierAttemptAside(in: folder)
        let clock = ContinuousClock()
        let started = clock.now
        let startDate = Date()
        let deadline = started.advanced(by: .seconds(budgetSeconds))
        let work = folder.appendingPathComponent("aideml")
        try fm.createDirectory(at: work, withIntermediateDirectories: true)
        try fm.copyItem(at: task.descriptionURL, to: work.appendingPathComponent("task.md"))
        let callsLog = folder.appendingPathComponent("llm-calls.jsonl")
        _ = fm.createFile(atPath: callsLog.path, contents: nil)

        let (result, arguments, aideSeconds) = try await runAideml(task: task, cell: cell, work: work, folder: folder, callsLog: callsLog)
        let stopReason = stopReason(of: result, seconds: aideSeconds)

        let journalFile = ((try? fm.contentsOfDirectory(atPath: work.appendingPathComponent("logs").path)) ?? [])
            .map { work.appendingPathComponent("logs/\($0)/journal.json") }
            .first { fm.fileExists(atPath: $0.path) }
        let journal = try journalFile.map { try AidemlJournal(contentsOf: $0) }

        var summary = RunSummary(runFolder: folder.path, taskID: task.id, strategy: cell.strategy, stopReason: stopReason)
        summary.metric = task.spec.metric.rawValue
        summary.direction = task.spec.direction.rawValue
        summary.baseline = task.spec.baseline?.value
        summary.reference = task.spec.reference?.value
        summary.nodes = journal?.nodes.count ?? 0
        let calls = Self.calls(callsLog)
        summary.llm = Self.totals(calls)

        // The shared final step: aideml's best working nodes (by its own metric) rerun on the
        // public files until one writes a valid submission, graded on the real test rows.
        let layout = RunLayout(folder)
        let ranked = (journal?.rankedWorkingNodes ?? [])
        let byLabel = Dictionary(ranked.map { ("aideml step \($0.step)", $0) }, uniquingKeysWith: { first, _ in first })
        let candidates = ranked.map {
            FinalSubmission.Candidate(nodeID: nil, label: "aideml step \($0.step)", code: $0.code, selfReportedScore: $0.metric)
        }
        let chosen = try await FinalSubmission(layout: layout, task: task).submit(candidates, into: &summary, rerun: { candidate in
            let remaining = Self.seconds(clock.now.duration(to: deadline))
            guard remaining >= 15, let node = byLabel[candidate.label] else { return nil }
            return try await rerun(node, task: task, folder: folder, seconds: remaining)
        }, warn: { _ in })
        let finalNode = chosen.flatMap { byLabel[$0.label] }
        summary.elapsedSeconds = Self.seconds(started.duration(to: clock.now))
        let ids = try writeJournal(folder: folder, task: task, cell: cell, aideml: journal, calls: calls,
                                   arguments: arguments, stopReason: stopReason, final: finalNode, started: startDate,
                                   elapsed: summary.elapsedSeconds)
        summary.bestNodeID = finalNode.flatMap { ids[$0.id] }
        try RunLayout.writeJSON(summary, to: layout.summary)
    }

    /// Runs aideml in the sandbox, its only way out the proxy to the local server; returns its
    /// result, its arguments and its share of the budget (the rest is the final rerun's).
    func runAideml(task: TaskDefinition, cell: BenchCell, work: URL, folder: URL, callsLog: URL) async throws
        -> (result: ExecutionResult, arguments: [String], seconds: Double) {
        let launch = try Self.resource("aideml_launch")
        let proxyScript = try Self.resource("aideml_proxy")
        let mode = cell.strategy == "aideml-adapter" ? "adapter" : "passthrough"
        let socket = URL(fileURLWithPath: "/tmp/starling-aideml-\(UUID().uuidString.prefix(8)).sock")
        let proxy = try await startProxy(script: proxyScript, socket: socket, upstream: try await upstream(), mode: mode,
                                         log: callsLog, output: folder.appendingPathComponent("proxy.log"))
        defer {
            proxy.kill()  // SIGKILL: the proxy keeps no state
            try? FileManager.default.removeItem(at: socket)
        }
        let aideSeconds = budgetSeconds - reserveSeconds
        let arguments = aideArguments(task: task, seconds: aideSeconds)
        let request = ExecutionRequest(
            script: launch, arguments: ["--socket", socket.path, "--"] + arguments, workDir: work,
            readOnlyPaths: [task.publicURL], hiddenPaths: [task.privateURL, task.answersURL], python: python,
            limits: ExecutionLimits(timeoutSeconds: aideSeconds, memoryMB: settings.scriptMemoryMB, cores: settings.coresPerScript),
            environment: ["OPENAI_API_KEY": "no-key-local-server", "TERM": "dumb"],
            logFile: folder.appendingPathComponent("aideml.log"))
        let result = try await sandbox.run(request)
        // A request aideml left behind when it was stopped dies with the proxy now, before the
        // caller reads its log (the deferred stop covers a throw).
        proxy.kill()
        return (result, arguments, aideSeconds)
    }

    /// Why aideml stopped, in words.
    func stopReason(of result: ExecutionResult, seconds: Double) -> String {
        if result.timedOut { return "time (aideml's share of the budget, \(Int(seconds)) s, ran out)" }
        if result.exitCode == 0 { return "aideml finished its \(settings.aideSteps) steps" }
        return "aideml exited (\(result.summary)): \(Self.lastLine(of: result.output.text))"
    }

    /// The cell's task, once everything aideml needs is there.
    ///
    /// - Throws: ``BenchCellError`` saying what is missing and how to get it.
    func readyTask(for cell: BenchCell) throws -> TaskDefinition {
        guard Self.strategies.contains(cell.strategy) else {
            throw BenchCellError("the aideml runner does not run strategy \(cell.strategy)")
        }
        guard let task = tasks[cell.task] else { throw BenchCellError("unknown task \(cell.task)") }
        guard task.isPrepared else { throw BenchCellError("task \(task.id) is not prepared: run `starling tasks prepare \(task.id)`") }
        guard sandbox.isolation.usesNamespaces else {
            throw BenchCellError("aideml runs only with the network off, which needs the namespaced sandbox; this machine has \(sandbox.isolation.description)")
        }
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw BenchCellError("the aideml environment is missing: run `starling setup --aideml`")
        }
        return task
    }

    /// aideml cannot resume, so an interrupted cell starts again; what the earlier attempt left
    /// is moved aside to `previous-attempt-<n>/`, not deleted.
    static func moveEarlierAttemptAside(in folder: URL) throws {
        let fm = FileManager.default
        let earlier = ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0 != RunLayout.Name.benchLog && !$0.hasPrefix("previous-attempt-") }
        guard !earlier.isEmpty else { return }
        var number = 1
        while fm.fileExists(atPath: folder.appendingPathComponent("previous-attempt-\(number)").path) { number += 1 }
        let aside = folder.appendingPathComponent("previous-attempt-\(number)")
        try fm.createDirectory(at: aside, withIntermediateDirectories: true)
        for name in earlier {
            try fm.moveItem(at: folder.appendingPathComponent(name), to: aside.appendingPathComponent(name))
        }
    }

    /// Reruns one of aideml's nodes on the public files in `final-run/step-<n>/`; returns the
    /// submission it wrote (aideml's scripts write it in one of three places), or `nil`.
    func rerun(_ node: AidemlJournal.Node, task: TaskDefinition, folder: URL, seconds: Double) async throws -> URL? {
        let fm = FileManager.default
        let rerun = ScriptWorkspace(folder.appendingPathComponent("final-run/step-\(node.step)"))
        try rerun.prepare(code: node.code, input: .link(task.publicURL))
        let outcome = try await sandbox.run(ExecutionRequest(
            script: rerun.script, workDir: rerun.folder, readOnlyPaths: [task.publicURL], hiddenPaths: [task.privateURL, task.answersURL],
            python: python, limits: ExecutionLimits(timeoutSeconds: seconds, memoryMB: settings.scriptMemoryMB, cores: settings.coresPerScript),
            logFile: rerun.log))
        guard outcome.succeeded else { return nil }
        let name = ScriptWorkspace.Name.submission
        return [rerun.working.appendingPathComponent(name), rerun.submission, rerun.folder.appendingPathComponent(name)]
            .first { fm.fileExists(atPath: $0.path) }
    }
}
