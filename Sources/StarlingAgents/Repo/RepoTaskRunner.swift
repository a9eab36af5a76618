import Foundation
import StarlingCore
import StarlingLLM
import StarlingRuntime
import StarlingBench
import StarlingRepo
import StarlingStore
import StarlingRunFolder

/// Runs the `repo` strategy on a repo task: read the repository (brief, then the exploration
/// tools when they are on), write a script that calls it, run the script in the sandbox with the
/// repository importable and read-only, check that the promised output files exist, fix the
/// script with the error (and the definitions it names) when they do not, and finally let the
/// task's own test script judge the output. The test script's verdict is never shown to the
/// model: like GitTaskBench, the agent only sees its own run.
package struct RepoTaskRunner: Sendable {
    package let task: RepoTask
    /// The repository root and the folders that go on `sys.path`.
    package let repoRoot: URL
    package let importRoots: [URL]
    /// Whether the exploration tools are on (`repo`) or off (`repo-no-tools`).
    package let toolsOn: Bool
    package let settings: AgentSettings
    package let budget: Budget
    /// The coder's client (already journaled or not; the runner wraps it).
    package let client: any LLMClient
    package let runFolder: URL
    package let sandbox: Sandbox
    package let python: URL
    package let progress: ProgressReporter
    package let prices: PriceTable?

    /// Creates a runner.
    package init(task: RepoTask, repoRoot: URL, importRoots: [URL], toolsOn: Bool, settings: AgentSettings, budget: Budget,
                client: any LLMClient, runFolder: URL, sandbox: Sandbox, python: URL, progress: ProgressReporter, prices: PriceTable?) {
        self.task = task
        self.repoRoot = repoRoot
        self.importRoots = importRoots
        self.toolsOn = toolsOn
        self.settings = settings
        self.budget = budget
        self.client = client
        self.runFolder = runFolder
        self.sandbox = sandbox
        self.python = python
        self.progress = progress
        self.prices = prices
    }

    var layout: RunLayout { RunLayout(runFolder) }
    /// The share of the time budget reading the repository may take.
    static let readingShare = 0.4
    var strategyName: String { toolsOn ? StrategyName.repo.rawValue : StrategyName.repoNoTools.rawValue }
    var isLocal: Bool { client.model.provider == .local }

    /// One script's run.
    struct Attempt {
        var node: Node
        var folder: URL
        var produced: Bool
        var error: String?
    }

    /// The journal and progress line of one run.
    struct Log {
        let journal: Journal
        let progress: ProgressReporter
        let started: Date

        func say(_ line: String, _ kind: EventKind = .stage) {
            try? journal.record(EventRecord(kind, line))
            let tokens = (try? journal.llmTotals()).map { $0.promptTokens + $0.completionTokens } ?? 0
            progress.report(elapsed: Date().timeIntervalSince(started), line, best: nil, tokens: tokens, cost: 0)
        }
    }

    /// Runs the task and writes `summary.json`, `final/` (solution.py, output/, check.json: the test script verdict) and `tree.json`.
    ///
    /// - Parameter configJSON: The run's settings, stored in the journal.
    /// - Returns: The summary.
    package func run(configJSON: String) async throws -> RunSummary {
        let started = Date()
        try FileManager.default.createDirectory(at: runFolder, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: layout.journal.path) {
            // A repo run restarts rather than resumes; the earlier journal is kept beside the new one.
            let kept = runFolder.appendingPathComponent("journal-earlier-\(Int(started.timeIntervalSince1970)).sqlite")
            try FileManager.default.moveItem(at: layout.journal, to: kept)
        }
        let journal = try Journal(path: layout.journal)
        _ = try journal.startRun(RunRecord(id: runFolder.lastPathComponent, taskID: task.id, strategy: strategyName, configJSON: configJSON))
        let log = Log(journal: journal, progress: progress, started: started)
        let coder = ClientStack.journaled([.coder: client], journal: journal, prices: prices)[.coder]!
        let prompts = try PromptLibrary()

        var summary = RunSummary(runFolder: runFolder.path, taskID: task.id, strategy: strategyName, stopReason: "search finished")
        summary.metric = "pass"
        summary.direction = "higher"
        var outcome = RepoOutcome()
        outcome.toolsOn = toolsOn
        outcome.repository = task.source.pypi.map { "\($0) \(task.source.version ?? "")" } ?? repoRoot.path

        let analysis = try await RepoAnalysis.analyze(repoRoot)
        let brief = RepoBrief(analysis, budget: isLocal ? RepoBrief.localModelBudget : 6000)
        log.say("repository \(outcome.repository): \(analysis.sizeLine); brief ≈\(brief.tokens) tokens")
        var findings = RepoExplorer.Findings(turns: [], notes: "", stopReason: "tools off")
        if toolsOn {
            findings = try await explore(analysis: analysis, brief: brief, coder: coder, prompts: prompts, journal: journal, started: started)
            outcome.toolCalls = findings.turns.count
            outcome.failedToolCalls = findings.turns.filter { !$0.ok }.count
            log.say("explored with \(findings.turns.count) tool calls (\(findings.stopReason))")
        }
        let (attempts, stop) = try await writeAndRun(analysis: analysis, brief: brief, findings: findings, coder: coder, prompts: prompts, log: log)
        if let stop { summary.stopReason = stop }
        outcome.attempts = attempts.count
        if let chosen = attempts.last(where: { $0.produced }) ?? attempts.last {
            let check = try await judge(chosen)
            outcome.process = check.process
            outcome.result = check.result
            outcome.comments = check.comments
            summary.bestNodeID = chosen.node.id
            log.say("test script: process \(check.process), result \(check.result) — \(check.comments)")
        } else {
            outcome.comments = "no script was written"
        }
        summary.validSubmission = outcome.process
        summary.finalScore = outcome.result ? 1 : 0
        summary.repo = outcome
        // ModelWork counts scripts the harness scored on dev rows; a repo task has none (the
        // verdict is the test script's, in `repo`), so it is left out rather than read as 0% valid.
        summary.llm = (try? journal.llmTotals()) ?? LLMTotals()
        summary.nodes = (try? journal.nodes().count) ?? 0
        summary.elapsedSeconds = Date().timeIntervalSince(started)
        try journal.finishRun(outcome.process ? RunStatus.finished : .failed, elapsedSeconds: summary.elapsedSeconds)
        try RunLayout.writeJSON(summary, to: layout.summary)
        try RunLayout.writeJSON(SearchTree(journal: journal, metric: "pass", direction: .higher), to: layout.tree)
        return summary
    }

    /// Reads the repository with the tools (step `explore`).
    func explore(analysis: RepoAnalysis, brief: RepoBrief, coder: any LLMClient, prompts: PromptLibrary, journal: Journal,
                 started: Date) async throws -> RepoExplorer.Findings {
        var toolbox = RepoToolbox(analysis, outputLimit: isLocal ? 2500 : 6000)
        toolbox.extraFolders = ["input": task.inputFolder]
        var explorer = RepoExplorer(toolbox: toolbox, client: coder, prompts: prompts,
                                    journal: journal, maxTurns: settings.repoTurns, answerLimit: isLocal ? 1800 : 4000)
        // Reading may take at most 40% of the time budget: the rest is for writing, running and fixing scripts.
        explorer.deadline = budget.wallSeconds.map { started.addingTimeInterval($0 * Self.readingShare) }
        return try await CurrentStep.$key.withValue(.explore) {
            try await explorer.explore(task: task.description, brief: brief.text, inputs: inputListing())
        }
    }

    /// Writes a script, runs it, and fixes it until it writes the promised outputs, the attempts
    /// run out or the time does (steps `attempt/<n>`).
    ///
    /// - Returns: The attempts, and why they stopped early (`time`, `cancelled`) if they did.
    func writeAndRun(analysis: RepoAnalysis, brief: RepoBrief, findings: RepoExplorer.Findings, coder: any LLMClient,
                     prompts: PromptLibrary, log: Log) async throws -> ([Attempt], String?) {
        let deadline = budget.wallSeconds.map { log.started.addingTimeInterval($0) }
        let outputsNote = task.outputs.isEmpty ? "" : " as " + task.outputs.map { "`output/\($0)`" }.joined(separator: " and ")
        var attempts: [Attempt] = []
        var code: String?
        var error = ""
        var echoed = false
        for number in 1...max(1, settings.repoAttempts) {
            if let deadline, Date() >= deadline { return (attempts, "time") }
            let step = StepKey.attempt(number)
            let request: ChatRequest
            if let previous = code {
                let definitions = (toolsOn ? relevantDefinitions(error: error, code: previous, analysis: analysis) : "")
                    + Self.missingModuleNote(error: error, analysis: analysis)
                // After an echo the same request would get the same reply: say so and sample differently.
                let echo = echoed ? "\n\nYour last reply repeated this script unchanged. It fails the same way: change it." : ""
                request = ChatRequest(messages: [.system(prompts.render(.repoSystem)), .user(prompts.render(.repoDebug, [
                    "task": task.description, "import_line": importLine, "definitions": definitions, "code": previous,
                    "error": error + echo, "outputs": outputsNote,
                ]))], temperature: echoed || number > 2 ? 0.5 : 0, maxTokens: settings.maxCodeTokens, seed: number)
            } else {
                request = ChatRequest(messages: [.system(prompts.render(.repoSystem)), .user(prompts.render(.repoSolve, [
                    "task": task.description, "import_line": importLine, "brief": brief.text,
                    "findings": toolsOn ? findings.text(characters: isLocal ? 5000 : 12000) : "(no exploration: the tools are off; use the brief)",
                    "inputs": inputListing(), "outputs": outputsNote,
                ]))], temperature: 0, maxTokens: settings.maxCodeTokens)
            }
            let written: String
            do {
                written = try await CurrentStep.$key.withValue(step) { try await coder.pythonCode(request: request).value }
            } catch is CancellationError {
                return (attempts, "cancelled")
            } catch {
                log.say("attempt \(number): no usable script in the reply (\(error))", .warning)
                continue
            }
            if written.trimmingCharacters(in: .whitespacesAndNewlines) == code?.trimmingCharacters(in: .whitespacesAndNewlines) {
                // An unchanged script would fail the same way: it is not run again.
                log.say("attempt \(number): the reply repeated the script unchanged; not run, asked again", .identicalReply)
                echoed = true
                continue
            }
            echoed = false
            let attempt = try await execute(code: written, step: step, number: number, parent: attempts.last?.node.id, journal: log.journal)
            attempts.append(attempt)
            code = written
            if attempt.produced { log.say("attempt \(number) wrote its output"); break }
            error = attempt.error ?? "unknown failure"
            log.say("attempt \(number) failed: \(error.split(separator: "\n").last.map(String.init) ?? error)", .warning)
        }
        return (attempts, nil)
    }

    /// Copies the chosen attempt into `final/` and lets the task's test script judge its output.
    func judge(_ chosen: Attempt) async throws -> RepoCheck {
        let final = layout.finalFolder
        try? FileManager.default.removeItem(at: final)
        try FileManager.default.createDirectory(at: final, withIntermediateDirectories: true)
        try chosen.node.code.write(to: layout.finalSolution, atomically: true, encoding: .utf8)
        let output = chosen.folder.appendingPathComponent("output")
        if FileManager.default.fileExists(atPath: output.path) {
            try FileManager.default.copyItem(at: output, to: final.appendingPathComponent("output"))
        }
        let check = try await RepoCheck.run(task: task, output: final.appendingPathComponent("output"), scratch: runFolder.appendingPathComponent("checks/test"),
                                            sandbox: sandbox, python: python, pythonPath: importRoots)
        try RunLayout.writeJSON(check, to: final.appendingPathComponent("check.json"))
        return check
    }

    /// Runs one script in `nodes/<id>/` with a copy of the inputs (read-only), the repository
    /// importable and read-only, and every task's ground truth and test script hidden
    /// (``RepoTask/secretPaths(visible:)``).
    func execute(code: String, step: StepKey, number: Int, parent: Int?, journal: Journal) async throws -> Attempt {
        var node = try journal.createNode(step: step) {
            Node(id: $0, parentID: parent, stage: parent == nil ? .draft : .debug, plan: parent == nil ? "script from the repository reading" : "fix of node \(parent!)", code: code)
        }
        // A repository task's script reads a copy of the inputs and writes files under output/, not a submission.
        let workspace = layout.node(node.id)
        let folder = workspace.folder
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: task.inputFolder.path) {
            try FileManager.default.copyItem(at: task.inputFolder, to: workspace.input)
        }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("output"), withIntermediateDirectories: true)
        let script = workspace.script
        try code.write(to: script, atomically: true, encoding: .utf8)
        let hidden = task.secretPaths(visible: [repoRoot, folder, python, python.deletingLastPathComponent().deletingLastPathComponent()] + importRoots)
        let request = ExecutionRequest(script: script, workDir: folder, readOnlyPaths: [workspace.input, repoRoot], hiddenPaths: hidden,
                                       python: python, limits: ExecutionLimits(timeoutSeconds: settings.scriptTimeoutSeconds, memoryMB: settings.scriptMemoryMB),
                                       environment: ["PYTHONPATH": importRoots.map(\.path).joined(separator: ":")],
                                       logFile: workspace.log)
        let result = try await sandbox.run(request)
        let missing = missingOutputs(in: folder.appendingPathComponent("output"))
        var error: String?
        if !result.succeeded {
            error = "the script \(result.summary):\n" + String(result.output.text.suffix(2500))
        } else if !missing.isEmpty {
            error = "the script ran but did not write " + missing.joined(separator: ", ") + " under output/. Its output:\n" + String(result.output.text.suffix(1200))
        }
        node.status = error == nil ? .succeeded : .failed
        node.error = error
        node.executionSeconds = result.wallSeconds
        try journal.save(JournalNode(step: step, node: node))
        return Attempt(node: node, folder: folder, produced: error == nil, error: error)
    }

    /// The promised output files that are missing or empty (any file at all when none is promised).
    func missingOutputs(in output: URL) -> [String] {
        let fm = FileManager.default
        if task.outputs.isEmpty {
            let written = (try? fm.subpathsOfDirectory(atPath: output.path)) ?? []
            return written.isEmpty ? ["any file"] : []
        }
        return task.outputs.filter { name in
            let size = (try? fm.attributesOfItem(atPath: output.appendingPathComponent(name).path)[.size] as? Int) ?? nil
            return (size ?? 0) == 0
        }
    }

    /// How the prompts say the repository is used: by its import name, or (a repository with no
    /// importable package or module) by running its scripts by path.
    var importLine: String {
        guard !task.source.name.isEmpty else {
            return "The repository has no importable package: run its scripts by path, e.g. "
                + "`subprocess.run([sys.executable, \"\(repoRoot.path)/SCRIPT.py\", ...], check=True)` (read-only; do not install anything)."
        }
        return "The repository's source is importable: `import \(task.source.name)` works (it is on sys.path; do not install anything, do not change sys.path)."
    }

    /// The input files with their sizes and first lines, for the prompt.
    func inputListing() -> String {
        let fm = FileManager.default
        let files = ((try? fm.subpathsOfDirectory(atPath: task.inputFolder.path)) ?? []).sorted().filter {
            var isDirectory: ObjCBool = false
            return fm.fileExists(atPath: task.inputFolder.appendingPathComponent($0).path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
        guard !files.isEmpty else { return "(no input files)" }
        return files.prefix(20).map { path in
            let url = task.inputFolder.appendingPathComponent(path)
            let size = (try? fm.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            var line = "- input/\(path) (\(size) bytes)"
            if let text = try? String(contentsOf: url, encoding: .utf8) {
                line += ", first lines:\n```\n" + text.split(separator: "\n", omittingEmptySubsequences: false).prefix(6).joined(separator: "\n").prefix(500) + "\n```"
            }
            return line
        }.joined(separator: "\n")
    }

    /// A note for `ModuleNotFoundError` on a module that is neither in the repository nor installed:
    /// scripts run without network, so the fix is to avoid the part of the repository that needs it.
    static func missingModuleNote(error: String, analysis: RepoAnalysis) -> String {
        guard let range = error.range(of: #"No module named '([^']+)'"#, options: .regularExpression) else { return "" }
        let module = error[range].dropFirst("No module named '".count).dropLast()
        let top = String(module.split(separator: ".").first ?? "")
        guard !top.isEmpty, analysis.tree.entities[top] == nil else { return "" }
        return "\n\nThe module `\(top)` is not installed and cannot be installed (scripts run without network). Do not import it, "
            + "and do not import the parts of the repository that need it (a command-line module, say): import the module that does the work directly."
    }

    /// Definitions of the repository names an error mentions (an `AttributeError` on a module, a
    /// `TypeError` about a function's arguments): their signatures and docstrings, so the fix
    /// uses the real API.
    func relevantDefinitions(error: String, code: String, analysis: RepoAnalysis) -> String {
        let words = Set(error.split { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }.map(String.init).filter { $0.count > 2 })
        var shown: [String] = []
        var used = 0
        for word in words.sorted() {
            let name = word.trimmingCharacters(in: CharacterSet(charactersIn: "."))
            guard let entity = analysis.tree.lookup(name).first, entity.name == name.split(separator: ".").last.map(String.init) else { continue }
            // A module the error names (`module 'x' has no attribute 'y'`) is shown as the skeleton of what it does have.
            let text = switch entity.kind {
            case .module, .package: Bounded.text(Skeleton(analysis).module(entity.id, methodLimit: 6, docLength: 80), limit: 1500)
            case .class: Skeleton(analysis).class(entity.id, methodLimit: 12)
            default: "def \(entity.signature ?? entity.name)  # \(entity.dotted)\n    \"\"\"\(entity.doc)\"\"\""
            }
            guard used + text.count < 3000 else { break }
            shown.append(text)
            used += text.count
        }
        return shown.isEmpty ? "" : "Definitions in the repository that the error mentions:\n```python\n" + shown.joined(separator: "\n\n") + "\n```"
    }
}
