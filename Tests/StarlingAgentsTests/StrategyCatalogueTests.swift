import Foundation
import Testing
@testable import StarlingAgents
import StarlingCore
import StarlingStore
import StarlingRunFolder
import StarlingRuntime

/// A strategy written outside Starling's sources: one fixed script, no model. All it takes to
/// run it is this type and one catalogue entry.
private struct OneScriptStrategy: SearchStrategy {
    let name = "one-script"
    let strength: Double

    static let entry = StrategyCatalogue.Entry(name: "one-script", usesModel: false, summary: "one fixed script") {
        OneScriptStrategy(strength: Double($0.candidates) / 10)
    }

    func search(in context: SearchContext) async throws -> Node? {
        let code = scoring(strength, marker: "one-script").replacingOccurrences(of: "```python\n", with: "").replacingOccurrences(of: "```", with: "")
        let (node, _) = try await context.execute(step: StepKey.candidate(1).example, stage: .candidate, parent: nil,
                                                  plan: "the toy strategy's one script", code: code, origin: .example)
        return node.status == .succeeded ? node : nil
    }
}

@Suite(.serialized) struct StrategyCatalogueTests {
    @Test func aToyStrategyRunsFromItsCatalogueEntryAlone() async throws {
        #expect(throws: AgentError.self) { try StrategyCatalogue.standard.strategy(named: "one-script", settings: AgentSettings()) }
        let catalogue = StrategyCatalogue.standard.adding(OneScriptStrategy.entry)
        #expect(catalogue.names.last == "one-script" && catalogue.entry(named: "one-script")?.usesModel == false)
        var settings = smallSettings()
        settings.candidates = 7
        let strategy = try catalogue.strategy(named: "one-script", settings: settings)
        #expect((strategy as? OneScriptStrategy)?.strength == 0.7, "made from the run's settings")

        let root = try agentScratch()
        let runner = AgentRunner(
            task: try ToyHarness(root: root), strategy: strategy, settings: settings, budget: Budget(),
            clients: [.coder: ScriptedLLM([])], runFolder: root.appendingPathComponent("run"), sandbox: try await Sandbox.probing(),
            python: agentTestPython(), libraries: "numpy", retriever: KnowledgeBase(cards: []), progress: .silent, prices: nil)
        let summary = try await runner.run(configJSON: "{}")
        #expect(summary.devScore == 0.7)
        let layout = RunLayout(root.appendingPathComponent("run"))
        #expect(try String(contentsOf: layout.finalSolution, encoding: .utf8).contains("# one-script"))
        #expect(try Journal(path: layout.journal).nodes().count >= 1)
    }

    @Test func theStandardCatalogueNamesWhatRunsEachStrategy() throws {
        let standard = StrategyCatalogue.standard
        #expect(standard.names == ["mle-star", "aide", "examples", "repo", "repo-no-tools", "aideml", "aideml-adapter"])
        #expect(standard.entries.filter { !$0.usesModel }.map(\.name) == ["examples"])
        for name in ["repo", "aideml"] {
            let error = #expect(throws: AgentError.self) { try standard.strategy(named: name, settings: AgentSettings()) }
            #expect(error?.message.contains(name == "repo" ? "repo tasks" : "starling bench") == true)
        }
        // Every strategy name a run folder can hold has an entry.
        #expect(Set(StrategyName.allCases.map(\.rawValue)) == Set(standard.names))
        #expect(!standard.described(except: .peer).contains("aideml"))
    }
}
