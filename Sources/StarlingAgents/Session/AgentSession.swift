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
        let leases = LeaseBox()
        do {
            let runner = try await makeRunner(leases: leases)
            let summary = try await runner.run(configJSON: String(decoding: try configurationJSON(), as: UTF8.self))
            await leases.releaseAll()
            return summary
        } catch {
            await leases.releaseAll()
            throw error
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
            : try await makeClients(leases: leases)
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
        }
        return runner
    }

    /// A client per role; a local model's server is started (or joined) under a lease, and its
    /// clients start it again when it goes away mid-run.
    func makeClients(leases: LeaseBox) async throws -> (clients: [AgentRole: any LLMClient], prices: PriceTable?) {
        let installation = LocalLLMInstallation(home: home)
        let names = try Self.modelNames(configuration.models, installation: installation)
        var llmConfig = try LLMConfiguration(home: home, cacheMode: CacheMode(rawValue: configuration.cacheMode) ?? .readWrite)
        var startServer: (@Sendable () async throws -> URL)?
        var keeping: KeptSlotStates?
        if let local = names.values.first(where: { $0.hasPrefix("local:") }), llmConfig.cacheMode != .replayOnly {
            let model = try LocalModel.named(String(local.dropFirst("local:".count)))
            guard installation.isInstalled(model), installation.isServerInstalled else {
                throw AgentError("the local model \(model.name) is not installed: run `starling setup --llm`")
            }
            let options = LocalServerPolicy.options(for: model, settings: configuration.settings)
            let modelFile = model.file(in: home)
            if LocalServerPolicy.keepsPromptStates() {
                keeping = KeptSlotStates(folder: LocalServerPolicy.slotFolder(in: home),
                                         fingerprint: KeptSlotStates.fingerprint(server: installation.serverBinary, model: modelFile,
                                                                                 settings: ["ctx=\(options.contextSize)", "slots=\(options.slots)"]))
            }
            let start: @Sendable () async throws -> URL = {
                let lease = try await LlamaServerController.serve(model, from: installation, options: options)
                leases.add(lease)
                return lease.state.baseURL
            }
            startServer = start
            llmConfig.localServerURL = try await start()
        }
        var clients: [AgentRole: any LLMClient] = [:]
        // Every role's requests to the local server pass one gate and one slot-state cache (see
        // ``LocalServerPolicy``); a restarted server gets a fresh cache.
        let gate = LocalServerPolicy.oneRequestAtATime() ? RequestGate() : nil
        let slotFolder = LocalServerPolicy.slotFolder(in: home)
        let kept = keeping
        let slotCache: @Sendable (URL?) -> SlotStateCache? = { url in
            guard LocalServerPolicy.cachesSlotStates(), let url else { return nil }
            return SlotStateCache(root: url.deletingLastPathComponent(), folder: slotFolder, slots: 2, keeping: kept)
        }
        if LocalServerPolicy.cachesSlotStates() { SlotStateCache.removeOrphans(in: slotFolder) }
        let firstCache = slotCache(llmConfig.localServerURL)
        if let firstCache { leases.add(firstCache) }
        for role in AgentRole.allCases {
            let name = names[role.rawValue]!
            let made = try llmConfig.makeClient(named: name, role: role.rawValue)
            if name.hasPrefix("local:"), let startServer {
                let config = llmConfig
                let client: any LLMClient = firstCache.map { SlotCachingClient(made, cache: $0) } ?? made
                let recovering = RecoveringLocalClient(client: client) {
                    var fresh = config
                    fresh.localServerURL = try await startServer()
                    let remade = try fresh.makeClient(named: name, role: role.rawValue)
                    guard let cache = slotCache(fresh.localServerURL) else { return remade }
                    leases.add(cache)
                    return SlotCachingClient(remade, cache: cache)
                }
                clients[role] = gate.map { GatedClient(recovering, gate: $0) } ?? recovering
            } else {
                clients[role] = made
            }
        }
        return (clients, llmConfig.ledger.prices)
    }
}

/// The local-server leases a run or bench took (more than one when the server had to be
/// restarted); released together at the end.
package final class LeaseBox: Sendable {
    private let leases = Mutex<[LocalServerLease]>([])

    /// An empty box.
    package init() {}

    private let slotCaches = Mutex<[SlotStateCache]>([])

    /// Keeps `lease` until ``releaseAll()``.
    package func add(_ lease: LocalServerLease) { leases.withLock { $0.append(lease) } }

    /// Keeps `cache` until ``releaseAll()``, which deletes its saved states.
    package func add(_ cache: SlotStateCache) { slotCaches.withLock { $0.append(cache) } }

    /// Deletes the slot caches' files and releases every lease, newest first.
    package func releaseAll() async {
        for cache in slotCaches.withLock({ $0 }) { await cache.removeFiles() }
        for lease in leases.withLock({ $0 }).reversed() { await lease.release() }
    }
}
