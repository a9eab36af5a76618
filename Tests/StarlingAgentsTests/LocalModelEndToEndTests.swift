import Foundation
import Testing
@testable import StarlingAgents
import StarlingBench
import StarlingCore
import StarlingLLM
import StarlingRuntime
import StarlingStore
import StarlingRunFolder

/// The whole agent on a real bundled task with the embedded local model (the 0.5B one, which is
/// the CI-sized model): a real llama-server, real Python, the real grader.
@Suite(.serialized) struct LocalModelEndToEndTests {
    static let installation = LocalLLMInstallation()
    static let model = try? LocalModel.named(LocalModel.smallName)
    static var ready: Bool {
        guard let model else { return false }
        return installation.isServerInstalled && installation.isInstalled(model)
            && FileManager.default.isExecutableFile(atPath: StarlingHome.resolve().solutionPython.path)
    }

    /// Runs `strategy` on wa-churn with the 0.5B model on a server of the test's own.
    func run(_ strategy: any SearchStrategy, settings: AgentSettings, seconds: Double = 420) async throws -> (RunSummary, URL, TaskDefinition) {
        let home = StarlingHome.resolve()
        let store = TaskStore.locate()
        var task = try store.task("wa-churn")
        _ = try await TaskPreparer(python: home.dataPython).prepareIfNeeded(task)
        task = try store.task("wa-churn")
        let root = try agentScratch()
        let controller = LlamaServerController(
            binary: Self.installation.serverBinary, stateFile: root.appendingPathComponent("server.json"),
            logFile: root.appendingPathComponent("server.log"))
        // The policy a run uses (ngram speculation, batch threads): at one plain thread the 0.5B
        // model's 700-token replies took 160 s each, and the deadline cut the first edit.
        let state = try await controller.start(modelFile: Self.model!.file(in: home), name: Self.model!.name,
                                               options: LlamaServerOptions(contextSize: 8192, threads: 1, speculative: "ngram-mod", batchThreads: 2))
        var config = try LLMConfiguration(home: StarlingHome(root: root), cacheMode: .off)
        config.localServerURL = state.baseURL
        let client = try config.makeClient(named: "local:\(Self.model!.name)")
        let runFolder = root.appendingPathComponent("run")
        let outcome = await Result(catching: {
            let runner = AgentRunner(
                task: try BenchTaskHarness(task: task, runFolder: runFolder), strategy: strategy, settings: settings,
                budget: Budget(wallSeconds: seconds, reserveSeconds: 120), clients: [.coder: client], runFolder: runFolder,
                sandbox: try await Sandbox.probing(), python: home.solutionPython, libraries: "pandas, numpy, scikit-learn, lightgbm",
                retriever: try KnowledgeBase.bundled(), progress: .silent, prices: nil)
            return try await runner.run(configJSON: "{}")
        })
        await controller.stop()
        return (try outcome.get(), runFolder, task)
    }

    static func settings() -> AgentSettings {
        var settings = smallSettings(candidates: 1)
        settings.scriptTimeoutSeconds = 120
        settings.scriptMemoryMB = 4096
        settings.maxCodeTokens = 1200
        settings.editFormat = .auto  // function edits, as runs with the local model use
        return settings
    }

    @Test(.enabled(if: ready, "needs `starling setup --llm` (llama-server and the 0.5B model) and the solution environment"),
          .timeLimit(.minutes(15)))
    func mleStarWritesAValidGradedSubmission() async throws {
        var settings = Self.settings()
        settings.labelShuffleCheck = true
        let (summary, runFolder, task) = try await run(MLESTARStrategy(), settings: settings)

        #expect(summary.validSubmission)
        #expect(summary.fallback == nil, "a script made the submission, not the sample fallback")
        let score = try #require(summary.finalScore)
        #expect(score > 0.6 && score <= 1.0, "AUC on the real test rows")
        let grade = try String(contentsOf: runFolder.appendingPathComponent("final/grade.json"), encoding: .utf8)
        #expect(grade.contains("\"valid_submission\" : true"))
        let journal = try Journal(path: RunLayout(runFolder).journal)
        let calls = try journal.llmCalls()
        #expect(!calls.isEmpty, "the local model was asked")
        #expect(calls.contains { $0.completionTokens > 0 })
        // The candidate's edit was asked of the model (the search deadline may cut it short, so its
        // node need not exist), and the example it edits ran.
        #expect(calls.contains { $0.stepKey.hasPrefix("candidate/1") }, "the model was asked for candidate 1's edit")
        #expect(try journal.node(forStep: "candidate/1/example")?.node.status == .succeeded)
        // The view the scripts saw hides the dev labels: its test.csv has more rows than the real one.
        let viewTest = try CSVTable.read(contentsOf: runFolder.appendingPathComponent("view/test.csv"))
        let realTest = try CSVTable.read(contentsOf: task.testURL!)
        #expect(viewTest.rowCount > realTest.rowCount)
    }

    /// Started as `starling run` starts a run: through ``AgentSession`` (strategy by name, the local
    /// server under a lease with the run's policy, clients per role), on the real home's server.
    @Test(.enabled(if: ready, "needs `starling setup --llm` (llama-server and the 0.5B model) and the solution environment"),
          .timeLimit(.minutes(15)))
    func aideWritesAValidGradedSubmission() async throws {
        var settings = Self.settings()
        settings.aideSteps = 4
        let root = try agentScratch()
        let runFolder = root.appendingPathComponent("run")
        let model = "local:" + Self.model!.name
        let configuration = RunConfiguration(
            task: "wa-churn", strategy: "aide", models: ["coder": model, "planner": model, "reviewer": model], settings: settings,
            budget: Budget(wallSeconds: 600, reserveSeconds: 120), cacheMode: "off")
        let summary = try await AgentSession(configuration: configuration, runFolder: runFolder, progress: .silent).run()
        #expect(summary.validSubmission)
        #expect(summary.fallback == nil, "a script made the submission, not the sample fallback")
        #expect((summary.finalScore ?? 0) > 0.6)
        #expect(try RunConfiguration.read(from: RunLayout(runFolder)) == configuration, "run.json is what `starling resume` needs")
        let journal = try Journal(path: RunLayout(runFolder).journal)
        #expect(try journal.llmCalls().contains { $0.completionTokens > 0 && $0.model == model })
        let tree = try #require(try RunLayout.readJSON(SearchTree.self, from: RunLayout(runFolder).tree))
        #expect(tree.nodes.contains { StepKey($0.step).root == "aide" }, "the AIDE policy ran at least one step")
    }
}

/// One edit asked of the 1.5B model (the model `starling run` uses) on a real card example and task.
@Suite(.serialized) struct LocalModelEditTests {
    static let model = try? LocalModel.named(LocalModel.defaultName)
    static var ready: Bool {
        guard let model else { return false }
        return LocalModelEndToEndTests.installation.isServerInstalled && LocalModelEndToEndTests.installation.isInstalled(model)
            && FileManager.default.isExecutableFile(atPath: StarlingHome.resolve().solutionPython.path)
    }

    @Test(.enabled(if: ready, "needs `starling setup --llm` (llama-server and the 1.5B model) and the solution environment"),
          .timeLimit(.minutes(15)))
    func anEditFromTheLocalModelIsAppliedAndRun() async throws {
        let home = StarlingHome.resolve()
        let store = TaskStore.locate()
        var task = try store.task("wa-churn")
        _ = try await TaskPreparer(python: home.dataPython).prepareIfNeeded(task)
        task = try store.task("wa-churn")
        let root = try agentScratch()
        let model = try #require(Self.model)
        let controller = LlamaServerController(
            binary: LocalModelEndToEndTests.installation.serverBinary, stateFile: root.appendingPathComponent("server.json"),
            logFile: root.appendingPathComponent("server.log"))
        let state = try await controller.start(modelFile: model.file(in: home), name: model.name,
                                               options: LlamaServerOptions(contextSize: 8192, threads: 1, speculative: "ngram-mod", batchThreads: 2))
        var config = try LLMConfiguration(home: StarlingHome(root: root), cacheMode: .off)
        config.localServerURL = state.baseURL
        let client = try config.makeClient(named: "local:\(model.name)")
        var settings = LocalModelEndToEndTests.settings()
        settings.scriptTimeoutSeconds = 180
        let outcome = await Result(catching: { () -> (Node, Node, ModelWork) in
            let runFolder = root.appendingPathComponent("run")
            let runner = AgentRunner(
                task: try BenchTaskHarness(task: task, runFolder: runFolder), strategy: MLESTARStrategy(), settings: settings,
                budget: Budget(), clients: [.coder: client], runFolder: runFolder,
                sandbox: try await Sandbox.probing(), python: home.solutionPython, libraries: "pandas, numpy, scikit-learn, lightgbm",
                retriever: try KnowledgeBase.bundled(), progress: .silent, prices: nil)
            let context = try await runner.makeContext()
            #expect(context.editFormat == .function, "auto means function edits for the local model")
            let card = try #require(try KnowledgeBase.bundled().cards.first { $0.id == "lightgbm-tabular" })
            let example = try await context.execute(step: "candidate/1/example", stage: .candidate, parent: nil,
                                                    plan: "example", code: card.example, origin: .example).0
            let (function, idea) = await context.editIdea(for: example.code, turn: 0)
            let edited = try await context.develop(step: "candidate/1", stage: .candidate, parent: example.id, plan: idea) {
                try await context.askEdit(.coder, base: example.code, score: example.harnessScore,
                                          instruction: context.prompts.render(.instructCandidate, [
                                              "model_name": card.name, "score": "\(example.harnessScore ?? 0)", "metric": "roc_auc",
                                              "direction": "higher", "idea": idea, "lessons": "",
                                          ]), function: function)
            }
            let work = ModelWork.measure(journal: context.journal, submitted: nil, direction: .higher, elapsedSeconds: context.elapsedSeconds)
            return (example, edited, work)
        })
        await controller.stop()
        let (example, edited, work) = try outcome.get()
        #expect(example.status == .succeeded)
        // The model's reply was spliced into the example: a different script that parsed and ran.
        #expect(edited.origin == .model)
        #expect(!EditApplier.sameUpToWhitespace(edited.code, example.code))
        #expect(edited.code.contains("def fit_predict("))
        #expect(work.scriptsRan >= 1, "the edited script was executed")
        print("local edit: \(work.line); edited node \(edited.status.rawValue), score \(edited.harnessScore.map { String($0) } ?? "-") vs example \(example.harnessScore ?? 0)")
    }
}

extension Result where Failure == any Error {
    /// Captures an async throwing call, so clean-up can run before the error is rethrown.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
