import Foundation
import Testing
@testable import StarlingAgents
import StarlingCore
import StarlingLLM
import StarlingRunFolder
@testable import StarlingRuntime

/// The session factory `starling run`, `starling resume` and the tests start runs through.
@Suite struct AgentSessionTests {
    @Test func strategyNamesMapToStrategies() throws {
        var settings = AgentSettings()
        settings.aideSteps = 7
        #expect(try StrategyCatalogue.standard.strategy(named: "mle-star", settings: settings) is MLESTARStrategy)
        let aide = try #require(try StrategyCatalogue.standard.strategy(named: "aide", settings: settings) as? AIDEStrategy)
        #expect(aide.maxSteps == 7)
        let peer = #expect(throws: AgentError.self) { try StrategyCatalogue.standard.strategy(named: "aideml", settings: settings) }
        #expect(peer?.message.contains("starling bench") == true, "a peer is run by the bench, and the error says so")
        let unknown = #expect(throws: AgentError.self) { try StrategyCatalogue.standard.strategy(named: "mle_star", settings: settings) }
        #expect(unknown?.message.contains("mle-star, aide") == true)
    }

    @Test func rolesWithoutAModelGetTheLocalOneAndOnlyOneLocalModelRuns() throws {
        let installation = LocalLLMInstallation(home: StarlingHome(root: try agentScratch()))
        let names = try AgentSession.modelNames(["planner": "openai:gpt-4.1"], installation: installation)
        #expect(names["planner"] == "openai:gpt-4.1")
        #expect(names["coder"] == "local:" + LocalModel.defaultName, "no model installed: the default local model")
        #expect(names["reviewer"] == names["coder"])
        #expect(throws: AgentError.self) {
            try AgentSession.modelNames(["coder": "local:qwen2.5-coder-1.5b", "planner": "local:qwen2.5-coder-0.5b"], installation: installation)
        }
    }

    func session(home: StarlingHome, strategy: String = "mle-star") -> AgentSession {
        let configuration = RunConfiguration(task: "wa-churn", strategy: strategy, models: [:], settings: AgentSettings(),
                                             budget: Budget(wallSeconds: 60), cacheMode: "off")
        return AgentSession(configuration: configuration, runFolder: home.root.appendingPathComponent("run"), home: home, progress: .silent)
    }

    @Test func aSessionOnAnEmptyHomeSaysWhatToSetUpAndWritesNothing() async throws {
        let home = StarlingHome(root: try agentScratch())
        let session = session(home: home)
        let error = await #expect(throws: AgentError.self) { try await session.run() }
        #expect(error?.message.contains("run `starling setup`") == true)
        #expect(!FileManager.default.fileExists(atPath: RunLayout(session.runFolder).configuration.path))
    }

    @Test func aMissingLocalModelIsNamedBeforeTheTaskIsPrepared() async throws {
        let home = StarlingHome(root: try agentScratch())
        // A solution environment on record (its interpreter only has to exist).
        let environment = PythonEnvironment.solution(in: home)
        try FileManager.default.createDirectory(at: environment.python.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: environment.python, withDestinationURL: agentTestPython())
        try #"{"requirements": [], "installed": {"pandas": "3.0.0"}, "pythonVersion": "3.11", "createdAt": "2026-11-29"}"#
            .write(to: environment.recordFile, atomically: true, encoding: .utf8)
        let error = await #expect(throws: AgentError.self) { try await session(home: home).run() }
        #expect(error?.message.contains("is not installed: run `starling setup --llm`") == true)
        let unknown = await #expect(throws: AgentError.self) { try await session(home: home, strategy: "beam").run() }
        #expect(unknown?.message.contains("unknown strategy 'beam'") == true)
    }

    @Test func libraryVersionsNameWhatThePromptsMayUse() {
        let record = PythonEnvironment.Record(requirements: [], installed: ["pandas": "3.0.0", "xgboost-cpu": "3.1.0", "left-pad": "1"],
                                              pythonVersion: "3.11", createdAt: "")
        let text = AgentSession.libraryVersions(record)
        #expect(text.contains("pandas 3.0.0") && text.contains("xgboost 3.1.0"))
        #expect(!text.contains("left-pad"), "only the solution requirements are listed")
    }
}
