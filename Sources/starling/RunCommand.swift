import ArgumentParser
import Foundation
import Synchronization
import StarlingAgents
import StarlingBench
import StarlingCore
import StarlingLLM
import StarlingReport
import StarlingRuntime
import Yams
import StarlingRunFolder

extension EditFormat: ExpressibleByArgument {}

/// `starling run TASK`: runs an agent on a task and returns a graded submission with its code.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an agent on a task: search for a solution, then write and grade the final submission.",
        discussion: """
            TASK is a bundled task id (see `starling tasks list`) or a task folder. Settings come from \
            starling.yaml (in the working directory, or --config) and flags override them. The run folder \
            holds every script, its log and submission, the journal, and final/ with solution.py, \
            submission.csv and grade.json. `starling resume RUN_DIR` continues an interrupted run.
            """
    )

    @Argument(help: "A bundled task id or a task folder.")
    var task: String

    @Option(help: ArgumentHelp("Search strategy (default mle-star): " + StrategyCatalogue.standard.described(except: .peer) + "."))
    var strategy: String?

    @Option(help: "Wall-clock budget, e.g. 30m, 1h, 600s.")
    var time: String?

    @Option(name: .customLong("max-cost"), help: "Spending limit in US dollars.")
    var maxCost: Double?

    @Option(name: .customLong("max-tokens"), help: "Token limit over all LLM calls.")
    var maxTokens: Int?

    @Option(help: "Model for every role, as provider:model (default: the embedded local model).")
    var llm: String?

    @Option(help: "Model for writing code.") var coder: String?
    @Option(help: "Model for plans and summaries.") var planner: String?
    @Option(help: "Model for leakage and data-usage reviews.") var reviewer: String?

    @Option(help: "Run folder (default: runs/<task>-<time>).")
    var out: String?

    @Option(help: "Settings file (default: starling.yaml in the working directory, when present).")
    var config: String?

    @Option(help: "Candidate models to retrieve (M).") var candidates: Int?
    @Option(name: .customLong("refine-rounds"), help: "Outer refinement rounds (T).") var refineRounds: Int?
    @Option(name: .customLong("inner-steps"), help: "Inner refinement steps (K).") var innerSteps: Int?
    @Option(name: .customLong("ensemble-rounds"), help: "Ensemble rounds (R).") var ensembleRounds: Int?
    @Option(help: "Parallel solution branches (L).") var branches: Int?
    @Option(name: .customLong("aide-steps"), help: "Steps of the AIDE tree search.") var aideSteps: Int?
    @Option(name: .customLong("cv-folds"), help: "Folds of the cross-validation every solution gets (default 5; 0 turns it off).") var cvFolds: Int?
    @Option(name: .customLong("tune-trials"), help: "Model settings the tuning action tries on the best card example (default 4; 0 turns it off).") var tuneTrials: Int?
    @Flag(name: .customLong("no-memory"), help: "Neither use nor keep lessons across runs (a control run).") var noMemory = false
    @Flag(name: .customLong("no-zoo"), help: "Do not offer the pretrained model zoo to the scripts: images are read as pixels, sounds as band energies, text without embeddings (a control run).") var noZoo = false
    @Option(name: .customLong("script-timeout"), help: "Seconds one script may run.") var scriptTimeout: Double?
    @Option(help: "LLM response cache: off, read-write, replay-only.") var cache: String?
    @Option(name: .customLong("edit-format"), help: "How the model changes scripts: auto (function edits for local models), whole, function, diff.")
    var editFormat: EditFormat?

    @Option(help: "A Python repository the agent may read (exploration tools) and import in its scripts.")
    var repo: String?

    @Flag(help: "Follow the run live in a browser: serve the dashboard on 127.0.0.1 while it works (see --serve-port).")
    var serve = false

    @Option(name: .customLong("serve-port"), help: "The dashboard's port with --serve (0 picks a free one).")
    var servePort = 8765

    @OptionGroup var location: TaskLocation

    func run() async throws {
        var choices = RunChoices(task: task)
        choices.tasksDir = location.tasksDir
        choices.strategy = strategy
        choices.time = time
        choices.maxCost = maxCost
        choices.maxTokens = maxTokens
        choices.llm = llm
        for (role, name) in [(AgentRole.coder, coder), (.planner, planner), (.reviewer, reviewer)] {
            if let name { choices.models[role.rawValue] = name }
        }
        choices.out = out
        choices.repo = repo
        choices.cache = cache
        choices.scriptTimeout = scriptTimeout
        choices.settings = SettingsChoices(candidates: candidates, refineRounds: refineRounds, innerSteps: innerSteps, ensembleRounds: ensembleRounds,
                                           branches: branches, cvFolds: cvFolds, tuneTrials: tuneTrials, aideSteps: aideSteps,
                                           memory: noMemory ? false : nil, zoo: noZoo ? false : nil, editFormat: editFormat)
        let request: RunRequest
        do { request = try RunRequest(choices, file: try SettingsFile.load(path: config)) } catch let error as AgentError { throw ValidationError(error.description) }
        guard serve else { return try await RunOutput.run(request) }
        try await DashboardCommand.serving(request.runFolder, tasks: TaskStore.locate(tasksDirectory: request.configuration.tasksDir), port: servePort) {
            try await RunOutput.run(request)
        }
    }

    /// Reads `30m`, `1h`, `90s` or a plain number of seconds, for a command-line option.
    static func parseDuration(_ text: String) throws -> Double {
        do { return try RunChoices.seconds(text) } catch { throw ValidationError("\(error)") }
    }
}

/// `starling resume RUN_DIR`: continues an interrupted run without redoing finished nodes.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an interrupted run; finished nodes are not run again."
    )

    @Argument(help: "The run folder.")
    var runFolder: String

    @Option(help: "New wall-clock budget for the whole run, e.g. 45m (default: the original one).")
    var time: String?

    func run() async throws {
        let request: RunRequest
        do {
            request = try RunRequest.resume(URL(fileURLWithPath: runFolder), wall: try time.map(RunCommand.parseDuration))
        } catch let error as RunFolderError {
            throw ValidationError("\(error)")
        }
        // A repo run is short and keeps no partial state worth resuming: it starts again in the same folder.
        try await RunOutput.run(request)
    }
}

/// Runs a session and prints its end-of-run text; a run without a valid submission exits 2, one
/// whose model did not answer exits 3.
enum RunOutput {
    /// The exit status of a run that stopped asking a model that did not answer (with a valid
    /// submission from the scripts it had; without one it exits 2).
    static let modelUnreachableStatus: Int32 = 3

    /// Runs the request's session on its target and prints the end-of-run text (a repo task's verdict for
    /// a repo task); a run without a valid submission, or a repo run without a readable output, exits 2.
    static func run(_ request: RunRequest) async throws {
        let session = AgentSession(request: request)
        let tasks = TaskStore.locate(tasksDirectory: request.configuration.tasksDir)
        var finished: RunSummary?
        do {
            finished = try await Interruption.run(message: "interrupt: stopping the run; its report follows (Ctrl-C again to quit at once)") {
                switch request.target {
                case .prediction: try await session.run()
                case .repo(let task): try await session.runRepo(task)
                }
            }.0
        } catch where Interruption.wasInterrupted {
            // Interrupted: the run stopped where it was (below).
        }
        guard let summary = finished, !Interruption.wasInterrupted else {
            // What the run did so far, and how to go on: its journal keeps every finished node.
            if FileManager.default.fileExists(atPath: RunLayout(request.runFolder).journal.path) {
                print(reportLine(folder: request.runFolder, tasks: tasks))
            }
            print("resume      starling resume \(request.runFolder.path)")
            throw ExitCode(130)
        }
        switch request.target {
        case .prediction: print(describe(summary))
        case .repo: print(describeRepo(summary))
        }
        print(reportLine(folder: URL(fileURLWithPath: summary.runFolder), tasks: tasks))
        print("dashboard   starling dashboard \(summary.runFolder)  (the run in a browser: its tree, scores, prompts, code and logs)")
        if !summary.validSubmission { throw ExitCode(2) }
        if summary.modelUnreachable != nil { throw ExitCode(modelUnreachableStatus) }
    }

    /// Writes the run's `report.html` and says where it is, or why it could not be written (the run
    /// itself is done either way).
    static func reportLine(folder: URL, tasks: TaskStore) -> String {
        do {
            let file = try RunReport.write(folder: folder, tasks: tasks)
            return "report      \(file.path)  (open it in a browser; `starling report \(folder.path)` writes it again)"
        } catch {
            return "report      not written: \(error) — try `starling report \(folder.path)`"
        }
    }

    static func describeRepo(_ summary: RunSummary) -> String {
        let repo = summary.repo ?? RepoOutcome()
        return [
            "",
            "task        \(summary.taskID) (repo task: \(repo.repository))",
            "process     \(repo.process ? "yes" : "NO")  (the test script found a readable output)",
            "result      \(repo.result ? "PASS" : "fail")  \(repo.comments)",
            "tools       \(repo.toolsOn ? "\(repo.toolCalls) calls (\(repo.failedToolCalls) unanswered)" : "off")",
            "attempts    \(repo.attempts) scripts, stopped: \(summary.stopReason), \(Int(summary.elapsedSeconds)) s",
            "llm         \(summary.llm.calls) calls (\(summary.llm.cacheHits) cached), \(summary.llm.promptTokens + summary.llm.completionTokens) tokens",
            "run folder  \(summary.runFolder)  (final/solution.py, final/output/, final/check.json)",
        ].joined(separator: "\n")
    }

    static func describe(_ summary: RunSummary) -> String {
        func f(_ value: Double?) -> String { value.map { String(format: "%.5g", $0) } ?? "—" }
        var lines = [
            "",
            "task        \(summary.taskID) (\(summary.metric), \(summary.direction) is better)",
            "submission  \(summary.validSubmission ? "valid" : "NONE")  \(summary.runFolder)/final/submission.csv",
            "score       \(f(summary.finalScore))   (dev rows: \(f(summary.devScore)), self-reported: \(f(summary.selfReportedScore)))",
            "baseline    \(f(summary.baseline))",
            "reference   \(f(summary.reference))",
            "gap closed  \(summary.gapClosed.map { String(format: "%.1f%%", $0) } ?? "—")",
            "nodes       \(summary.nodes), stopped: \(summary.modelUnreachable == nil ? summary.stopReason : "no model answered (above)"), \(Int(summary.elapsedSeconds)) s",
            "llm         \(summary.llm.calls) calls (\(summary.llm.cacheHits) cached), \(summary.llm.promptTokens + summary.llm.completionTokens) tokens, $\(String(format: "%.4f", summary.llm.costUSD))",
            "run folder  \(summary.runFolder)",
        ]
        if let work = summary.modelWork {
            let origin: String = switch work.submittedOrigin {
            case .model?: "model-written" + (work.beatsBestExample == true ? ", better than every unchanged card example on the dev rows" : "")
            case .repair?: "model-written, repaired without the LLM" + (work.beatsBestExample == true ? ", better than every unchanged card example" : "")
            case .example?: "a model card's example, unchanged"
            case .stack?: "a stack: a blend of the run's scripts chosen on their out-of-fold predictions, no LLM"
            case .decision?: "a script's predictions calibrated for the metric on its out-of-fold predictions, no LLM"
            case .tuning?: "a card's or node's script with settings found by the tuning action, no LLM"
            case nil: "—"
            }
            lines.insert("model work  \(work.line)", at: lines.count - 1)
            lines.insert("submitted   \(origin); \(String(format: "%.1f", work.llmCallsPerMinute)) LLM calls/min, waiting on the model \(Int((work.llmWaitShare * 100).rounded()))% of the time", at: lines.count - 1)
        }
        if let choice = summary.crossValidation { lines.insert("cv          \(choice.line)", at: 4) }
        if let fallback = summary.fallback { lines.insert("FALLBACK    \(fallback)", at: 2) }
        if let verdict = summary.modelUnreachable {
            lines.insert("NO MODEL    \(verdict); the submission is the best script the run had without it — check the model's server, "
                         + "address and key (`starling llm chat --llm MODEL hi` tries one call), then `starling run` again", at: 1)
        }
        for flag in summary.leakFlags { lines.append("LEAK?       \(flag)") }
        return lines.joined(separator: "\n")
    }
}
