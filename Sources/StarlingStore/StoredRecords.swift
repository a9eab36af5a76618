import Foundation
import GRDB
import StarlingCore
import Crypto

// Row types that map the public records onto tables; kept apart so the public types stay plain.

struct StoredRun: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "run"
    var id: String
    var taskID: String
    var strategy: String
    var configJSON: String
    var status: String
    var startedAt: Date
    var finishedAt: Date?
    var priorSeconds: Double
    var uuid: String?

    init(_ run: RunRecord) {
        id = run.id; taskID = run.taskID; strategy = run.strategy; configJSON = run.configJSON
        status = run.status; startedAt = run.startedAt; finishedAt = run.finishedAt; priorSeconds = run.priorSeconds
        uuid = run.uuid
    }

    var record: RunRecord {
        RunRecord(id: id, taskID: taskID, strategy: strategy, configJSON: configJSON, status: status,
                  startedAt: startedAt, finishedAt: finishedAt, priorSeconds: priorSeconds, uuid: uuid)
    }
}

struct StoredNode: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "node"
    var id: Int
    var stepKey: String
    var parentID: Int?
    var stage: String
    var plan: String
    var code: String
    var status: String
    var harnessScore: Double?
    var selfReportedScore: Double?
    var error: String?
    var executionSeconds: Double?
    var createdAt: Date
    var origin: String

    init(_ entry: JournalNode) {
        let node = entry.node
        id = node.id; stepKey = entry.stepKey; parentID = node.parentID; stage = node.stage.rawValue
        plan = node.plan; code = node.code; status = node.status.rawValue; harnessScore = node.harnessScore
        selfReportedScore = node.selfReportedScore; error = node.error; executionSeconds = node.executionSeconds
        createdAt = node.createdAt; origin = node.origin.rawValue
    }

    var entry: JournalNode {
        JournalNode(stepKey: stepKey, node: Node(
            id: id, parentID: parentID, stage: NodeStage(rawValue: stage) ?? .draft, plan: plan, code: code,
            status: NodeStatus(rawValue: status) ?? .failed, harnessScore: harnessScore,
            selfReportedScore: selfReportedScore, error: error, executionSeconds: executionSeconds, createdAt: createdAt,
            origin: NodeOrigin(rawValue: origin) ?? .model))
    }
}

struct StoredCall: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "llmCall"
    var rowid: Int64?
    var role: String
    var model: String
    var stepKey: String
    var promptTokens: Int
    var completionTokens: Int
    var costUSD: Double
    var latencySeconds: Double
    var cacheHit: Bool
    var createdAt: Date
    /// The messages as JSON: `[{"role": …, "chunks": [key, …]}]`, each chunk's text in `textChunk`.
    var messages: String?
    var reply: String?
    /// ``LLMExchange/Sampling`` as JSON.
    var sampling: String?

    init(_ call: JournalLLMCall, messages: String?) {
        role = call.role; model = call.model; stepKey = call.stepKey; promptTokens = call.promptTokens
        completionTokens = call.completionTokens; costUSD = call.costUSD; latencySeconds = call.latencySeconds
        cacheHit = call.cacheHit; createdAt = call.createdAt
        self.messages = messages
        reply = call.exchange?.reply
        sampling = call.exchange.flatMap { try? JSONEncoder().encode($0.sampling) }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The public record, its messages rebuilt from the chunk texts.
    func record(chunks: [String: String]) -> JournalLLMCall {
        var call = JournalLLMCall(role: role, model: model, stepKey: stepKey, promptTokens: promptTokens, completionTokens: completionTokens,
                                  costUSD: costUSD, latencySeconds: latencySeconds, cacheHit: cacheHit, createdAt: createdAt)
        call.number = rowid.map(Int.init)
        if let messages, let reply, let stored = try? JSONDecoder().decode([TextChunks.StoredMessage].self, from: Data(messages.utf8)) {
            let settings = sampling.flatMap { try? JSONDecoder().decode(LLMExchange.Sampling.self, from: Data($0.utf8)) }
            call.exchange = LLMExchange(
                messages: stored.map { LLMExchange.Message(role: $0.role, content: $0.chunks.map { chunks[$0] ?? "" }.joined()) },
                reply: reply, temperature: settings?.temperature, seed: settings?.seed, maxTokens: settings?.maxTokens,
                responseFormat: settings?.responseFormat, finishReason: settings?.finishReason)
        }
        return call
    }
}

/// Message texts split into paragraphs that are stored once, keyed by their SHA-256: the system
/// prompt and the task context every call repeats take their space once per run.
enum TextChunks {
    /// A message as stored: its role and its paragraphs' keys.
    struct StoredMessage: Codable {
        var role: String
        var chunks: [String]
    }

    /// The text in paragraphs, each with the blank line that ends it; joined, they are the text.
    static func split(_ text: String) -> [String] {
        var pieces: [String] = []
        var rest = Substring(text)
        while let range = rest.range(of: "\n\n") {
            pieces.append(String(rest[..<range.upperBound]))
            rest = rest[range.upperBound...]
        }
        if !rest.isEmpty || pieces.isEmpty { pieces.append(String(rest)) }
        return pieces
    }

    /// A chunk's key: the first 24 hex digits of its SHA-256.
    static func key(_ chunk: String) -> String {
        SHA256.hash(data: Data(chunk.utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
    }
}

struct StoredEvent: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "event"
    var at: Date
    var kind: String
    var message: String

    init(_ event: EventRecord) { at = event.at; kind = event.kind; message = event.message }
    var record: EventRecord { EventRecord(at: at, kind: kind, message: message) }
}
