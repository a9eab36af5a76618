import Foundation
import Synchronization

/// What a run is waiting for on the model right now, for the live dashboard: every call in flight
/// (its step, role, model, when it started, how long its prompt is) and the speed of the last
/// answered one. Kept in `live.json` while calls are in flight; the file goes when none is.
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

    /// The last answered call.
    package struct Answered: Codable, Sendable, Hashable {
        package var step: String
        package var completionTokens: Int
        package var seconds: Double
        package var tokensPerSecond: Double?

        package init(step: String, completionTokens: Int, seconds: Double, tokensPerSecond: Double?) {
            (self.step, self.completionTokens, self.seconds, self.tokensPerSecond) = (step, completionTokens, seconds, tokensPerSecond)
        }
    }

    /// What `live.json` holds.
    package struct Snapshot: Codable, Sendable, Hashable {
        package var calls: [Call] = []
        package var last: Answered?
    }

    private let file: URL
    private let state = Mutex<(calls: [UUID: Call], last: Answered?)>(([:], nil))

    /// Activity written to `layout.live`.
    package init(layout: RunLayout) {
        file = layout.live
    }

    /// Notes a call that starts; returns its token for ``ended(_:answered:)``.
    package func started(_ call: Call) -> UUID {
        let id = UUID()
        let snapshot = state.withLock { state -> Snapshot in
            state.calls[id] = call
            return Snapshot(calls: state.calls.values.sorted { $0.started < $1.started }, last: state.last)
        }
        write(snapshot)
        return id
    }

    /// Notes that call `id` ended, with its reply's tokens and seconds when it was answered.
    package func ended(_ id: UUID, answered: Answered?) {
        let snapshot = state.withLock { state -> Snapshot in
            state.calls[id] = nil
            if let answered { state.last = answered }
            return Snapshot(calls: state.calls.values.sorted { $0.started < $1.started }, last: state.last)
        }
        write(snapshot)
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
