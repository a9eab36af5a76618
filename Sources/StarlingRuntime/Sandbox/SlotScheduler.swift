import StarlingCore

/// Shares a core budget between concurrent executions: each asks for a number of cores and
/// waits, first come first served, until that many are free.
package actor SlotScheduler {
    /// Cores shared by all executions.
    package let totalCores: Int
    private var freeCores: Int
    private var waiting: [(cores: Int, continuation: CheckedContinuation<Void, Never>)] = []
    private(set) var busyIntervals: [(start: ContinuousClock.Instant, end: ContinuousClock.Instant, cores: Int)] = []

    /// Creates a scheduler.
    ///
    /// - Parameter totalCores: The core budget; at least 1.
    package init(totalCores: Int) {
        self.totalCores = max(1, totalCores)
        self.freeCores = max(1, totalCores)
    }

    /// Cores not held by any execution right now.
    package var available: Int { freeCores }

    /// Runs `body` while holding `cores` cores (capped at the budget).
    ///
    /// - Parameters:
    ///   - cores: Cores to hold.
    ///   - body: The work, usually one ``Sandbox/run(_:)`` call.
    /// - Returns: What `body` returns.
    package func withSlot<T: Sendable>(cores: Int, _ body: @Sendable () async throws -> T) async rethrows -> T {
        let wanted = min(max(1, cores), totalCores)
        await acquire(wanted)
        let start = ContinuousClock.now
        defer {
            busyIntervals.append((start, .now, wanted))
            release(wanted)
        }
        return try await body()
    }

    /// Share of core-seconds used between the first acquisition and the last release (or now,
    /// while work runs), in 0...1; a measure of how well queued work kept the budget busy.
    package func utilisation() -> Double? {
        guard let first = busyIntervals.map(\.start).min() else { return nil }
        let idle = freeCores == totalCores
        let end = idle ? (busyIntervals.map(\.end).max() ?? .now) : .now
        let span = first.duration(to: end)
        let total = span.seconds
        guard total > 0 else { return nil }
        let used = busyIntervals.reduce(0.0) { sum, interval in
            let d = interval.start.duration(to: interval.end)
            return sum + d.seconds * Double(interval.cores)
        }
        return used / (total * Double(totalCores))
    }

    private func acquire(_ cores: Int) async {
        if waiting.isEmpty && freeCores >= cores {
            freeCores -= cores
            return
        }
        await withCheckedContinuation { waiting.append((cores, $0)) }
    }

    private func release(_ cores: Int) {
        freeCores += cores
        while let next = waiting.first, next.cores <= freeCores {
            waiting.removeFirst()
            freeCores -= next.cores
            next.continuation.resume()
        }
    }
}
