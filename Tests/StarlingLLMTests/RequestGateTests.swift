import Foundation
import Synchronization
import Testing
@testable import StarlingLLM

/// A client that takes `seconds` per request and records how many requests were in flight at once.
private final class SlowClient: LLMClient {
    let model = ModelRef(provider: .local, name: "slow")
    let seconds: Double
    private let counts = Mutex((now: 0, peak: 0, order: [String]()))

    init(seconds: Double) { self.seconds = seconds }

    var peak: Int { counts.withLock { $0.peak } }
    var order: [String] { counts.withLock { $0.order } }

    func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let text = request.messages.last?.content ?? ""
        counts.withLock { counts in
            counts.now += 1
            counts.peak = max(counts.peak, counts.now)
            counts.order.append(text)
        }
        defer { counts.withLock { $0.now -= 1 } }
        try await Task.sleep(for: .seconds(seconds))
        return ChatResponse(text: "re: " + text, model: "slow")
    }
}

@Suite struct RequestGateTests {
    @Test func clientsSharingAGateSendOneRequestAtATimeInArrivalOrder() async throws {
        let base = SlowClient(seconds: 0.2)
        let gate = RequestGate()
        let coder = GatedClient(base, gate: gate), planner = GatedClient(base, gate: gate)
        let replies = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<4 {
                group.addTask {
                    try await Task.sleep(for: .milliseconds(30 * index))  // arrive in order
                    let client = index.isMultiple(of: 2) ? coder : planner
                    return try await client.complete(ChatRequest(messages: [.user("q\(index)")])).text
                }
            }
            var all: [String] = []
            for try await reply in group { all.append(reply) }
            return all
        }
        #expect(Set(replies) == ["re: q0", "re: q1", "re: q2", "re: q3"])
        #expect(base.peak == 1)
        #expect(base.order == ["q0", "q1", "q2", "q3"])

        // Without the gate the same four overlap: the check above would notice a gate that lets all through.
        let ungated = SlowClient(seconds: 0.2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<4 { group.addTask { _ = try await ungated.complete(ChatRequest(messages: [.user("q\(index)")])) } }
            try await group.waitForAll()
        }
        #expect(ungated.peak > 1)
    }

    @Test func aWaiterCancelledInTheQueueLeavesItAndTheNextOneStillGoes() async throws {
        let base = SlowClient(seconds: 0.5)
        let client = GatedClient(base, gate: RequestGate())
        let first = Task { try await client.complete(ChatRequest(messages: [.user("first")])) }
        try await Task.sleep(for: .milliseconds(100))
        let cancelled = Task { try await client.complete(ChatRequest(messages: [.user("cancelled")])) }
        let third = Task { try await client.complete(ChatRequest(messages: [.user("third")])) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(client.gate.waiting == 2)
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(client.gate.waiting == 1)
        #expect(try await first.value.text == "re: first")
        #expect(try await third.value.text == "re: third")
        #expect(base.order == ["first", "third"])
        #expect(client.gate.waiting == 0)
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
}
