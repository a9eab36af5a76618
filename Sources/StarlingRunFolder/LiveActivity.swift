import Foundation
import Synchronization

/// What a run is waiting for on the model right now, for the live dashboard: every call in flight
/// (its step, role, model, when it started, how long its prompt is). Kept in `live.json` while
/// calls are in flight; the file goes when none is. (The last reply's speed is in the journal.)
package final class LiveActivity: Sendable {
    /// One call in flight.
    package struct Call: Codable, Sendable, Hashable {
        package var step: String
        package var role: String
        package var model: String
        package var started: Date
        package var promptCharacters: Int
        package var maxTokens: Int?

        package init(step: String, role: String, model: String, started: Date, promptCharacters: Int, maxTokens: Int?) {
            (self.step, self.role, self.model, self.started, self.promptCharacters, self.maxTokens) = (step, role, model, started, promptCharacters, maxTokens)
        }
    }

    /// What `live.json` holds.
    package struct Snapshot: Codable, Sendable, Hashable {
        package var calls: [Call] = []
    }

    private let file: URL
    private let calls = Mutex<[UUID: Call]>([:])

    /// Activity written to `layout.live`.
    package init(layout: RunLayout) {
        file = layout.live
    }

    /// Notes a call that starts; returns its token for ``ended(_:)``.
    package func started(_ call: Call) -> UUID {
        let id = UUID()
        write(calls.withLock { calls in
            calls[id] = call
            return Snapshot(calls: calls.values.sorted { $0.started < $1.started })
        })
        return id
    }

    /// Notes that call `id` ended, answered or not.
    package func ended(_ id: UUID) {
        write(calls.withLock { calls in
            calls[id] = nil
            return Snapshot(calls: calls.values.sorted { $0.started < $1.started })
        })
    }

    private func write(_ snapshot: Snapshot) {
        guard !snapshot.calls.isEmpty else {
            try? FileManager.default.removeItem(at: file)
            return
        }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try? encoder.encode(snapshot).write(to: file, options: .atomic)
    }

    /// What `layout`'s run is waiting for now; an empty snapshot when nothing is in flight.
    package static func read(_ layout: RunLayout) -> Snapshot {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return (try? Data(contentsOf: layout.live)).flatMap { try? decoder.decode(Snapshot.self, from: $0) } ?? Snapshot()
    }
}
