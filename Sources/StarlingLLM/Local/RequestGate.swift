import Synchronization

/// Lets one request through at a time, first come first served; a waiter whose task is
/// cancelled leaves the queue with `CancellationError`.
///
/// A local model on a few cores serves one request at full speed or two at well under half
/// speed each: in a 10-minute run on two cores, two branches' requests in flight together took
/// 36 s per call against 30 s for calls one after another, and a 172-token reply took 126 s.
/// While one request waits here, its branch's script is usually running, so the model is not idle.
package final class RequestGate: Sendable {
    private struct State {
        var busy = false
        var waiters: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
        var nextID = 0
        /// Waiters cancelled before they joined the queue.
        var cancelled: Set<Int> = []
    }

    private let state = Mutex(State())

    /// An open gate.
    package init() {}

    /// Runs `body` once every earlier caller has finished its own.
    ///
    /// - Parameter body: The work to do alone (one request).
    /// - Returns: What `body` returns.
    /// - Throws: `CancellationError` when the task is cancelled while waiting; what `body` throws.
    package func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await enter()
        defer { leave() }
        return try await body()
    }

    /// How many callers are waiting (for tests and progress).
    package var waiting: Int { state.withLock { $0.waiters.count } }

    private func enter() async throws {
        try Task.checkCancellation()
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let admitted = state.withLock { state -> Bool? in
                    if state.cancelled.remove(id) != nil { return nil }
                    if !state.busy {
                        state.busy = true
                        return true
                    }
                    state.waiters.append((id, continuation))
                    return false
                }
                switch admitted {
                case true?: continuation.resume()
                case nil: continuation.resume(throwing: CancellationError())
                default: break
                }
            }
        } onCancel: {
            let removed = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else {
                    state.cancelled.insert(id)  // not queued yet (or already admitted: then unused)
                    return nil
                }
                return state.waiters.remove(at: index).continuation
            }
            removed?.resume(throwing: CancellationError())
        }
    }

    private func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            guard !state.waiters.isEmpty else {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst().continuation  // the gate stays busy: handed over
        }
        next?.resume()
    }
}

/// A client whose requests pass a ``RequestGate`` shared with other clients of the same server.
package struct GatedClient: LLMClientLayer {
    /// The client that sends the requests.
    package let base: any LLMClient
    /// The gate every client of the server shares.
    package let gate: RequestGate

    /// Wraps `base`.
    package init(_ base: any LLMClient, gate: RequestGate) {
        self.base = base
        self.gate = gate
    }

    package func complete(_ request: ChatRequest) async throws -> ChatResponse {
        try await gate.run { try await base.complete(request) }
    }
}
