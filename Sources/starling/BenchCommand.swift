import ArgumentParser
import Foundation
import StarlingBench
import StarlingReport
import StarlingBenchRunner
import StarlingRuntime
import StarlingCore
import StarlingAgents
import StarlingLLM
import StarlingRunFolder

/// `starling bench`: runs strategies × tasks × seeds and writes comparable numbers.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a grid of strategies × tasks × seeds and write results.json, results.md and index.html.",
        discussion: """
            Each cell is its own `starling run` in OUT/runs/<task>/<strategy>/seed-<n>/, with its report.html. \
            Running the same command again (same --out) resumes: cells that ended are not rerun, interrupted ones are \
            resumed. Failed cells stay in every table with their reason. Cells run one at a time unless \
            --parallel says otherwise; each cell's scripts share that run's core budget, and cells that use \
            the local model share one llama-server, so keep --parallel 1 with it on a small machine. \
            The response cache is off by default so that every cell asks the model afresh. \
            Strategies aideml and aideml-adapter run the aideml agent (install it with `starling setup --aideml`) \
            on the same task files, local model and budget, sandboxed with the network off; aideml-adapter \
            turns aideml's forced tool calls into JSON-schema requests, which llama-server understands.
            """
    )

    @Option(help: "The task suite.") var suite = "lite"
    @Option(help: "Comma-separated task ids (default: every task in the suite).") var tasks: String?
    @Option(help: ArgumentHelp("Comma-separated strategies (default mle-star,aide; for --suite repo, both repo strategies): "
                               + StrategyCatalogue.standard.described() + ". A search strategy may carry options as its own control column: "
                               + BenchArm.optionsDescribed + ", e.g. mle-star,mle-star+no-memory."))
    var strategies: String?
    @Option(help: "Runs per task and strategy.") var seeds = 1
    @Option(help: "Wall-clock budget per cell, e.g. 20m.") var time = "20m"
    @Option(help: "Model for every role, as provider:model (default: the embedded local model).") var llm: String?
    @Option(help: "Cells run at once (default 1; with --executor ray, as many as the cluster's cores hold).") var parallel: Int?
    @Option(help: "LLM response cache for each run: off, read-write, replay-only.") var cache = "off"
    @Option(help: "The bench folder (default: runs/bench-<suite>); the same folder resumes.") var out: String?
    @OptionGroup var location: TaskLocation
    @OptionGroup var cluster: ClusterOptions

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func plural(_ count: Int, _ one: String, _ many: String? = nil) -> String {
        "\(count) \(count == 1 ? one : many ?? one + "s")"
    }

    static let knownStrategies = StrategyCatalogue.standard.names

    func validate() throws {
        guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1") }
        guard (parallel ?? 1) >= 1 else { throw ValidationError("--parallel must be at least 1") }
        try cluster.validate()
        _ = try RunCommand.parseDuration(time)
        for label in strategyList {
            let arm: BenchArm
            do { arm = try BenchArm(label) } catch { throw ValidationError("\(error)") }
            guard let entry = StrategyCatalogue.standard.entry(named: arm.strategy) else {
                throw ValidationError("unknown strategy '\(arm.strategy)'; available: \(Self.knownStrategies.joined(separator: ", "))")
            }
            if !arm.chosen.isEmpty, entry.kind != .search {
                throw ValidationError("'\(label)': options after + apply to Starling's own searches only, not to \(entry.name)")
            }
        }
        if strategyList.contains(where: AidemlCellRunner.strategies.contains), let llm, !llm.hasPrefix("local:") {
            throw ValidationError("aideml cells run against the local model only: use --llm local:MODEL or leave --llm out")
        }
    }

    var strategyList: [String] {
        (strategies ?? (suite == "repo" ? "repo,repo-no-tools" : "mle-star,aide")).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func run() async throws {
        if suite == "repo" || strategyList.contains(where: { StrategyName(rawValue: $0)?.isRepo == true }) {
            try await runRepoSuite()
            return
        }
        // The cells look tasks up themselves: a suite found here is passed on as their tasks folder.
        let store: TaskStore
        let cellTasksDir: String?
        if let dir = location.tasksDir {
            store = TaskStore(roots: [URL(fileURLWithPath: dir)])
            cellTasksDir = dir
        } else if suite == "lite" {
            store = location.store
            cellTasksDir = nil
        } else if let root = RepoLocator.root() {
            let folder = root.appendingPathComponent("tasks/\(suite)")
            store = TaskStore(roots: [folder])
            cellTasksDir = folder.path
        } else {
            throw ValidationError("cannot find the suite '\(suite)': pass --tasks-dir")
        }
        let definitions: [TaskDefinition]
        if let tasks {
            definitions = try tasks.split(separator: ",").map { try store.task($0.trimmingCharacters(in: .whitespaces)) }
        } else {
            definitions = store.loadAll().tasks
        }
        guard !definitions.isEmpty else {
            throw ValidationError("no tasks found in \(store.roots.map(\.path).joined(separator: ", ")); pass --tasks or --tasks-dir")
        }
        let folder = URL(fileURLWithPath: out ?? "runs/bench-\(suite)")
        let cellCount = definitions.count * strategyList.count * seeds
        let (cellRunner, width) = try await executor(cells: cellCount, tasksDir: cellTasksDir)
        let configuration = BenchConfiguration(suite: suite, tasks: definitions.map(BenchTask.init), strategies: strategyList,
                                               seeds: seeds, time: time, llm: llm, parallel: width, executor: cluster.executor)
        if cluster.executor == "local" {
            let cores = ProcessInfo.processInfo.activeProcessorCount
            if width * 2 > cores {
                Self.note("note: \(width) cells at once on \(cores) cores; each run's scripts use up to 2 cores, so cells will slow each other and time-limited scores will drop")
            }
        }
        // The aideml cells' local server is released however the bench ends, a failed start included.
        try await LeaseBox.holding { leases in
            var runner: any BenchCellRunner = cellRunner
            if strategyList.contains(where: AidemlCellRunner.strategies.contains) {
                let aideml = try await aidemlRunner(definitions: definitions, leases: leases)
                runner = RoutingCellRunner(routes: Dictionary(uniqueKeysWithValues: AidemlCellRunner.strategies.map { ($0, aideml) }),
                                           fallback: cellRunner)
            }
            Self.note("bench: \(Self.plural(configuration.cells.count, "cell")) (\(Self.plural(definitions.count, "task")) × \(Self.plural(strategyList.count, "strategy", "strategies")) × \(Self.plural(seeds, "seed")), \(time) each) in \(folder.path)")
            try await runHarness(configuration: configuration, folder: folder, runner: runner)
        }
    }

    /// The runner for `--executor`, and how many cells run at once; its cells find their tasks
    /// in `tasksDir` (`nil`: where `starling run` looks by default).
    func executor(cells: Int, tasksDir: String?) async throws -> (runner: any BenchCellRunner, parallel: Int) {
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        guard cluster.executor == "ray" else {
            return (ProcessCellRunner(executable: executable, time: time, llm: llm, cache: cache, tasksDir: tasksDir), parallel ?? 1)
        }
        let log: @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        return try await cluster.rayRunner(executable: executable, time: time, llm: llm, cache: cache, tasksDir: tasksDir,
                                           parallel: parallel, cells: cells, log: log)
    }

    /// Runs the harness, stopping the cells (and their cluster jobs) on Ctrl-C, and prints the tables.
    func runHarness(configuration: BenchConfiguration, folder: URL, runner: any BenchCellRunner) async throws {
        let harness = BenchHarness(configuration: configuration, folder: folder, runner: runner) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        let (results, interrupted) = try await Interruption.run { try await harness.run() }
        print(results.markdown)
        print("bench folder: \(folder.path)  (open index.html)")
        if interrupted {
            Self.note("interrupted: the running cells were stopped; run the same command again to resume them")
            throw ExitCode(130)
        }
    }
}

extension BenchCommand {
    /// A bench of repo tasks (`--suite repo`, or the repo strategies): cells are `starling run`
    /// processes as for prediction tasks; each task's metric is `pass` (1 when its test script accepts the output).
    func runRepoSuite() async throws {
        guard strategyList.allSatisfy({ StrategyName(rawValue: $0)?.isRepo == true }) else {
            throw ValidationError("repo tasks run with the strategies repo and repo-no-tools only; got \(strategyList.joined(separator: ","))")
        }
        let store = RepoTaskStore.locate(tasksDirectory: location.tasksDir)
        var found: [RepoTask] = []
        if let tasks {
            for id in tasks.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard let task = try store.task(id) else {
                    throw ValidationError("no repo task '\(id)' in \(store.roots.map(\.path).joined(separator: ", ")); pass --tasks-dir")
                }
                found.append(task)
            }
        } else {
            let loaded = store.loadAll()
            for error in loaded.errors { Self.note("skipped: \(error)") }
            found = loaded.tasks
        }
        guard !found.isEmpty else { throw ValidationError("no repo tasks found in \(store.roots.map(\.path).joined(separator: ", ")); pass --tasks-dir") }
        let (runner, width) = try await executor(cells: found.count * strategyList.count * seeds, tasksDir: location.tasksDir)
        let configuration = BenchConfiguration(suite: suite == "lite" ? "repo" : suite,
                                               tasks: found.map { BenchTask(id: $0.id, metric: "pass", direction: .higher) },
                                               strategies: strategyList, seeds: seeds, time: time, llm: llm, parallel: width,
                                               executor: cluster.executor)
        let folder = URL(fileURLWithPath: out ?? "runs/bench-repo")
        Self.note("bench: \(Self.plural(configuration.cells.count, "cell")) (\(Self.plural(found.count, "repo task")) × \(Self.plural(strategyList.count, "strategy", "strategies")) × \(Self.plural(seeds, "seed")), \(time) each) in \(folder.path)")
        try await runHarness(configuration: configuration, folder: folder, runner: runner)
    }

    /// The aideml runner: the same budget split and script limits as `starling run --time`,
    /// and the local model's server, started once and shared with Starling's cells.
    func aidemlRunner(definitions: [TaskDefinition], leases: LeaseBox) async throws -> AidemlCellRunner {
        let home = StarlingHome.resolve()
        let environment = PythonEnvironment.aideml(in: home)
        guard environment.isReady else {
            throw ValidationError("the aideml environment is missing or out of date: run `starling setup --aideml`")
        }
        let wall = try RunCommand.parseDuration(time)
        var settings = AgentSettings()
        settings.scriptTimeoutSeconds = Budget.forWall(wall, standardScriptTimeout: settings.scriptTimeoutSeconds).scriptTimeoutSeconds
        let installation = LocalLLMInstallation(home: home)
        let name = llm.map { String($0.dropFirst("local:".count)) } ?? installation.preferredModel?.name ?? LocalModel.defaultName
        let model = try LocalModel.named(name)
        guard installation.isInstalled(model), installation.isServerInstalled else {
            throw ValidationError("the local model \(model.name) is not installed: run `starling setup --llm`")
        }
        // The same server options as `starling run`, so cells of both kinds share one server.
        let options = LocalServerPolicy.options(for: model, settings: settings)
        return AidemlCellRunner(
            python: environment.python, sandbox: try await Sandbox.probing(),
            tasks: Dictionary(definitions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
            budgetSeconds: wall, settings: settings, modelName: model.name,
            upstream: {
                let lease = try await LlamaServerController.serve(model, from: installation, options: options)
                leases.add(lease)
                return lease.state.baseURL
            })
    }
}

/// `starling bench-self`: measurements of Starling itself that need its own code (the scripts
/// under `bench/` call these and print the ratios). Hidden from the command list.
struct SelfBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-self",
        abstract: "Measure Starling's own machinery (used by the scripts in bench/).",
        shouldDisplay: false,
        subcommands: [Slots.self, Metrics.self]
    )

    /// Queues sandboxed busy-loop scripts through a `SlotScheduler` and prints its utilisation.
    struct Slots: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue sandboxed scripts through the slot scheduler and print its utilisation as JSON.")

        @Option(help: "Scripts queued at once.") var jobs = 12
        @Option(help: "The scheduler's core budget.") var cores = 2
        @Option(help: "Cores each script asks for, cycled (e.g. 1,2,1).") var jobCores = "1,2,1"
        @Option(help: "Seconds each script busy-loops.") var seconds = 1.0

        func run() async throws {
            let home = StarlingHome.resolve()
            let python = home.solutionPython
            guard FileManager.default.isExecutableFile(atPath: python.path) else {
                throw ValidationError("the solution environment is missing: run `starling setup`")
            }
            let sandbox = try await Sandbox.probing()
            let work = FileManager.default.temporaryDirectory.appendingPathComponent("starling-slots-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: work) }
            let script = work.appendingPathComponent("busy.py")
            try "import sys, time\nend = time.time() + float(sys.argv[1])\nwhile time.time() < end:\n    pass\n"
                .write(to: script, atomically: true, encoding: .utf8)
            let sizes = jobCores.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !sizes.isEmpty else { throw ValidationError("--job-cores needs numbers, e.g. 1,2,1") }
            let scheduler = SlotScheduler(totalCores: cores)
            let clock = ContinuousClock()
            let start = clock.now
            let failures = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<jobs {
                    let want = min(sizes[index % sizes.count], cores)
                    let folder = work.appendingPathComponent("job-\(index)")
                    group.addTask {
                        try await scheduler.withSlot(cores: want) {
                            let request = ExecutionRequest(script: script, arguments: [String(seconds)], workDir: folder, python: python,
                                                           limits: ExecutionLimits(timeoutSeconds: seconds * 10 + 30, cores: want))
                            return try await sandbox.run(request).succeeded
                        }
                    }
                }
                var failures = 0
                for try await ok in group where !ok { failures += 1 }
                return failures
            }
            let utilisation = await scheduler.utilisation() ?? 0
            let elapsed = start.duration(to: clock.now)
            let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let work_ = (0..<jobs).reduce(0.0) { $0 + Double(min(sizes[$1 % sizes.count], cores)) * seconds }
            let object: [String: Any] = [
                "jobs": jobs, "cores": cores, "job_cores": sizes, "seconds_per_job": seconds, "failed_jobs": failures,
                "wall_seconds": wall, "utilisation": utilisation,
                "busy_loop_share": work_ / (wall * Double(cores)),
                "isolation": sandbox.isolation.description,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    /// Reads a CSV of labels and predictions and times Starling's graders on it.
    struct Metrics: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time ROC AUC, log loss and RMSE on a CSV with columns y, p, t, q; print values and seconds as JSON.")

        @Argument(help: "CSV with y (0/1 label), p (probability of 1), t (regression truth), q (prediction).") var file: String

        func run() async throws {
            let clock = ContinuousClock()
            func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
            var table: CSVTable!
            let readTime = try clock.measure { table = try CSVTable.read(contentsOf: URL(fileURLWithPath: file)) }
            guard let y = table.column("y"), let p = table.column("p"), let t = table.column("t"), let q = table.column("q") else {
                throw ValidationError("\(file) needs columns y, p, t and q")
            }
            var parsed: ([Double], [Double], [Double])!
            let parseTime = clock.measure {
                parsed = (p.map { Double($0) ?? .nan }, t.map { Double($0) ?? .nan }, q.map { Double($0) ?? .nan })
            }
            let (probabilities, truth, predicted) = parsed!
            var auc = 0.0, loss = 0.0, rmse = 0.0
            let aucTime = try clock.measure { auc = try StarlingBench.Metrics.rocAUC(truth: y, scores: probabilities) }
            let lossTime = try clock.measure { loss = try StarlingBench.Metrics.logLoss(truth: y, probabilities: probabilities) }
            let rmseTime = try clock.measure { rmse = try StarlingBench.Metrics.rmse(truth: truth, predicted: predicted) }
            let object: [String: Any] = [
                "rows": table.rowCount, "read_seconds": seconds(readTime), "parse_seconds": seconds(parseTime),
                "roc_auc": ["value": auc, "seconds": seconds(aucTime)],
                "log_loss": ["value": loss, "seconds": seconds(lossTime)],
                "rmse": ["value": rmse, "seconds": seconds(rmseTime)],
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
