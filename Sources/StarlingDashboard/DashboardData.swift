import Foundation
import Synchronization
import StarlingBench
import StarlingCore
import StarlingReport
import StarlingRunFolder
import StarlingStore

/// What the dashboard reads from run folders: which runs there are under its folder, a run's
/// state as it works, a node's whole record, and the diff of two nodes.
package struct DashboardData: Sendable {
    /// The folder served: a run folder, or a folder with run folders below it (a bench's `runs/`).
    package let root: URL
    /// Where the tasks are, for the direction and scores of runs that have not ended.
    package let tasks: TaskStore
    /// Each run folder as last read, with the signature of its files then: a poll that finds
    /// the files unchanged does not read the journal again.
    private let cache = Cache()

    final class Cache: Sendable {
        let entries = Mutex<[String: (signature: [Double], run: RunFolder)]>([:])
    }

    package init(root: URL, tasks: TaskStore) {
        self.root = root.standardizedFileURL
        self.tasks = tasks
    }

    /// Run folder `folder`, read again only when its journal, summary or activity changed.
    func read(_ folder: URL) throws -> RunFolder {
        let layout = RunLayout(folder)
        let signature = [layout.journal, URL(fileURLWithPath: layout.journal.path + "-wal"), layout.summary, layout.live].flatMap { file -> [Double] in
            let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
            return [(attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0, Double((attributes?[.size] as? Int) ?? -1)]
        }
        if let entry = cache.entries.withLock({ $0[folder.path] }), entry.signature == signature { return entry.run }
        let run = try RunFolder(folder: folder, tasks: tasks)
        cache.entries.withLock { $0[folder.path] = (signature, run) }
        return run
    }

    /// One run in the list.
    package struct RunLine: Codable, Sendable {
        /// The run's path below the root (`.` when the root is the run).
        var id: String
        var task: String?
        var strategy: String?
        var status: String
        var nodes: Int
        var finalScore: Double?
        var gapClosed: Double?
        var modified: Date
    }

    /// Every run folder at most four levels below the root (the root itself when it is one), newest first.
    package func runs() -> [RunLine] {
        var found: [URL] = []
        func walk(_ folder: URL, depth: Int) {
            if RunLayout(folder).holdsRun { found.append(folder); return }
            guard depth < 4, let children = try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.isDirectoryKey]) else { return }
            for child in children where (try? child.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true && !child.lastPathComponent.hasPrefix(".") {
                walk(child, depth: depth + 1)
            }
        }
        walk(root, depth: 0)
        return found.compactMap(line).sorted { $0.modified > $1.modified }
    }

    func line(_ folder: URL) -> RunLine? {
        let layout = RunLayout(folder)
        let modified = (try? FileManager.default.attributesOfItem(atPath: layout.journal.path)[.modificationDate] as? Date) ?? Date.distantPast
        let summary = try? RunLayout.readJSON(RunSummary.self, from: layout.summary)
        let journal = try? Journal(path: layout.journal)
        let record = try? journal?.run()
        return RunLine(id: id(of: folder), task: record?.taskID, strategy: record?.strategy,
                       status: summary != nil ? "finished" : (record?.status ?? "running"),
                       nodes: (try? journal?.nodes().count) ?? 0, finalScore: summary?.finalScore, gapClosed: summary?.gapClosed,
                       modified: modified)
    }

    func id(of folder: URL) -> String {
        let path = folder.standardizedFileURL.path
        return path == root.path ? "." : String(path.dropFirst(root.path.count + 1))
    }

    /// The run folder named `id`, refused when it is not a run below the root.
    package func folder(_ id: String) throws -> URL {
        let folder = (id == "." ? root : root.appendingPathComponent(id)).standardizedFileURL
        guard folder.path == root.path || folder.path.hasPrefix(root.path + "/"), RunLayout(folder).holdsRun else {
            throw DashboardError(status: 404, "no run '\(id)' under \(root.path)")
        }
        return folder
    }

    /// A run's state: its report's sections, its nodes in brief, and what it waits for now.
    package struct RunState: Codable, Sendable {
        var run: String
        var title: String
        /// `running`, `finished` or `stopped` (interrupted, resumable).
        var status: String
        var nodes: [NodeLine]
        /// The report's sections by element id (see `RunReport.livePieces`).
        var pieces: [String: String]
        /// What the run waits for: scripts running, model calls in flight.
        var waiting: [String]
        /// The last answered model call's speed.
        var lastCall: String?
        var elapsedSeconds: Double?
    }

    /// A node in brief.
    package struct NodeLine: Codable, Sendable {
        var id: Int
        var parent: Int?
        var stage: String
        var status: String
        var score: Double?
    }

    /// The state of run `id` now.
    package func state(_ id: String) throws -> RunState {
        let folder = try folder(id)
        let run = try read(folder)
        let report = RunReport(run: run)
        let live = LiveActivity.read(RunLayout(folder))
        let now = Date()
        var waiting = run.nodes.filter { $0.node.status == .pending }.map { entry in
            "script of node \(entry.node.id) (\(entry.stepKey)) running for \(Int(now.timeIntervalSince(entry.node.createdAt))) s"
        }
        waiting += live.calls.map { call in
            "model (\(call.role), \(call.model)) for \(call.step): \(Int(now.timeIntervalSince(call.started))) s so far, prompt of \(call.promptCharacters) characters"
                + (call.maxTokens.map { ", reply of at most \($0) tokens" } ?? "")
        }
        let answered = run.calls.last { !$0.cacheHit && $0.latencySeconds > 0 }
        let lastCall = answered.map { call in
            String(format: "last model reply: %d tokens in %.1f s (%.1f tokens/s) for %@", call.completionTokens, call.latencySeconds,
                   Double(call.completionTokens) / call.latencySeconds, call.stepKey)
        }
        let status = run.summary != nil ? "finished" : (run.run?.status == "running" && Self.isRecent(folder) ? "running" : "stopped")
        return RunState(
            run: id, title: run.run.map { "\($0.taskID) · \($0.strategy)" } ?? folder.lastPathComponent, status: status,
            nodes: run.nodes.map { NodeLine(id: $0.node.id, parent: $0.node.parentID, stage: $0.node.stage.rawValue, status: $0.node.status.rawValue,
                                            score: $0.node.harnessScore) },
            pieces: report.livePieces, waiting: waiting, lastCall: lastCall,
            elapsedSeconds: run.summary?.elapsedSeconds ?? run.recordedSeconds)
    }

    /// Whether the run's journal changed in the last ten minutes: a journal marked running that
    /// has been still longer than that belongs to a run that was stopped.
    static func isRecent(_ folder: URL) -> Bool {
        let layout = RunLayout(folder)
        let files = [layout.journal, URL(fileURLWithPath: layout.journal.path + "-wal"), layout.live]
        let latest = files.compactMap { try? FileManager.default.attributesOfItem(atPath: $0.path)[.modificationDate] as? Date }.max()
        return latest.map { Date().timeIntervalSince($0) < 600 } ?? false
    }

    /// A node's whole record.
    package struct NodeDetail: Codable, Sendable {
        var id: Int
        var parent: Int?
        var step: String
        var stage: String
        var status: String
        var origin: String
        var score: Double?
        var selfReportedScore: Double?
        var seconds: Double?
        var plan: String
        var error: String?
        var code: String
        /// The end of its `run.log`.
        var log: String
        /// The model's exchanges for its step: the prompt as sent and the reply.
        var exchanges: [Exchange]
        /// The diff from its parent's code, as HTML; `nil` without a parent.
        var diffToParent: String?
    }

    /// One exchange with the model.
    package struct Exchange: Codable, Sendable {
        var role: String
        var prompt: String
        var reply: String
        var tokens: Int
        var seconds: Double
    }

    /// Node `nodeID` of run `id`.
    package func node(_ id: String, _ nodeID: Int) throws -> NodeDetail {
        let folder = try folder(id)
        let run = try read(folder)
        guard let entry = run.nodes.first(where: { $0.node.id == nodeID }) else {
            throw DashboardError(status: 404, "run '\(id)' has no node \(nodeID)")
        }
        let node = entry.node
        let log = (try? String(contentsOf: RunLayout(folder).node(nodeID).log, encoding: .utf8)).map { String($0.suffix(20_000)) } ?? ""
        let exchanges = run.calls.filter { $0.stepKey == entry.stepKey }.compactMap { call -> Exchange? in
            guard let exchange = call.exchange else { return nil }
            return Exchange(role: call.role, prompt: exchange.messages.map { "[\($0.role)]\n\($0.content)" }.joined(separator: "\n\n"),
                            reply: exchange.reply, tokens: call.promptTokens + call.completionTokens, seconds: call.latencySeconds)
        }
        let parent = node.parentID.flatMap { parentID in run.nodes.first { $0.node.id == parentID }?.node }
        return NodeDetail(id: node.id, parent: node.parentID, step: entry.stepKey, stage: node.stage.rawValue, status: node.status.rawValue,
                          origin: node.origin.rawValue, score: node.harnessScore, selfReportedScore: node.selfReportedScore,
                          seconds: node.executionSeconds, plan: node.plan, error: node.error, code: node.code, log: log, exchanges: exchanges,
                          diffToParent: parent.map { RunReport.diffTable(LineDiff(old: $0.code, new: node.code)) })
    }

    /// The diff between two nodes' scripts (of one run or of two), as HTML.
    package func diff(_ a: (run: String, node: Int), _ b: (run: String, node: Int)) throws -> String {
        let old = try node(a.run, a.node), new = try node(b.run, b.node)
        let diff = LineDiff(old: old.code, new: new.code)
        let heading = "<p>node \(old.id) → node \(new.id): <span class=\"good\">+\(diff.addedCount)</span> <span class=\"bad\">−\(diff.removedCount)</span> lines</p>"
        return heading + (diff.hunks(context: 3).isEmpty ? "<p>The two scripts are the same.</p>" : RunReport.diffTable(diff))
    }
}

/// A dashboard request that cannot be answered, with its HTTP status.
package struct DashboardError: Error, CustomStringConvertible {
    package var status: Int
    package var message: String
    package init(status: Int, _ message: String) {
        self.status = status
        self.message = message
    }
    package var description: String { message }
}
