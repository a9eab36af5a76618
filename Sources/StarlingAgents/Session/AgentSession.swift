import Foundation
import Synchronization
import StarlingBench
import StarlingCore
import StarlingLLM
import StarlingRunFolder
import StarlingRuntime

/// Everything a run needs, built from its ``RunConfiguration``: the prepared task and its
/// harness, the strategy the configuration names, an LLM client per role (the local server
/// started, or found running, under a lease that the run releases, and reconnected when it goes
/// away), the sandbox and the knowledge base. `starling run`, `starling resume` and the tests
/// start runs through it.
package struct AgentSession: Sendable {
    /// What to run.
    package var configuration: RunConfiguration
    /// The run folder (created when missing; `run.json` is written into it).
    package var runFolder: URL
    /// Starling's home (environments, models, caches).
    package var home: StarlingHome
    /// Progress output.
    package var progress: ProgressReporter
    /// The strategies the configuration's name is looked up in.
    package var catalogue: StrategyCatalogue
    /// The task, when the caller found it already (a ``RunRequest``); else the configuration's
    /// task is looked up when the run starts.
    package var task: TaskDefinition?

    /// Creates a session.
    package init(configuration: RunConfiguration, runFolder: URL, home: StarlingHome = .resolve(), progress: ProgressReporter = ProgressReporter(),
                 catalogue: StrategyCatalogue = .standard) {
        self.configuration = configuration
        self.runFolder = runFolder
        self.home = home
        self.progress = progress
        self.catalogue = catalogue
    }

    /// A session for a request: its configuration, run folder and the task it found.
    package init(request: RunRequest, home: StarlingHome = .resolve(), progress: ProgressReporter = ProgressReporter()) {
        self.init(configuration: request.configuration, runFolder: request.runFolder, home: home, progress: progress)
        if case .prediction(let task) = request.target { self.task = task }
    }

    /// The model of every role: the configured ones, and the preferred installed local model for
    /// the rest.
    ///
    /// - Throws: ``AgentError`` when the roles name more than one local model (one server runs one).
    package static func modelNames(_ configured: [String: String], installation: LocalLLMInstallation) throws -> [String: String] {
        var names = configured
        let defaultLocal = "local:" + (installation.preferredModel?.name ?? LocalModel.defaultName)
        for role in AgentRole.allCases where names[role.rawValue] == nil { names[role.rawValue] = defaultLocal }
        let local = Set(names.values.filter { $0.hasPrefix("local:") })
        if local.count > 1 {
            throw AgentError("one local model at a time: roles name \(local.sorted().joined(separator: ", "))")
        }
        return names
    }

    /// Library versions of the solution environment, for prompts (`pandas 2.3.1, ...`).
    static func libraryVersions(_ record: PythonEnvironment.Record) -> String {
        PythonEnvironment.solutionRequirements.compactMap { name -> String? in
            record.installed[name].map { "\(name == "xgboost-cpu" ? "xgboost" : name) \($0)" }
        }.joined(separator: ", ")
    }

    /// Prepares the task when needed, writes `run.json`, builds the runner and runs it; local
    /// server leases are released however the run ends.
    ///
    /// - Returns: The run's summary.
    /// - Throws: ``AgentError`` for a missing environment or model, an unknown strategy, or a run
    ///   that cannot start; task errors for an unknown or broken task.
    package func run() async throws -> RunSummary {
        try await LeaseBox.holding { leases in
            let runner = try await makeRunner(leases: leases)
            return try await runner.run(configJSON: String(decoding: try configurationJSON(), as: UTF8.self))
        }
    }

    /// `run.json`'s bytes.
    func configurationJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(configuration)
    }

    /// The runner for this session, its local server (if any) started under `leases`.
    func makeRunner(leases: LeaseBox) async throws -> AgentRunner {
        let environment = PythonEnvironment.solution(in: home)
        guard let record = environment.record() else {
            throw AgentError("the solution environment is missing: run `starling setup`")
        }
        let strategy = try catalogue.strategy(named: configuration.strategy, settings: configuration.settings)
        // The model before the task: a missing model is named before a long preparation.
        let clients = catalogue.entry(named: configuration.strategy)?.usesModel == false
            ? (clients: Dictionary(uniqueKeysWithValues: AgentRole.allCases.map { ($0, NoModelClient() as any LLMClient) }), prices: nil)
            : try await ClientStack.clients(for: configuration, home: home, leases: leases)
        let store = TaskStore.locate(tasksDirectory: configuration.tasksDir)
        var task = try self.task ?? store.task(configuration.task)
        if !task.isPrepared {
            // Under the task's lock: bench cells of one task that start together prepare it once.
            FileHandle.standardError.write(Data("preparing task \(task.id)…\n".utf8))
            _ = try await TaskPreparer(python: home.dataPython).prepareIfNeeded(task)
            task = try store.task(configuration.task)
        }
        let layout = RunLayout(runFolder)
        try FileManager.default.createDirectory(at: runFolder, withIntermediateDirectories: true)
        try configurationJSON().write(to: layout.configuration)

        let harness = try BenchTaskHarness(task: task, runFolder: runFolder)
        var runner = AgentRunner(
            task: harness, strategy: strategy, settings: configuration.settings, budget: configuration.budget,
            clients: clients.clients, runFolder: runFolder, sandbox: try await Sandbox.probing(), python: home.solutionPython,
            libraries: Self.libraryVersions(record), retriever: try KnowledgeBase.bundled(), progress: progress,
            prices: clients.prices)
        runner.lessons = LessonStore(file: home.lessons)
        if let folder = configuration.repoFolder.map({ URL(fileURLWithPath: $0).standardizedFileURL }) ?? task.repositoryURL?.standardizedFileURL {
            guard FileManager.default.fileExists(atPath: folder.path) else {
                throw AgentError("the repository \(folder.path) (--repo, or repo: in \(task.configURL.path)) is not a folder")
            }
            runner.repoFolder = folder
            // The repository's own dependencies, installed before the first script (scripts run offline).
            if let python = try await RepoEnvironment(home: home, repository: folder).ensure(log: progress.write)?.python { runner.python = python }
        }
        return runner
    }
}
