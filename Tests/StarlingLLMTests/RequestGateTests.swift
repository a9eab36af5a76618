import Foundation
import Synchronization
import Testing
@testable import StarlingLLM

/// A client that takes `seconds` per request and records how many requests were in flight at once.
private final class SlowClient: LLMClient {
    let model = ModelRef(provider: .local, name: "slow")
    let seconds: Double
    private let counts = Mutex((now: 0, peak: 0))

    init(seconds: Double) { self.seconds = seconds }

    var peak: Int { counts.withLock { $0.peak } }

    func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let text = request.messages.last?.content ?? ""
        counts.withLock { counts in
            counts.now += 1
            counts.peak = max(counts.peak, counts.now)
        }
        defer { counts.withLock { $0.now -= 1 } }
        try await Task.sleep(for: .seconds(seconds))
        return ChatResponse(text: "re: " + text, model: "slow")
    }
}

/// A client whose "first" request waits until ``release()``; every other request answers at once.
private final class HeldClient: LLMClient {
    let model = ModelRef(provider: .local, name: "held")
    private let state = Mutex((order: [String](), held: CheckedContinuation<Void, Never>?.none, released: false, now: 0, peak: 0))

    var order: [String] { state.withLock { $0.order } }
    var peak: Int { state.withLock { $0.peak } }

    func release() {
        let held = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.released = true
            defer { state.held = nil }
            return state.held
        }
        held?.resume()
    }

    func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let text = request.messages.last?.content ?? ""
        state.withLock { state in
            state.order.append(text)
            state.now += 1
            state.peak = max(state.peak, state.now)
        }
        defer { state.withLock { $0.now -= 1 } }
        if text == "first" {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.released { return true }
                    state.held = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
        return ChatResponse(text: "re: " + text, model: "held")
    }
}

@Suite struct RequestGateTests {
    @Test func clientsSharingAGateSendOneRequestAtATimeInArrivalOrder() async throws {
        let base = HeldClient()
        let gate = RequestGate()
        let coder = GatedClient(base, gate: gate), planner = GatedClient(base, gate: gate)
        // "first" holds the gate; the other three queue behind it one by one, from two clients.
        var tasks = [Task { try await coder.complete(ChatRequest(messages: [.user("first")])).text }]
        try await waitUntil { base.order == ["first"] }
        for index in 1..<4 {
            let client = index.isMultiple(of: 2) ? coder : planner
            tasks.append(Task { try await client.complete(ChatRequest(messages: [.user("q\(index)")])).text })
            try await waitUntil { gate.waiting == index }
        }
        base.release()
        var replies: [String] = []
        for task in tasks { replies.append(try await task.value) }
        #expect(replies == ["re: first", "re: q1", "re: q2", "re: q3"])
        #expect(base.peak == 1)
        #expect(base.order == ["first", "q1", "q2", "q3"])

        // Without the gate the same four overlap: the check above would notice a gate that lets all through.
        let ungated = SlowClient(seconds: 0.2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<4 { group.addTask { _ = try await ungated.complete(ChatRequest(messages: [.user("q\(index)")])) } }
            try await group.waitForAll()
        }
        #expect(ungated.peak > 1)
    }

    @Test func aWaiterCancelledInTheQueueLeavesItAndTheNextOneStillGoes() async throws {
        // The first request holds the gate until the test lets it go, so nothing depends on timing.
        let base = HeldClient()
        let client = GatedClient(base, gate: RequestGate())
        let first = Task { try await client.complete(ChatRequest(messages: [.user("first")])) }
        try await waitUntil { base.order == ["first"] }
        let cancelled = Task { try await client.complete(ChatRequest(messages: [.user("cancelled")])) }
        try await waitUntil { client.gate.waiting == 1 }
        let third = Task { try await client.complete(ChatRequest(messages: [.user("third")])) }
        try await waitUntil { client.gate.waiting == 2 }
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(client.gate.waiting == 1)
        base.release()
        #expect(try await first.value.text == "re: first")
        #expect(try await third.value.text == "re: third")
        #expect(base.order == ["first", "third"])
        #expect(client.gate.waiting == 0)
    }

    /// Polls `condition` every 10 ms for up to 10 s.
    private func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<1000 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition())
    }

    @Test func aFailingRequestOpensTheGateForTheNext() async throws {
        struct Failing: LLMClient {
            let model = ModelRef(provider: .local, name: "failing")
            func complete(_ request: ChatRequest) async throws -> ChatResponse { throw LLMError(.badResponse, "no") }
        }
        let gate = RequestGate()
        await #expect(throws: LLMError.self) { try await GatedClient(Failing(), gate: gate).complete(ChatRequest(messages: [.user("x")])) }
        let reply = try await GatedClient(SlowClient(seconds: 0), gate: gate).complete(ChatRequest(messages: [.user("y")]))
        #expect(reply.text == "re: y")
    }

    @Test func everyLayerAnswersForTheModelAndSchemaSupportOfTheClientBelow() async throws {
        struct Enforcing: LLMClient {
            let model = ModelRef(provider: .openai, name: "enforcing")
            var supportsJSONSchema: Bool { true }
            func complete(_ request: ChatRequest) async throws -> ChatResponse { ChatResponse(text: "ok", model: model.name) }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("layers-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let layers: [any LLMClient] = [
            GatedClient(Enforcing(), gate: RequestGate()),
            MeteredLLMClient(base: Enforcing(), ledger: UsageLedger(prices: try PriceTable.load())),
            CachedLLMClient(base: Enforcing(), cache: ResponseCache(folder: folder, mode: .readWrite)),
            GatedClient(MeteredLLMClient(base: Enforcing(), ledger: UsageLedger(prices: try PriceTable.load())), gate: RequestGate()),
        ]
        for layer in layers {
            // The protocol's own default says false: a layer that fell back to it would hide the schema from the prompt builder.
            #expect(layer.supportsJSONSchema, "\(type(of: layer))")
            #expect(layer.model.name == "enforcing")
        }
        #expect(GatedClient(SlowClient(seconds: 0), gate: RequestGate()).supportsJSONSchema == SlowClient(seconds: 0).supportsJSONSchema)
    }
}

