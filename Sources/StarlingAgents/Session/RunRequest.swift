import Foundation
import StarlingBench
import StarlingCore
import StarlingLLM
import StarlingRunFolder
import Yams

/// One run as asked for, worked out once: the defaults, then `starling.yaml` (``SettingsFile``),
/// then the command line (``RunChoices``), merged into a ``RunConfiguration`` whose budget comes
/// from ``Budget/forWall(_:standardScriptTimeout:scriptTimeout:maxTokens:maxCostUSD:)``, with the
/// task looked up once and the run folder named. `starling run` and `starling resume` start
/// their sessions from it; a bench cell is a `starling run`, so it does too.
package struct RunRequest: Sendable {
    /// What the run works on.
    package enum Target: Sendable {
        /// A prediction task (a submission graded against its answers).
        case prediction(TaskDefinition)
        /// A repo task (a script over a repository, judged by the task's test script).
        case repo(RepoTask)
    }

    /// What is written to `run.json`.
    package var configuration: RunConfiguration
    /// The task, as found.
    package var target: Target
    /// The run folder.
    package var runFolder: URL

    /// Merges `choices` over `file` and finds the task.
    ///
    /// - Parameters:
    ///   - choices: The command line's choices.
    ///   - file: The settings file.
    ///   - now: Names the default run folder `runs/<task>-<yyyyMMdd-HHmmss>`.
    /// - Throws: ``AgentError`` for a duration it cannot read; the task store's errors for an
    ///   unknown or broken task.
    package init(_ choices: RunChoices, file: SettingsFile = SettingsFile(), now: Date = Date()) throws {
        var settings = file.settings
        choices.settings.apply(to: &settings)
        let wall = try (choices.time ?? file.time).map(RunChoices.seconds)
        let budget = Budget.forWall(wall, standardScriptTimeout: settings.scriptTimeoutSeconds, scriptTimeout: choices.scriptTimeout,
                                    maxTokens: choices.maxTokens ?? file.maxTokens, maxCostUSD: choices.maxCost ?? file.maxCost)
        settings.scriptTimeoutSeconds = budget.scriptTimeoutSeconds
        var models: [String: String] = [:]
        for role in AgentRole.allCases {
            if let name = choices.models[role.rawValue] ?? file.models[role.rawValue] ?? choices.llm ?? file.models["all"] {
                models[role.rawValue] = name
            }
        }
        configuration = RunConfiguration(
            task: choices.task, tasksDir: choices.tasksDir, strategy: choices.strategy ?? file.strategy ?? StrategyName.mleStar.rawValue,
            models: models, settings: settings, budget: budget, cacheMode: choices.cache ?? file.cache ?? CacheMode.readWrite.rawValue)
        configuration.repoFolder = choices.repo.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        target = try Self.find(choices.task, in: choices.tasksDir, repoTasksFirst: true)
        if case .repo = target, choices.strategy == nil, file.strategy == nil { configuration.strategy = StrategyName.repo.rawValue }
        runFolder = URL(fileURLWithPath: choices.out ?? "runs/\(target.id)-\(Self.stamp.string(from: now))")
    }

    /// The request of an interrupted run, from its `run.json`: a new wall-clock budget, when
    /// given, recomputes the final reserve (``Budget/withWall(_:)``).
    ///
    /// - Throws: ``RunFolderError`` when the folder is not a run; the task store's errors when
    ///   its task is gone.
    package static func resume(_ folder: URL, wall: Double? = nil) throws -> RunRequest {
        var configuration = try RunConfiguration.read(from: RunLayout(folder))
        if let wall { configuration.budget = configuration.budget.withWall(wall) }
        let target = try find(configuration.task, in: configuration.tasksDir,
                              repoTasksFirst: StrategyName(rawValue: configuration.strategy)?.isRepo == true)
        return RunRequest(configuration: configuration, target: target, runFolder: folder)
    }

    /// The task `reference` names: a repo task when `repoTasksFirst` and one is found, else a
    /// prediction task.
    ///
    /// - Throws: The task stores' errors for an unknown or broken task.
    static func find(_ reference: String, in tasksDir: String?, repoTasksFirst: Bool) throws -> Target {
        if repoTasksFirst, let repoTask = try RepoTaskStore.locate(tasksDirectory: tasksDir).task(reference) {
            return .repo(repoTask)
        }
        return .prediction(try TaskStore.locate(tasksDirectory: tasksDir).task(reference))
    }

    private init(configuration: RunConfiguration, target: Target, runFolder: URL) {
        self.configuration = configuration
        self.target = target
        self.runFolder = runFolder
    }

    /// `yyyyMMdd-HHmmss` in UTC, for run folder names.
    package static let stamp: DateFormatter = {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter
    }()
}

extension RunRequest.Target {
    /// The task's id.
    package var id: String {
        switch self {
        case .prediction(let task): task.id
        case .repo(let task): task.id
        }
    }
}

/// What the command line chose for a run; `nil` leaves the settings file's value, then the default.
package struct RunChoices: Sendable {
    /// A task id or task folder.
    package var task: String
    package var tasksDir: String?
    package var strategy: String?
    /// The wall-clock budget as written (`30m`).
    package var time: String?
    package var maxCost: Double?
    package var maxTokens: Int?
    /// The model for every role, and per role (`coder`, `planner`, `reviewer`) over it.
    package var llm: String?
    package var models: [String: String] = [:]
    package var out: String?
    package var repo: String?
    package var cache: String?
    package var scriptTimeout: Double?
    package var settings = SettingsChoices()

    package init(task: String) { self.task = task }

    /// Reads `30m`, `1h`, `90s` or a plain number of seconds.
    ///
    /// - Throws: ``AgentError`` saying how to write it.
    package static func seconds(_ text: String) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        for (suffix, factor) in [("h", 3600.0), ("m", 60), ("s", 1)] where trimmed.hasSuffix(suffix) {
            if let value = Double(trimmed.dropLast()) { return value * factor }
        }
        if let value = Double(trimmed) { return value }
        throw AgentError("cannot read the duration '\(text)': write e.g. 30m, 1h or 600s")
    }
}

/// Search settings chosen on the command line; each one given replaces the file's.
package struct SettingsChoices: Sendable {
    package var candidates: Int?, refineRounds: Int?, innerSteps: Int?, ensembleRounds: Int?, branches: Int?
    package var cvFolds: Int?, tuneTrials: Int?, aideSteps: Int?
    /// `false` for a control run without lessons; `nil` leaves the file's choice.
    package var memory: Bool?
    /// `false` for a control run without the model zoo; `nil` leaves the file's choice.
    package var zoo: Bool?
    package var editFormat: EditFormat?

    package init(candidates: Int? = nil, refineRounds: Int? = nil, innerSteps: Int? = nil, ensembleRounds: Int? = nil, branches: Int? = nil,
                 cvFolds: Int? = nil, tuneTrials: Int? = nil, aideSteps: Int? = nil, memory: Bool? = nil, zoo: Bool? = nil, editFormat: EditFormat? = nil) {
        (self.candidates, self.refineRounds, self.innerSteps, self.ensembleRounds, self.branches) = (candidates, refineRounds, innerSteps, ensembleRounds, branches)
        (self.cvFolds, self.tuneTrials, self.aideSteps, self.memory, self.zoo, self.editFormat) = (cvFolds, tuneTrials, aideSteps, memory, zoo, editFormat)
    }

    /// Writes the chosen values into `settings`.
    package func apply(to settings: inout AgentSettings) {
        if let candidates { settings.candidates = candidates }
        if let refineRounds { settings.refineRounds = refineRounds }
        if let innerSteps { settings.innerSteps = innerSteps }
        if let ensembleRounds { settings.ensembleRounds = ensembleRounds }
        if let branches { settings.branches = branches }
        if let cvFolds { settings.cvFolds = cvFolds }
        if let memory { settings.memory = memory }
        if let zoo { settings.zoo = zoo }
        if let tuneTrials { settings.tuneTrials = tuneTrials }
        if let aideSteps { settings.aideSteps = aideSteps }
        if let editFormat { settings.editFormat = editFormat }
    }
}

/// `starling.yaml`: default settings for runs; command-line choices override it.
package struct SettingsFile: Decodable, Sendable {
    package var strategy: String?
    package var time: String?
    package var maxCost: Double?
    package var maxTokens: Int?
    package var cache: String?
    /// Models by role, and `all` for every role.
    package var models: [String: String] = [:]
    package var settings = AgentSettings()

    enum CodingKeys: String, CodingKey {
        case strategy, time, cache, models, candidates, branches
        case maxCost = "max_cost", maxTokens = "max_tokens"
        case refineRounds = "refine_rounds", innerSteps = "inner_steps", ensembleRounds = "ensemble_rounds"
        case scriptTimeout = "script_timeout", debugRounds = "debug_rounds", leakageReview = "leakage_review"
        case editFormat = "edit_format", cvFolds = "cv_folds", memory, zoo, tuneTrials = "tune_trials"
        case repoTurns = "repo_turns", repoAttempts = "repo_attempts"
    }

    package init() {}

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        strategy = try c.decodeIfPresent(String.self, forKey: .strategy)
        time = try c.decodeIfPresent(String.self, forKey: .time)
        maxCost = try c.decodeIfPresent(Double.self, forKey: .maxCost)
        maxTokens = try c.decodeIfPresent(Int.self, forKey: .maxTokens)
        cache = try c.decodeIfPresent(String.self, forKey: .cache)
        models = try c.decodeIfPresent([String: String].self, forKey: .models) ?? [:]
        func read<T: Decodable>(_ key: CodingKeys, into path: WritableKeyPath<AgentSettings, T>) throws {
            if let value = try c.decodeIfPresent(T.self, forKey: key) { settings[keyPath: path] = value }
        }
        try read(.candidates, into: \.candidates)
        try read(.branches, into: \.branches)
        try read(.cvFolds, into: \.cvFolds)
        try read(.memory, into: \.memory)
        try read(.zoo, into: \.zoo)
        try read(.tuneTrials, into: \.tuneTrials)
        try read(.refineRounds, into: \.refineRounds)
        try read(.innerSteps, into: \.innerSteps)
        try read(.ensembleRounds, into: \.ensembleRounds)
        try read(.scriptTimeout, into: \.scriptTimeoutSeconds)
        try read(.debugRounds, into: \.debugRounds)
        try read(.leakageReview, into: \.leakageReview)
        try read(.repoTurns, into: \.repoTurns)
        try read(.repoAttempts, into: \.repoAttempts)
        if let v = try c.decodeIfPresent(String.self, forKey: .editFormat) {
            guard let format = EditFormat(rawValue: v) else {
                throw DecodingError.dataCorruptedError(forKey: .editFormat, in: c, debugDescription: "edit_format '\(v)' is not one of auto, whole, function, diff")
            }
            settings.editFormat = format
        }
    }

    /// Reads `path`, or `starling.yaml` in the working directory when it is there.
    ///
    /// - Throws: ``AgentError`` for a named file that cannot be read, or YAML that does not fit.
    package static func load(path: String?) throws -> SettingsFile {
        let file = path ?? "starling.yaml"
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            if path != nil { throw AgentError("cannot read the settings file \(file)") }
            return SettingsFile()
        }
        do {
            return try YAMLDecoder().decode(SettingsFile.self, from: text)
        } catch {
            throw AgentError("\(file): \(error)")
        }
    }
}
