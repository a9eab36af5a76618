import Foundation
import Testing
@testable import StarlingAgents
import StarlingCore
import StarlingStore
import StarlingRuntime
import StarlingRunFolder

@Suite struct AIDEPolicyTests {
    private func node(_ id: Int, _ stage: NodeStage, parent: Int? = nil, status: NodeStatus, score: Double? = nil) -> Node {
        Node(id: id, parentID: parent, stage: stage, code: "", status: status, harnessScore: score)
    }

    @Test func draftsUntilTheDraftCountIsReached() {
        let policy = AIDEPolicy(numDrafts: 3)
        var nodes: [Node] = []
        for id in 1...3 {
            #expect(policy.next(nodes: nodes, direction: .higher, roll: 0.0) == .draft)
            nodes.append(node(id, .draft, status: id == 2 ? .failed : .succeeded, score: id == 2 ? nil : Double(id)))
        }
        #expect(policy.next(nodes: nodes, direction: .higher, roll: 0.99) != .draft)
    }

    @Test func debugsOnlyLeavesWithinTheDepthLimit() {
        let policy = AIDEPolicy(numDrafts: 1, debugProb: 0.5, maxDebugDepth: 2)
        let draft = node(1, .draft, status: .failed)
        let debug1 = node(2, .debug, parent: 1, status: .failed)
        let good = node(4, .draft, status: .succeeded, score: 0.5)
        // The failed draft has a child, so only its debug leaf can be debugged (depth 1 < 2).
        #expect(policy.next(nodes: [draft, debug1, good], direction: .higher, roll: 0.1) == .debug(debug1))
        // A coin above debugProb improves instead.
        #expect(policy.next(nodes: [draft, debug1, good], direction: .higher, roll: 0.9) == .improve(good))
        // At depth 2 the chain is exhausted: no debugging however the coin falls.
        let debug2 = node(3, .debug, parent: 2, status: .failed)
        #expect(policy.debugDepth(of: debug2, in: [1: draft, 2: debug1, 3: debug2]) == 2)
        #expect(policy.next(nodes: [draft, debug1, debug2, good], direction: .higher, roll: 0.0) == .improve(good))
    }

    @Test func improvePicksTheBestByHarnessScoreInTheTasksDirection() {
        let policy = AIDEPolicy(numDrafts: 2, debugProb: 0)
        let a = node(1, .draft, status: .succeeded, score: 0.3)
        let b = node(2, .draft, status: .succeeded, score: 0.7)
        #expect(policy.next(nodes: [a, b], direction: .higher, roll: 0.5) == .improve(b))
        #expect(policy.next(nodes: [a, b], direction: .lower, roll: 0.5) == .improve(a))
    }

    @Test func uctExploresAnUnvisitedNode() {
        let policy = AIDEPolicy(numDrafts: 2, debugProb: 0, explorationConstant: 2.0)
        let best = node(1, .draft, status: .succeeded, score: 0.80)
        let other = node(2, .draft, status: .succeeded, score: 0.79)
        let children = (3...8).map { node($0, .improve, parent: 1, status: .succeeded, score: 0.78) }
        // Greedy would pick node 1 again; UCT prefers the nearly-as-good node nobody has tried to improve.
        #expect(AIDEPolicy(numDrafts: 2, debugProb: 0).next(nodes: [best, other] + children, direction: .higher, roll: 0.5) == .improve(best))
        #expect(policy.next(nodes: [best, other] + children, direction: .higher, roll: 0.5) == .improve(other))
    }

    @Test func rollsAreReproducibleAndUniform() {
        #expect(AIDEStrategy.roll(seed: 7, step: 3) == AIDEStrategy.roll(seed: 7, step: 3))
        let rolls = (1...2000).map { AIDEStrategy.roll(seed: 1, step: $0) }
        #expect(rolls.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = rolls.reduce(0, +) / Double(rolls.count)
        #expect(abs(mean - 0.5) < 0.05)
    }
}

@Suite(.serialized) struct AIDEStrategyTests {
    private func runner(_ llm: ScriptedLLM, root: URL, steps: Int) async throws -> AgentRunner {
        AgentRunner(
            task: try ToyHarness(root: root), strategy: AIDEStrategy(policy: AIDEPolicy(numDrafts: 2, debugProb: 1), maxSteps: steps),
            settings: smallSettings(), budget: Budget(), clients: [.coder: llm], runFolder: root.appendingPathComponent("run"),
            sandbox: try await Sandbox.probing(), python: agentTestPython(), libraries: "numpy",
            retriever: KnowledgeBase(cards: [try toyCard("alpha", score: 0.2)]), progress: .silent, prices: nil)
    }

    /// With two drafts and debugging certain, the policy drafts twice, debugs the failed draft
    /// and improves the best: aide/1 crashes, aide/2 scores 0.6, aide/3 fixes aide/1, aide/4 improves.
    private var rules: [ScriptedLLM.Rule] {
        [
            .init(step: "aide/1", replies: ["Plan: a crashing draft.\n" + crashing]),
            .init(step: "aide/2", replies: ["Plan: a simple model.\n" + scoring(0.6, marker: "draft2")]),
            .init(step: "aide/3", replies: ["Fix the crash.\n" + scoring(0.65, marker: "fixed")]),
            .init(step: "aide/4", replies: ["Add a feature.\n" + scoring(0.7, marker: "improved")]),
        ]
    }

    @Test func draftsDebugsAndImprovesTheBest() async throws {
        let root = try agentScratch()
        let llm = ScriptedLLM(rules)
        let summary = try await runner(llm, root: root, steps: 4).run(configJSON: "{}")
        let journal = try Journal(path: RunLayout(root.appendingPathComponent("run")).journal)
        let nodes = try journal.nodes().filter { $0.stepKey.hasPrefix("aide/") }.map(\.node)
        #expect(nodes.map(\.stage) == [.draft, .draft, .debug, .improve])
        #expect(nodes[2].parentID == nodes[0].id)
        #expect(nodes[3].parentID == nodes[2].id)
        #expect(nodes[1].plan == "Plan: a simple model.")
        #expect(summary.finalScore == 0.7)
        let tree = try JSONDecoder.iso.decode(SearchTree.self, from: Data(contentsOf: root.appendingPathComponent("run/tree.json")))
        #expect(tree.best == nodes[3].id)
        #expect(tree.nodes.first { $0.id == nodes[0].id }?.children == [nodes[2].id])
        // The improve prompt's memory lists the earlier working nodes.
        #expect(llm.prompts(step: "aide/4").last?.contains("# Earlier working solutions") == true)
    }

    @Test func resumeRepeatsNoFinishedStep() async throws {
        let root = try agentScratch()
        let first = ScriptedLLM(rules)
        _ = try await runner(first, root: root, steps: 2).run(configJSON: "{}")
        let second = ScriptedLLM(rules)
        _ = try await runner(second, root: root, steps: 4).run(configJSON: "{}")
        #expect(second.count(step: "aide/1") + second.count(step: "aide/2") == 0, "the drafts were not asked again")
        #expect(second.count(step: "aide/3") == 1 && second.count(step: "aide/4") == 1)
        let journal = try Journal(path: RunLayout(root.appendingPathComponent("run")).journal)
        #expect(try journal.nodes().filter { $0.stepKey.hasPrefix("aide/") }.count == 4)
    }
}

extension JSONDecoder {
    static var iso: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
