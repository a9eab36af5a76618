import ArgumentParser
import Foundation
import StarlingBench
import StarlingReport

/// `starling bench`: runs strategies × tasks × seeds and writes comparable numbers.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a grid of strategies × tasks × seeds and write results.json, results.md and index.html.",
        discussion: """
            Each cell is its own `starling run` in OUT/runs/<task>/<strategy>/seed-<n>/, with its report.html. \
            Running the same command again resumes: cells that ended are not rerun, interrupted ones are \
            resumed. Failed cells stay in every table with their reason. Cells run one at a time unless \
            --parallel says otherwise; each cell's scripts share that run's core budget, and cells that use \
            the local model share one llama-server, so keep --parallel 1 with it on a small machine. \
            The response cache is off by default so that every cell asks the model afresh.
            """
    )

    @Option(help: "The task suite.") var suite = "lite"
    @Option(help: "Comma-separated task ids (default: every task in the suite).") var tasks: String?
    @Option(help: "Comma-separated strategies: mle-star, aide.") var strategies = "mle-star,aide"
    @Option(help: "Runs per task and strategy.") var seeds = 1
    @Option(help: "Wall-clock budget per cell, e.g. 20m.") var time = "20m"
    @Option(help: "Model for every role, as provider:model (default: the embedded local model).") var llm: String?
    @Option(help: "Cells run at once.") var parallel = 1
    @Option(help: "LLM response cache for each run: off, read-write, replay-only.") var cache = "off"
    @Option(help: "The bench folder (default: runs/bench-<suite>-<time>).") var out: String?
    @OptionGroup var location: TaskLocation

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static let knownStrategies = ["mle-star", "aide"]

    func validate() throws {
        guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1") }
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1") }
        _ = try RunCommand.parseDuration(time)
        for strategy in strategyList where !Self.knownStrategies.contains(strategy) {
            let hint = strategy.hasPrefix("aideml") ? " (the aideml adapter is not part of Starling yet)" : ""
            throw ValidationError("unknown strategy '\(strategy)'\(hint); available: \(Self.knownStrategies.joined(separator: ", "))")
        }
    }

    var strategyList: [String] {
        strategies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func run() async throws {
        let store: TaskStore
        if let dir = location.tasksDir {
            store = TaskStore(roots: [URL(fileURLWithPath: dir)])
        } else if suite == "lite" {
            store = location.store
        } else if let root = RepoLocator.root() {
            store = TaskStore(roots: [root.appendingPathComponent("tasks/\(suite)")])
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
        let configuration = BenchConfiguration(suite: suite, tasks: definitions.map(BenchTask.init), strategies: strategyList,
                                               seeds: seeds, time: time, llm: llm, parallel: parallel)
        let stamp = DateFormatter.runStamp.string(from: Date())
        let folder = URL(fileURLWithPath: out ?? "runs/bench-\(suite)-\(stamp)")
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if parallel * 2 > cores {
            Self.note("note: \(parallel) cells at once on \(cores) cores; each run's scripts use up to 2 cores, so cells will slow each other and time-limited scores will drop")
        }
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        let runner = ProcessCellRunner(executable: executable, time: time, llm: llm, cache: cache, tasksDir: location.tasksDir)
        let harness = BenchHarness(configuration: configuration, folder: folder, runner: runner) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        Self.note("bench: \(configuration.cells.count) cells (\(definitions.count) tasks × \(strategyList.count) strategies × \(seeds) seeds, \(time) each) in \(folder.path)")
        let results = try await harness.run()
        print(results.markdown)
        print("bench folder: \(folder.path)  (open index.html)")
    }
}
