import Foundation
import GRDB
import StarlingCore

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

    init(_ run: RunRecord) {
        id = run.id; taskID = run.taskID; strategy = run.strategy; configJSON = run.configJSON
        status = run.status; startedAt = run.startedAt; finishedAt = run.finishedAt; priorSeconds = run.priorSeconds
    }

    var record: RunRecord {
        RunRecord(id: id, taskID: taskID, strategy: strategy, configJSON: configJSON, status: status,
                  startedAt: startedAt, finishedAt: finishedAt, priorSeconds: priorSeconds)
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
    var role: String
    var model: String
    var stepKey: String
    var promptTokens: Int
    var completionTokens: Int
    var costUSD: Double
    var latencySeconds: Double
    var cacheHit: Bool
    var createdAt: Date

    init(_ call: JournalLLMCall) {
        role = call.role; model = call.model; stepKey = call.stepKey; promptTokens = call.promptTokens
        completionTokens = call.completionTokens; costUSD = call.costUSD; latencySeconds = call.latencySeconds
        cacheHit = call.cacheHit; createdAt = call.createdAt
    }

    var record: JournalLLMCall {
        JournalLLMCall(role: role, model: model, stepKey: stepKey, promptTokens: promptTokens, completionTokens: completionTokens,
                      costUSD: costUSD, latencySeconds: latencySeconds, cacheHit: cacheHit, createdAt: createdAt)
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
