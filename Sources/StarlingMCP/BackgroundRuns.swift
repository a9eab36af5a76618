import Foundation
import Synchronization
import StarlingRunFolder
import StarlingRuntime
import StarlingStore

/// Starling's own runs started for an MCP client: each a `starling run` process of its own,
/// writing its run folder as any run does, so a run outlives a client that goes away and
/// `starling resume` continues one that was stopped.
package final class BackgroundRuns: Sendable {
    /// Where the runs' folders go.
    let folder: URL
    let executable: URL
    let tasksDir: String?
    private let started = Mutex<[String: Started]>([:])

    private struct Started: @unchecked Sendable {
        var process: ChildProcess
        var folder: URL
        var task: String
        var lowerIsBetter: Bool
        var startedAt: Date
    }

    init(folder: URL, executable: URL, tasksDir: String?) {
        self.folder = folder
        self.executable = executable
        self.tasksDir = tasksDir
    }

    /// What the client asks a run to be.
    package struct Request: Sendable {
        var task: String
        var time: String = "10m"
        var strategy: String?
        var llm: String?
    }

    /// Starts a run of a task whose metric is better when `lowerIsBetter`; returns its state.
    func start(_ request: Request, lowerIsBetter: Bool) throws -> RunState {
        guard request.task.range(of: #"^[A-Za-z0-9][A-Za-z0-9._-]*$"#, options: .regularExpression) != nil else {
            throw MCPSessionError("'\(request.task)' is not a task id (list_tasks names them)")
        }
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let id = "\(request.task)-\(stamp)-\(UUID().uuidString.prefix(4).lowercased())"
        let runFolder = folder.appendingPathComponent(id)
        try FileManager.default.createDirectory(at: runFolder, withIntermediateDirectories: true)
        var arguments = ["run", request.task, "--time", request.time, "--out", runFolder.path]
        if let strategy = request.strategy { arguments += ["--strategy", strategy] }
        if let llm = request.llm { arguments += ["--llm", llm] }
        if let tasksDir { arguments += ["--tasks-dir", tasksDir] }
        let process = try ChildProcess(executable, arguments, output: .file(runFolder.appendingPathComponent("console.log")))
        started.withLock { $0[id] = Started(process: process, folder: runFolder, task: request.task, lowerIsBetter: lowerIsBetter, startedAt: Date()) }
        return state(of: id)!
    }

    /// A run's state as the client sees it.
    package struct RunState: Codable, Sendable {
        var runID: String
        var task: String
        var folder: String
        /// `running`, `finished`, `stopped` or `failed`.
        var status: String
        var elapsedSeconds: Double?
        var nodes: Int
        /// The best dev score among its solutions so far.
        var bestDevScore: Double?
        /// The last things it said.
        var recentEvents: [String]
        /// Once it ended: its final score, gap closed and why it stopped.
        var finalScore: Double?, gapClosed: Double?, stopReason: String?, validSubmission: Bool?
        /// The end of its console, when it failed before writing a summary.
        var consoleTail: String?
    }

    /// The ids of the runs this session started.
    var ids: [String] { started.withLock { $0.keys.sorted() } }

    /// The state of run `id`; `nil` when this session did not start it.
    func state(of id: String) -> RunState? {
        guard let run = started.withLock({ $0[id] }) else { return nil }
        let layout = RunLayout(run.folder)
        var state = RunState(runID: id, task: run.task, folder: run.folder.path, status: run.process.isRunning ? "running" : "failed",
                             elapsedSeconds: Date().timeIntervalSince(run.startedAt), nodes: 0, recentEvents: [])
        if FileManager.default.fileExists(atPath: layout.journal.path), let journal = try? Journal(path: layout.journal) {
            let nodes = ((try? journal.nodes()) ?? []).map(\.node)
            state.nodes = nodes.count
            let scores = nodes.filter { $0.status == .succeeded && $0.stage != .ablation }.compactMap(\.harnessScore)
            state.bestDevScore = run.lowerIsBetter ? scores.min() : scores.max()
            state.recentEvents = ((try? journal.events()) ?? []).suffix(8).map { "\($0.kind): \($0.message.prefix(300))" }
        }
        if let summary = try? RunLayout.readJSON(RunSummary.self, from: layout.summary) {
            state.status = "finished"
            state.finalScore = summary.finalScore
            state.gapClosed = summary.gapClosed
            state.stopReason = summary.stopReason
            state.validSubmission = summary.validSubmission
            state.elapsedSeconds = summary.elapsedSeconds
        } else if !run.process.isRunning {
            let console = (try? String(contentsOf: run.folder.appendingPathComponent("console.log"), encoding: .utf8)) ?? ""
            // A run stopped as Ctrl-C stops it exits 130 and can be resumed.
            state.status = run.process.waitUntilExit() == 130 ? "stopped" : "failed"
            state.consoleTail = String(console.suffix(1500))
        }
        return state
    }

    /// Stops run `id` as Ctrl-C would: it writes its report and keeps its journal for `starling resume`.
    func stop(_ id: String) async -> RunState? {
        guard let run = started.withLock({ $0[id] }) else { return nil }
        run.process.interrupt()
        for _ in 0..<300 where run.process.isRunning {
            try? await Task.sleep(for: .milliseconds(100))
        }
        if run.process.isRunning { run.process.kill() }
        return state(of: id)
    }

    /// Stops every run still going (the server is shutting down).
    func stopAll() async {
        for id in ids { _ = await stop(id) }
    }
}
