import Foundation
import GRDB
import StarlingCore

/// A run's durable record in `journal.sqlite`: the run, its nodes, every LLM call, events and
/// small artifacts (plans, ablation summaries). Every write is committed before it returns, so a
/// crash or `kill -9` loses at most the step in progress, and `resume` redoes only that step.
package final class Journal: Sendable {
    private let database: DatabaseQueue
    /// The journal file.
    package let path: URL

    /// Opens (creating when missing) the journal at `path`.
    ///
    /// - Parameter path: The SQLite file.
    /// - Throws: ``JournalError`` when the file cannot be opened or migrated.
    package init(path: URL) throws {
        self.path = path
        do {
            try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            database = try DatabaseQueue(path: path.path, configuration: configuration)
            try Self.migrator.migrate(database)
        } catch {
            throw JournalError(message: "cannot open the journal \(path.path): \(error)")
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: createTables)
        // Who wrote each node's script; journals from before read as model-written.
        migrator.registerMigration("v2-node-origin") { db in
            try db.alter(table: "node") { t in
                t.add(column: "origin", .text).notNull().defaults(to: NodeOrigin.model.rawValue)
            }
        }
        // What each LLM call sent and got back, its paragraphs stored once; a UUID per run.
        migrator.registerMigration("v3-exchanges") { db in
            try db.alter(table: "llmCall") { t in
                t.add(column: "messages", .text)
                t.add(column: "reply", .text)
                t.add(column: "sampling", .text)
            }
            try db.create(table: "textChunk") { t in
                t.primaryKey("key", .text)
                t.column("text", .text).notNull()
            }
            try db.alter(table: "run") { t in t.add(column: "uuid", .text) }
        }
        return migrator
    }

    /// The first schema: runs, nodes, LLM calls, events and artifacts.
    private static func createTables(_ db: Database) throws {
        try db.create(table: "run") { t in
            t.primaryKey("id", .text)
            t.column("taskID", .text).notNull()
            t.column("strategy", .text).notNull()
            t.column("configJSON", .text).notNull()
            t.column("status", .text).notNull()
            t.column("startedAt", .datetime).notNull()
            t.column("finishedAt", .datetime)
            t.column("priorSeconds", .double).notNull().defaults(to: 0)
        }
        try db.create(table: "node") { t in
            t.primaryKey("id", .integer)
            t.column("stepKey", .text).notNull().unique()
            t.column("parentID", .integer)
            t.column("stage", .text).notNull()
            t.column("plan", .text).notNull()
            t.column("code", .text).notNull()
            t.column("status", .text).notNull()
            t.column("harnessScore", .double)
            t.column("selfReportedScore", .double)
            t.column("error", .text)
            t.column("executionSeconds", .double)
            t.column("createdAt", .datetime).notNull()
        }
        try db.create(table: "llmCall") { t in
            t.autoIncrementedPrimaryKey("rowid")
            t.column("role", .text).notNull()
            t.column("model", .text).notNull()
            t.column("stepKey", .text).notNull()
            t.column("promptTokens", .integer).notNull()
            t.column("completionTokens", .integer).notNull()
            t.column("costUSD", .double).notNull()
            t.column("latencySeconds", .double).notNull()
            t.column("cacheHit", .boolean).notNull()
            t.column("createdAt", .datetime).notNull()
        }
        try db.create(table: "event") { t in
            t.autoIncrementedPrimaryKey("rowid")
            t.column("at", .datetime).notNull()
            t.column("kind", .text).notNull()
            t.column("message", .text).notNull()
        }
        try db.create(table: "artifact") { t in
            t.primaryKey("key", .text)
            t.column("value", .text).notNull()
            t.column("createdAt", .datetime).notNull()
        }
    }

    // MARK: Run

    /// Records the run, or returns the one already recorded (on resume).
    ///
    /// - Parameter run: The run to record when none exists.
    /// - Returns: The stored run.
    package func startRun(_ run: RunRecord) throws -> RunRecord {
        try write { db in
            if let existing = try StoredRun.fetchOne(db) { return existing.record }
            var run = run
            if run.uuid == nil { run.uuid = UUID().uuidString.lowercased() }
            try StoredRun(run).insert(db)
            return run
        }
    }

    /// The run, if one was started.
    package func run() throws -> RunRecord? {
        try read { db in try StoredRun.fetchOne(db)?.record }
    }

    /// Marks the run as running again after a resume, keeping the time already spent.
    ///
    /// - Parameter priorSeconds: Seconds spent in earlier sessions.
    package func markResumed(priorSeconds: Double) throws {
        try write { db in
            try db.execute(sql: "UPDATE run SET status = 'running', finishedAt = NULL, priorSeconds = ?", arguments: [priorSeconds])
        }
    }

    /// Marks the run finished or failed.
    ///
    /// - Parameters:
    ///   - status: `finished` or `failed`.
    ///   - elapsedSeconds: Total seconds spent, all sessions included.
    package func finishRun(status: String, elapsedSeconds: Double) throws {
        try write { db in
            try db.execute(sql: "UPDATE run SET status = ?, finishedAt = ?, priorSeconds = ?", arguments: [status, Date(), elapsedSeconds])
        }
    }

    // MARK: Nodes

    /// The next free node id.
    package func nextNodeID() throws -> Int {
        try read { db in (try Int.fetchOne(db, sql: "SELECT MAX(id) FROM node") ?? 0) + 1 }
    }

    /// Allocates the next node id and stores the node `make` builds, in one transaction, so
    /// concurrent branches never get the same id.
    ///
    /// - Parameters:
    ///   - stepKey: The step that makes the node.
    ///   - make: Builds the node from its id.
    /// - Returns: The stored node.
    package func createNode(stepKey: String, _ make: @Sendable (Int) -> Node) throws -> Node {
        try write { db in
            let id = (try Int.fetchOne(db, sql: "SELECT MAX(id) FROM node") ?? 0) + 1
            let node = make(id)
            try StoredNode(JournalNode(stepKey: stepKey, node: node)).insert(db)
            return node
        }
    }

    /// Stores a node (insert or update by id).
    ///
    /// - Parameter entry: The node and the key of the step that made it.
    package func save(_ entry: JournalNode) throws {
        try write { db in try StoredNode(entry).save(db) }
    }

    /// The node a step made, if that step finished in this or an earlier session.
    ///
    /// - Parameter stepKey: The step's key.
    /// - Returns: The node, or `nil` when the step has not run.
    package func node(forStep stepKey: String) throws -> JournalNode? {
        try read { db in try StoredNode.filter(Column("stepKey") == stepKey).fetchOne(db)?.entry }
    }

    /// All nodes in id order.
    package func nodes() throws -> [JournalNode] {
        try read { db in try StoredNode.order(Column("id")).fetchAll(db).map(\.entry) }
    }

    // MARK: LLM calls, events, artifacts

    /// Records an LLM call, with its exchange when it has one (paragraphs already stored are
    /// referenced, not stored again).
    package func record(_ call: JournalLLMCall) throws {
        try write { db in
            var messages: String?
            if let exchange = call.exchange {
                var stored: [TextChunks.StoredMessage] = []
                for message in exchange.messages {
                    var keys: [String] = []
                    for chunk in TextChunks.split(message.content) {
                        let key = TextChunks.key(chunk)
                        try db.execute(sql: "INSERT OR IGNORE INTO textChunk (key, text) VALUES (?, ?)", arguments: [key, chunk])
                        keys.append(key)
                    }
                    stored.append(TextChunks.StoredMessage(role: message.role, chunks: keys))
                }
                messages = String(decoding: try JSONEncoder().encode(stored), as: UTF8.self)
            }
            try StoredCall(call, messages: messages).insert(db)
        }
    }

    /// All LLM calls in order, with their exchanges where they were kept.
    ///
    /// - Parameter exchanges: Whether to rebuild each exchange's messages (`false` for counting:
    ///   the calls come back without their exchanges, and much faster).
    package func llmCalls(exchanges: Bool = true) throws -> [JournalLLMCall] {
        try read { db in
            var calls = try StoredCall.order(Column("rowid")).fetchAll(db)
            if !exchanges {
                for index in calls.indices { calls[index].messages = nil }
            }
            var chunks: [String: String] = [:]
            if calls.contains(where: { $0.messages != nil }) {
                for row in try Row.fetchAll(db, sql: "SELECT key, text FROM textChunk") { chunks[row["key"]] = row["text"] }
            }
            return calls.map { $0.record(chunks: chunks) }
        }
    }

    /// How compactly the exchanges are kept: the characters of every message as sent, and the
    /// characters stored for them (each distinct paragraph once).
    package func exchangeStorage() throws -> (sentCharacters: Int, storedCharacters: Int) {
        try read { db in
            var lengths: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, LENGTH(text) AS n FROM textChunk") { lengths[row["key"]] = row["n"] }
            var sent = 0
            for text in try String.fetchAll(db, sql: "SELECT messages FROM llmCall WHERE messages IS NOT NULL") {
                guard let stored = try? JSONDecoder().decode([TextChunks.StoredMessage].self, from: Data(text.utf8)) else { continue }
                sent += stored.reduce(0) { $0 + $1.chunks.reduce(0) { $0 + (lengths[$1] ?? 0) } }
            }
            return (sent, lengths.values.reduce(0, +))
        }
    }

    /// Token, cost and latency totals over all calls.
    package func llmTotals() throws -> LLMTotals {
        try llmCalls(exchanges: false).reduce(into: LLMTotals()) { totals, call in
            totals.calls += 1
            totals.cacheHits += call.cacheHit ? 1 : 0
            totals.promptTokens += call.promptTokens
            totals.completionTokens += call.completionTokens
            totals.costUSD += call.costUSD
            totals.latencySeconds += call.latencySeconds
        }
    }

    /// Appends an event.
    package func record(_ event: EventRecord) throws {
        try write { db in try StoredEvent(event).insert(db) }
    }

    /// All events in order.
    package func events() throws -> [EventRecord] {
        try read { db in try StoredEvent.order(Column("rowid")).fetchAll(db).map(\.record) }
    }

    /// Stores a small artifact (a plan, a summary) as JSON under a step key.
    ///
    /// - Parameters:
    ///   - value: The value.
    ///   - key: Its key.
    package func setArtifact<T: Encodable>(_ value: T, forKey key: String) throws {
        let text = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO artifact (key, value, createdAt) VALUES (?, ?, ?)", arguments: [key, text, Date()])
        }
    }

    /// The artifact stored under `key`, if any.
    package func artifact<T: Decodable>(_ type: T.Type, forKey key: String) throws -> T? {
        let text = try read { db in try String.fetchOne(db, sql: "SELECT value FROM artifact WHERE key = ?", arguments: [key]) }
        guard let text else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    /// Keys of all artifacts whose key starts with `prefix`, in insertion order.
    package func artifactKeys(prefix: String) throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT key FROM artifact WHERE key LIKE ? ORDER BY createdAt, key", arguments: [prefix + "%"])
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try database.read(body) } catch { throw JournalError(message: "reading \(path.path): \(error)") }
    }

    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try database.write(body) } catch { throw JournalError(message: "writing \(path.path): \(error)") }
    }
}

/// A journal that could not be read or written.
package struct JournalError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, with the file.
    package var message: String
    package var description: String { message }
}
