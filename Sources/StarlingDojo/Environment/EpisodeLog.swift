import Foundation
import StarlingCore

/// One step as the environment records it in `steps.jsonl`: the action, what came back, and
/// how long it took. ``TrajectoryExporter`` turns these lines into trajectory steps.
package struct EpisodeStepRecord: Sendable, Hashable, Codable {
    /// The environment.
    package var environmentID: String
    /// The task.
    package var taskID: String
    /// The episode, from 1.
    package var episode: Int
    /// The step within the episode, from 1.
    package var step: Int
    /// The action's name.
    package var action: String
    /// The action's parameters as sent.
    package var params: JSONValue
    /// The observation returned.
    package var observation: JSONValue
    /// The reward returned.
    package var reward: Double
    /// Whether the step ended the episode by `submit`.
    package var terminated: Bool
    /// Whether the step ended the episode at `max_steps`.
    package var truncated: Bool
    /// The info returned.
    package var info: JSONValue
    /// Seconds the server spent on the step.
    package var durationSeconds: Double
    /// When the step started.
    package var startedAt: Date

    enum CodingKeys: String, CodingKey {
        case environmentID = "environment_id"
        case taskID = "task_id"
        case episode, step, action, params, observation, reward, terminated, truncated, info
        case durationSeconds = "duration_seconds"
        case startedAt = "started_at"
    }
}

/// One episode in `environment.json`.
package struct EpisodeRecord: Sendable, Hashable, Codable {
    /// The episode, from 1.
    package var number: Int
    /// When it started.
    package var startedAt: Date
    /// The observation the agent got before its first action.
    package var initialObservation: JSONValue
    /// When it ended, if it did.
    package var endedAt: Date?
    /// `submit`, `max_steps`, `reset`, `deleted` or `expired`.
    package var endedBy: String?
    /// The end-of-episode grade (`info.final` of the last step), when the episode was graded.
    package var final: JSONValue?

    enum CodingKeys: String, CodingKey {
        case number
        case startedAt = "started_at"
        case initialObservation = "initial_observation"
        case endedAt = "ended_at"
        case endedBy = "ended_by"
        case final
    }
}

/// `environment.json`: the environment's task, options and episodes.
package struct EnvironmentRecord: Sendable, Hashable, Codable {
    /// The environment id.
    package var id: String
    /// The task.
    package var taskID: String
    /// The options it was created with.
    package var options: EnvironmentOptions
    /// When it was created.
    package var createdAt: Date
    /// Every episode so far.
    package var episodes: [EpisodeRecord]

    enum CodingKeys: String, CodingKey {
        case id
        case taskID = "task_id"
        case options
        case createdAt = "created_at"
        case episodes
    }
}

/// Writes an environment's records: `environment.json` (rewritten on every change) and
/// `steps.jsonl` (one line appended per step), both in the environment's folder.
struct EpisodeLog: Sendable {
    static let environmentFile = "environment.json"
    static let stepsFile = "steps.jsonl"

    let folder: URL

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    func write(_ record: EnvironmentRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(record).write(to: folder.appendingPathComponent(Self.environmentFile), options: .atomic)
    }

    func append(_ step: EpisodeStepRecord) throws {
        var line = try Self.encoder.encode(step)
        line.append(0x0A)
        let url = folder.appendingPathComponent(Self.stepsFile)
        if !FileManager.default.fileExists(atPath: url.path) { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
    }

    /// Converts an encodable value to ``JSONValue`` through the log's encoder.
    static func json(_ value: some Encodable) -> JSONValue {
        (try? encoder.encode(value)).flatMap { try? JSONValue.parse($0) } ?? .null
    }
}
