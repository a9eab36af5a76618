import Foundation
import Testing
@testable import StarlingAgents
import StarlingBench
import StarlingCore
import StarlingLLM
import StarlingRuntime
import StarlingStore
import StarlingRunFolder

/// The repo strategy with the embedded local model (0.5B, the CI-sized one) on a real
/// llama-server: its schema-constrained replies pick tools that run, and the script it writes runs
/// in the sandbox and is judged by the task's test script.
@Suite(.serialized) struct RepoLocalModelTests {
    @Test(.enabled(if: LocalModelEndToEndTests.ready, "needs the local model and the solution environment (starling setup --llm)"))
    func theLocalModelExploresWritesAndIsJudged() async throws {
        let home = StarlingHome.resolve()
        let model = LocalModelEndToEndTests.model!
        let task = try RepoTaskRunnerTests.makeTask()
        let root = try agentScratch()
        let controller = LlamaServerController(
            binary: LocalModelEndToEndTests.installation.serverBinary, stateFile: root.appendingPathComponent("server.json"),
            logFile: root.appendingPathComponent("server.log"))
        let state = try await controller.start(modelFile: model.file(in: home), name: model.name,
                                               options: LlamaServerOptions(contextSize: 8192, threads: 1, speculative: "ngram-mod", batchThreads: 2))
        var config = try LLMConfiguration(home: StarlingHome(root: root), cacheMode: .off)
        config.localServerURL = state.baseURL
        let client = try config.makeClient(named: "local:\(model.name)")
        var settings = AgentSettings()
        settings.repoTurns = 2
        settings.repoAttempts = 2
        settings.maxCodeTokens = 600
        settings.scriptTimeoutSeconds = 60
        let repo = task.folder.appendingPathComponent("repo")
        let runFolder = root.appendingPathComponent("run")
        let outcome = await Result(catching: {
            try await RepoTaskRunner(task: task, repoRoot: repo, importRoots: [repo], toolsOn: true, settings: settings, budget: Budget(wallSeconds: 420),
                                     client: client, runFolder: runFolder, sandbox: try await Sandbox.probing(), python: home.solutionPython,
                                     progress: .silent, prices: nil).run(configJSON: "{}")
        })
        await controller.stop()
        let summary = try outcome.get()
        let journal = try Journal(path: RunLayout(runFolder).journal)
        let tools = try journal.events().filter { $0.eventKind == .tool }
        let calls = try journal.llmCalls()
        // Every exploration reply decoded into a known tool (a garbage reply would end the exploration with a warning and no tool event).
        let messages = try journal.events().map(\.message)
        #expect(!tools.isEmpty, "no tool call was made: \(messages)")
        #expect(calls.contains { $0.stepKey == "explore" })
        // The model's own script ran in the sandbox and the test script judged its output.
        let nodes = try journal.nodes()
        #expect(!nodes.isEmpty && nodes.allSatisfy { $0.node.origin == .model })
        #expect(summary.repo?.attempts == nodes.count)
        #expect(summary.repo?.comments.isEmpty == false)
    }
}
