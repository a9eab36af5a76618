import ArgumentParser
import Foundation
import Synchronization
import StarlingAgents
import StarlingBench
import StarlingCore
import StarlingLLM
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
    @Option(name: .customLong("script-timeout"), help: "Seconds one script may run.") var scriptTimeout: Double?
    @Option(help: "LLM response cache: off, read-write, replay-only.") var cache: String?
    @Option(name: .customLong("edit-format"), help: "How the model changes scripts: auto (function edits for local models), whole, function, diff.")
    var editFormat: EditFormat?

    @Option(help: "A Python repository the agent may read (exploration tools) and import in its scripts.")
    var repo: String?

    @OptionGroup var location: TaskLocation

    func run() async throws {
        let file = try SettingsFile.load(path: config)
        var settings = file.settings
        if let candidates { settings.candidates = candidates }
        if let refineRounds { settings.refineRounds = refineRounds }
        if let innerSteps { settings.innerSteps = innerSteps }
        if let ensembleRounds { settings.ensembleRounds = ensembleRounds }
        if let branches { settings.branches = branches }
        if let cvFolds { settings.cvFolds = cvFolds }
        if noMemory { settings.memory = false }
        if let tuneTrials { settings.tuneTrials = tuneTrials }
        if let aideSteps { settings.aideSteps = aideSteps }
        if let editFormat { settings.editFormat = editFormat }
        let wall = try (time ?? file.time).map(Self.parseDuration)
        let budget = Budget.forWall(wall, standardScriptTimeout: settings.scriptTimeoutSeconds, scriptTimeout: scriptTimeout,
                                    maxTokens: maxTokens ?? file.maxTokens, maxCostUSD: maxCost ?? file.maxCost)
        settings.scriptTimeoutSeconds = budget.scriptTimeoutSeconds
        let base = llm ?? file.models["all"]
        var models: [String: String] = [:]
        for role in AgentRole.allCases {
            let flag: String? = switch role { case .coder: coder; case .planner: planner; case .reviewer: reviewer }
            if let name = flag ?? file.models[role.rawValue] ?? base { models[role.rawValue] = name }
        }
        var configuration = RunConfiguration(
            task: task, tasksDir: location.tasksDir, strategy: strategy ?? file.strategy ?? "mle-star", models: models,
            settings: settings, budget: budget, cacheMode: cache ?? file.cache ?? CacheMode.readWrite.rawValue)
        configuration.repoFolder = repo.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let stamp = DateFormatter.runStamp.string(from: Date())
        if let repoTask = try RepoTaskStore.locate(tasksDirectory: location.tasksDir).task(task) {
            var repoConfiguration = configuration
            if strategy == nil, file.strategy == nil { repoConfiguration.strategy = StrategyName.repo.rawValue }
            let folder = URL(fileURLWithPath: out ?? "runs/\(repoTask.id)-\(stamp)")
            try await RunOutput.runRepo(AgentSession(configuration: repoConfiguration, runFolder: folder), task: repoTask)
            return
        }
        let taskDefinition = try location.task(task)
        let folder = URL(fileURLWithPath: out ?? "runs/\(taskDefinition.id)-\(stamp)")
        try await RunOutput.run(AgentSession(configuration: configuration, runFolder: folder))
    }

    /// Parses `30m`, `1h`, `90s` or a plain number of seconds.
    static func parseDuration(_ text: String) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("h", 3600), ("m", 60), ("s", 1)]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            if let value = Double(trimmed.dropLast()) { return value * factor }
        }
        if let value = Double(trimmed) { return value }
        throw ValidationError("cannot read the duration '\(text)': write e.g. 30m, 1h or 600s")
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
        let folder = URL(fileURLWithPath: runFolder)
        var configuration: RunConfiguration
        do { configuration = try RunConfiguration.read(from: RunLayout(folder)) } catch { throw ValidationError("\(error)") }
        if let time { configuration.budget = configuration.budget.withWall(try RunCommand.parseDuration(time)) }
        if StrategyName(rawValue: configuration.strategy)?.isRepo == true,
           let task = try RepoTaskStore.locate(tasksDirectory: configuration.tasksDir).task(configuration.task) {
            // A repo run is short and keeps no partial state worth resuming: it starts again in the same folder.
            try await RunOutput.runRepo(AgentSession(configuration: configuration, runFolder: folder), task: task)
            return
        }
        try await RunOutput.run(AgentSession(configuration: configuration, runFolder: folder))
    }
}

/// Runs a session and prints its end-of-run text; a run without a valid submission exits 2.
enum RunOutput {
    static func run(_ session: AgentSession) async throws {
        let summary = try await session.run()
        print(describe(summary))
        if !summary.validSubmission { throw ExitCode(2) }
    }

    /// Runs a repo task and prints the test script's verdict; no readable output exits 2.
    static func runRepo(_ session: AgentSession, task: RepoTask) async throws {
        let summary = try await session.runRepo(task)
        print(describeRepo(summary))
        if !summary.validSubmission { throw ExitCode(2) }
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
            "nodes       \(summary.nodes), stopped: \(summary.stopReason), \(Int(summary.elapsedSeconds)) s",
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
        for flag in summary.leakFlags { lines.append("LEAK?       \(flag)") }
        return lines.joined(separator: "\n")
    }
}

/// `starling.yaml`: default settings for runs; command-line flags override it.
struct SettingsFile: Decodable {
    var strategy: String?
    var time: String?
    var maxCost: Double?
    var maxTokens: Int?
    var cache: String?
    var models: [String: String] = [:]
    var settings = AgentSettings()

    enum CodingKeys: String, CodingKey {
        case strategy, time, cache, models, candidates, branches
        case maxCost = "max_cost", maxTokens = "max_tokens"
        case refineRounds = "refine_rounds", innerSteps = "inner_steps", ensembleRounds = "ensemble_rounds"
        case scriptTimeout = "script_timeout", debugRounds = "debug_rounds", leakageReview = "leakage_review"
        case editFormat = "edit_format", cvFolds = "cv_folds", memory, tuneTrials = "tune_trials"
        case repoTurns = "repo_turns", repoAttempts = "repo_attempts"
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        strategy = try c.decodeIfPresent(String.self, forKey: .strategy)
        time = try c.decodeIfPresent(String.self, forKey: .time)
        maxCost = try c.decodeIfPresent(Double.self, forKey: .maxCost)
        maxTokens = try c.decodeIfPresent(Int.self, forKey: .maxTokens)
        cache = try c.decodeIfPresent(String.self, forKey: .cache)
        models = try c.decodeIfPresent([String: String].self, forKey: .models) ?? [:]
        if let v = try c.decodeIfPresent(Int.self, forKey: .candidates) { settings.candidates = v }
        if let v = try c.decodeIfPresent(Int.self, forKey: .branches) { settings.branches = v }
        if let v = try c.decodeIfPresent(Int.self, forKey: .cvFolds) { settings.cvFolds = v }
        if let v = try c.decodeIfPresent(Bool.self, forKey: .memory) { settings.memory = v }
        if let v = try c.decodeIfPresent(Int.self, forKey: .tuneTrials) { settings.tuneTrials = v }
        if let v = try c.decodeIfPresent(Int.self, forKey: .refineRounds) { settings.refineRounds = v }
        if let v = try c.decodeIfPresent(Int.self, forKey: .innerSteps) { settings.innerSteps = v }
        if let v = try c.decodeIfPresent(Int.self, forKey: .ensembleRounds) { settings.ensembleRounds = v }
        if let v = try c.decodeIfPresent(Double.self, forKey: .scriptTimeout) { settings.scriptTimeoutSeconds = v }
        if let v = try c.decodeIfPresent(Int.self, forKey: .debugRounds) { settings.debugRounds = v }
        if let v = try c.decodeIfPresent(Bool.self, forKey: .leakageReview) { settings.leakageReview = v }
        if let v = try c.decodeIfPresent(Int.self, forKey: .repoTurns) { settings.repoTurns = v }
        if let v = try c.decodeIfPresent(Int.self, forKey: .repoAttempts) { settings.repoAttempts = v }
        if let v = try c.decodeIfPresent(String.self, forKey: .editFormat) {
            guard let format = EditFormat(rawValue: v) else {
                throw DecodingError.dataCorruptedError(forKey: .editFormat, in: c, debugDescription: "edit_format '\(v)' is not one of auto, whole, function, diff")
            }
            settings.editFormat = format
        }
    }

    /// Reads `path`, or `starling.yaml` in the working directory when present.
    static func load(path: String?) throws -> SettingsFile {
        let file = path ?? "starling.yaml"
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            if path != nil { throw ValidationError("cannot read the settings file \(file)") }
            return SettingsFile()
        }
        do {
            return try YAMLDecoder().decode(SettingsFile.self, from: text)
        } catch {
            throw ValidationError("\(file): \(error)")
        }
    }
}

extension DateFormatter {
    static let runStamp: DateFormatter = {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter
    }()
}
