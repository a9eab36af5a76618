import Foundation
import StarlingCore

/// One agent run as the journal keeps it.
package struct RunRecord: Sendable, Hashable, Codable {
    /// The run's identifier (the run folder's name).
    package var id: String
    /// The task it works on.
    package var taskID: String
    /// The search strategy, e.g. `"mle-star"`.
    package var strategy: String
    /// The run's settings as JSON, so `resume` continues with the same ones.
    package var configJSON: String
    /// `running`, `finished` or `failed`.
    package var status: String
    /// When it started.
    package var startedAt: Date
    /// When it ended, if it did.
    package var finishedAt: Date?
    /// Seconds spent in earlier sessions of this run (before the latest resume).
    package var priorSeconds: Double
    /// A UUID drawn when the run started: unlike ``id`` (every bench cell's folder is
    /// `seed-1`), unique across machines and folders. `nil` in journals from before it existed.
    package var uuid: String?

    /// Creates a run record.
    package init(id: String, taskID: String, strategy: String, configJSON: String, status: String = "running",
                startedAt: Date = Date(), finishedAt: Date? = nil, priorSeconds: Double = 0, uuid: String? = nil) {
        self.uuid = uuid
        self.id = id
        self.taskID = taskID
        self.strategy = strategy
        self.configJSON = configJSON
        self.status = status
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.priorSeconds = priorSeconds
    }
}

/// A node with the key of the step that made it. The key makes steps idempotent: a resumed run
/// asks for the node of a step before doing the step again.
package struct JournalNode: Sendable, Hashable, Codable {
    /// The step that produced the node, e.g. `"candidate/2"` or `"refine/1/3"`.
    package var stepKey: String
    /// The node.
    package var node: Node

    /// Creates a journal node.
    package init(stepKey: String, node: Node) {
        self.stepKey = stepKey
        self.node = node
    }
}

/// One LLM call, for cost accounting and reports. Never holds keys.
package struct JournalLLMCall: Sendable, Hashable, Codable {
    /// `coder`, `planner` or `reviewer`.
    package var role: String
    /// `provider:model`.
    package var model: String
    /// The step it served.
    package var stepKey: String
    /// Prompt tokens.
    package var promptTokens: Int
    /// Completion tokens.
    package var completionTokens: Int
    /// Cost in US dollars from the price table.
    package var costUSD: Double
    /// Seconds from request to reply.
    package var latencySeconds: Double
    /// Whether the reply came from the cache.
    package var cacheHit: Bool
    /// When it was made.
    package var createdAt: Date
    /// What was sent and answered; `nil` for calls journalled before exchanges were kept, and
    /// for peers whose calls Starling only counts.
    package var exchange: LLMExchange?
    /// The call's number in the journal (from 1, in call order), once stored.
    package var number: Int?

    /// Creates a call record.
    package init(role: String, model: String, stepKey: String, promptTokens: Int, completionTokens: Int,
                costUSD: Double, latencySeconds: Double, cacheHit: Bool, createdAt: Date = Date(), exchange: LLMExchange? = nil) {
        self.exchange = exchange
        self.role = role
        self.model = model
        self.stepKey = stepKey
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.costUSD = costUSD
        self.latencySeconds = latencySeconds
        self.cacheHit = cacheHit
        self.createdAt = createdAt
    }
}

/// Something that happened during a run, for the progress log and reports.
package struct EventRecord: Sendable, Hashable, Codable {
    /// When.
    package var at: Date
    /// A short category: `stage`, `node`, `warning`, `leak`, `budget`, ...
    package var kind: String
    /// A sentence for people.
    package var message: String

    /// Creates an event.
    package init(at: Date = Date(), kind: String, message: String) {
        self.at = at
        self.kind = kind
        self.message = message
    }
}

/// Token, cost and call totals over a run.
package struct LLMTotals: Sendable, Hashable, Codable {
    /// Number of calls.
    package var calls: Int = 0
    /// Calls answered from the cache.
    package var cacheHits: Int = 0
    /// Prompt tokens.
    package var promptTokens: Int = 0
    /// Completion tokens.
    package var completionTokens: Int = 0
    /// US dollars.
    package var costUSD: Double = 0
    /// Seconds waiting for replies.
    package var latencySeconds: Double = 0

    /// Creates empty totals.
    package init() {}
}

/// One LLM exchange as it happened: the messages exactly as sent, the reply text, and the
/// sampling settings. The journal stores the messages in shared paragraphs, so the system prompt
/// and task context that every call repeats are kept once.
package struct LLMExchange: Sendable, Hashable, Codable {
    /// One message of the conversation.
    package struct Message: Sendable, Hashable, Codable {
        /// `system`, `user` or `assistant`.
        package var role: String
        /// The text.
        package var content: String

        /// Creates a message.
        package init(role: String, content: String) {
            self.role = role
            self.content = content
        }
    }

    /// The messages sent, in order.
    package var messages: [Message]
    /// The reply's text.
    package var reply: String
    /// Sampling temperature, when set.
    package var temperature: Double?
    /// Sampling seed, when set.
    package var seed: Int?
    /// The reply's token limit.
    package var maxTokens: Int?
    /// `text`, `json_object` or `json_schema:<name>`.
    package var responseFormat: String?
    /// Why generation stopped (`stop`, `length`), when the provider said.
    package var finishReason: String?

    /// Creates an exchange.
    package init(messages: [Message], reply: String, temperature: Double? = nil, seed: Int? = nil, maxTokens: Int? = nil,
                responseFormat: String? = nil, finishReason: String? = nil) {
        self.messages = messages
        self.reply = reply
        self.temperature = temperature
        self.seed = seed
        self.maxTokens = maxTokens
        self.responseFormat = responseFormat
        self.finishReason = finishReason
    }

    /// The sampling settings alone, as stored beside the call.
    struct Sampling: Codable {
        var temperature: Double?, seed: Int?, maxTokens: Int?, responseFormat: String?, finishReason: String?
    }

    var sampling: Sampling {
        Sampling(temperature: temperature, seed: seed, maxTokens: maxTokens, responseFormat: responseFormat, finishReason: finishReason)
    }
}
