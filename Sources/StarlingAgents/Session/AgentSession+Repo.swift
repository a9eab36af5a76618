import Foundation
import StarlingBench
import StarlingCore
import StarlingLLM
import StarlingRunFolder
import StarlingRuntime

extension AgentSession {
    /// Runs a repo task with the `repo` or `repo-no-tools` strategy: the repository is fetched
    /// (a pinned sdist, once) or found, the coder's client started, and ``RepoTaskRunner`` runs.
    ///
    /// - Parameter task: The repo task.
    /// - Returns: The run's summary.
    /// - Throws: ``AgentError`` for a strategy that does not run repo tasks or a missing
    ///   environment; ``RepoTaskError`` when the repository cannot be fetched.
    package func runRepo(_ task: RepoTask) async throws -> RunSummary {
        guard let name = StrategyName(rawValue: configuration.strategy), name.isRepo else {
            throw AgentError("\(task.id) is a repo task: run it with --strategy repo (tools on) or repo-no-tools, not '\(configuration.strategy)'")
        }
        guard PythonEnvironment.solution(in: home).record() != nil else {
            throw AgentError("the solution environment is missing: run `starling setup`")
        }
        let root = try await RepoSource(home: home).ensure(task, log: progress.write)
        // Normally built by `starling tasks prepare`; a task run before that builds it here, before any script.
        let python = try await RepoEnvironment(home: home, repository: root).ensure(log: progress.write)?.python ?? home.solutionPython
        return try await LeaseBox.holding { leases in
            let clients = try await ClientStack.clients(for: configuration, home: home, leases: leases)
            let layout = RunLayout(runFolder)
            try FileManager.default.createDirectory(at: runFolder, withIntermediateDirectories: true)
            try configurationJSON().write(to: layout.configuration)
            let runner = RepoTaskRunner(task: task, repoRoot: root, importRoots: RepoSource.importRoots(of: task, root: root), toolsOn: name == .repo,
                                        settings: configuration.settings, budget: configuration.budget, client: clients.clients[.coder]!,
                                        runFolder: runFolder, sandbox: try await Sandbox.probing(), python: python,
                                        progress: progress, prices: clients.prices)
            return try await runner.run(configJSON: String(decoding: try configurationJSON(), as: UTF8.self))
        }
    }
}
