import ArgumentParser
import Foundation
import StarlingBenchRunner

/// `starling bench`'s executor options: where cells run.
struct ClusterOptions: ParsableArguments {
    @Option(help: "Where cells run: local (processes on this machine) or ray (jobs on a Ray cluster, see --ray-address).")
    var executor = "local"
    @Option(help: "The Ray dashboard (Jobs API) address, e.g. http://HEAD:8265.")
    var rayAddress = "http://127.0.0.1:8265"
    @Flag(help: "Ray: run each cell in a folder of its node's own and bring it back into the bench folder when its job ends (when the nodes share no storage).")
    var collect = false
    @Option(help: "Ray: cores reserved per cell (a run's scripts use up to 2).")
    var cellCpus = 2.0
    @Option(help: "Ray: memory reserved per cell, e.g. 4G or 512M.")
    var cellMemory = "4G"
    @Option(help: "Ray: times a cell is submitted again after its node died or its job was lost.")
    var rayRetries = 2
    @Option(help: "Ray: an environment variable of this shell to pass to every job (repeatable), e.g. --ray-env OPENAI_API_KEY.")
    var rayEnv: [String] = []
    @Option(help: "Ray: the starling executable as the nodes find it (default: this one's path, for a shared install).")
    var rayStarling: String?

    func validate() throws {
        guard ["local", "ray"].contains(executor) else {
            throw ValidationError("unknown executor '\(executor)'; use local or ray")
        }
        guard cellCpus > 0 else { throw ValidationError("--cell-cpus must be above 0") }
        guard rayRetries >= 0 else { throw ValidationError("--ray-retries must be 0 or more") }
        _ = try Self.bytes(cellMemory)
        if executor == "local", collect { throw ValidationError("--collect is for --executor ray") }
    }

    /// `4G`, `512M`, `1.5G` or a number of bytes.
    static func bytes(_ text: String) throws -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Double)] = [("GIB", 1_073_741_824), ("MIB", 1_048_576), ("GB", 1e9), ("MB", 1e6), ("G", 1_073_741_824), ("M", 1_048_576)]
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            if let value = Double(trimmed.dropLast(suffix.count)), value > 0 { return Int64(value * scale) }
        }
        if let value = Int64(trimmed), value > 0 { return value }
        throw ValidationError("--cell-memory '\(text)' is not a size; write it as 4G or 512M")
    }

    /// The Ray runner, after checking the cluster answers; and how many cells to keep submitted:
    /// `--parallel`, or as many as the alive nodes' cores hold (a job waiting too long for
    /// cores is failed by Ray, so the bench does not queue more than the cluster can start).
    func rayRunner(executable: URL, time: String, llm: String?, cache: String?, tasksDir: String?, parallel: Int?, cells: Int,
                   log: @escaping @Sendable (String) -> Void) async throws -> (runner: any BenchCellRunner, parallel: Int) {
        let client = RayJobsClient(address: try RayJobsClient.address(from: rayAddress))
        let version = try await client.version()
        let nodes = try await client.nodes().filter(\.isAlive)
        let cores = nodes.reduce(0.0) { $0 + ($1.resourcesTotal["CPU"] ?? 0) }
        let fits = nodes.reduce(0) { $0 + Int(($1.resourcesTotal["CPU"] ?? 0) / cellCpus) }
        guard fits > 0 else {
            throw ValidationError("no node of the Ray cluster at \(client.address.absoluteString) has \(cellCpus) CPU for a cell "
                                  + "(\(nodes.count) node(s), \(Int(cores)) CPU in all); lower --cell-cpus or add nodes")
        }
        var environment: [String: String] = [:]
        for name in rayEnv {
            guard let value = ProcessInfo.processInfo.environment[name] else {
                throw ValidationError("--ray-env \(name): this shell has no such variable")
            }
            environment[name] = value
        }
        let width = parallel ?? max(1, min(cells, fits))
        log("ray \(version.rayVersion) at \(client.address.absoluteString): \(nodes.count) node(s), \(Int(cores)) CPU; "
            + "\(width) cell(s) at once, \(cellCpus) CPU and \(cellMemory) each" + (collect ? ", folders collected from the nodes" : ""))
        let entrypoint = CellEntrypoint(starling: rayStarling ?? executable.path, time: time, llm: llm, cache: cache, tasksDir: tasksDir)
        let runner = RayCellRunner(client: client, entrypoint: entrypoint, cpus: cellCpus, memoryBytes: try Self.bytes(cellMemory),
                                   collect: collect, retries: rayRetries, environment: environment, log: log)
        return (runner, width)
    }
}

/// Interrupts counted by the SIGINT handler (a plain global: the handler may only touch such).
nonisolated(unsafe) private var interruptsSeen: sig_atomic_t = 0

/// Runs work that Ctrl-C cancels: the first SIGINT cancels it (cells stop, cluster jobs are
/// stopped) and the work finishes what it writes; a second one exits at once.
///
/// A handler, not `SIG_IGN`: an ignored signal stays ignored in the processes the bench starts,
/// while a handled one is back to its default there.
enum Interruption {
    /// Whether the last ``run(message:_:)`` saw a Ctrl-C (also when its body then threw).
    static var wasInterrupted: Bool { interruptsSeen > 0 }

    /// Runs `body`; returns its value and whether it was interrupted.
    ///
    /// - Parameter message: What the first Ctrl-C prints.
    static func run<T: Sendable>(message: String = "interrupt: stopping the running cells (Ctrl-C again to quit at once)",
                                 _ body: @escaping @Sendable () async throws -> T) async throws -> (T, Bool) {
        interruptsSeen = 0
        signal(SIGINT) { _ in
            interruptsSeen += 1
            if interruptsSeen > 1 { _exit(130) }
        }
        defer { signal(SIGINT, SIG_DFL) }
        let task = Task { try await body() }
        let watcher = Task {
            while !Task.isCancelled {
                if interruptsSeen > 0 {
                    FileHandle.standardError.write(Data("\n\(message)\n".utf8))
                    task.cancel()
                    return
                }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        defer { watcher.cancel() }
        let value = try await task.value
        return (value, interruptsSeen > 0)
    }
}
