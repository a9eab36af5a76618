import Synchronization

/// Whether a run's model answers at all. Every call of the run reports how it ended; after
/// ``threshold`` calls in a row that failed because no model could be reached (a refused or dropped
/// connection after the retries, a local server that would not start, a missing key, an HTTP 401,
/// 403 or 404), the model counts as unreachable and the run stops asking it. A call that gets any
/// reply, even one whose text is of no use, resets the count: the model answered.
package final class ModelReachability: Sendable {
    /// Failed calls in a row that make the model unreachable.
    package let threshold: Int

    private struct State {
        var failuresInARow = 0
        var answered = 0
        var lastFailure: String?
        var verdict: String?
    }

    private let state = Mutex(State())

    /// A record with no call yet.
    ///
    /// - Parameter threshold: Failed calls in a row that make the model unreachable (at least 1).
    package init(threshold: Int = 3) {
        self.threshold = max(1, threshold)
    }

    /// Why no model answers, once ``threshold`` calls in a row failed that way; `nil` until then.
    package var unreachable: String? { state.withLock { $0.verdict } }

    /// Notes a call that got a reply.
    package func answered() {
        state.withLock {
            $0.failuresInARow = 0
            $0.answered += 1
        }
    }

    /// Notes a call that failed with `error`.
    ///
    /// - Returns: The verdict when this failure made the model unreachable (once), else `nil`.
    @discardableResult
    package func failed(_ error: any Error) -> String? {
        guard Self.meansUnreachable(error) else { return nil }
        return state.withLock { state -> String? in
            state.failuresInARow += 1
            state.lastFailure = "\(error)"
            guard state.verdict == nil, state.failuresInARow >= threshold else { return nil }
            let before = state.answered == 0 ? "no call of this run got a reply" : "after \(state.answered) answered call(s)"
            state.verdict = "no model answered: \(state.failuresInARow) calls in a row failed (\(before)); the last: \(state.lastFailure ?? "?")"
            return state.verdict
        }
    }

    /// Whether `error` says the model could not be reached or used, as opposed to a slow or
    /// unreadable reply, which the next call may not repeat.
    package static func meansUnreachable(_ error: any Error) -> Bool {
        guard let error = error as? LLMError else { return false }
        switch error.code {
        case .connection, .localServer, .missingKey: return true
        case .http: return [401, 403, 404].contains(error.statusCode ?? 0)
        default: return false
        }
    }
}
