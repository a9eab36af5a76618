import Foundation
import StarlingRuntime
import StarlingRunFolder

/// Runs each bench cell as a job on a Ray cluster, through the Jobs REST API.
///
/// The job runs ``CellEntrypoint`` on whichever node has the cell's cores and memory free. The
/// cell's record (`cell-job.json`, ``CellJob``) lists every submission, so a bench started again
/// reattaches to a job that is still running. A job whose node died, that the cluster lost, or
/// that someone else stopped is submitted again (at most ``retries`` times) and the new job
/// resumes the cell's run from its journal; a job whose run failed is a failed cell with the
/// reason from its output. Cancelling the bench (Ctrl-C) stops the cell's job.
package struct RayCellRunner: BenchCellRunner {
    /// The cluster.
    package var client: RayJobsClient
    /// What each job runs.
    package var entrypoint: CellEntrypoint
    /// Cores reserved per cell.
    package var cpus: Double
    /// Memory reserved per cell, in bytes.
    package var memoryBytes: Int64?
    /// Whether cells run in the worker's own folder and come back in the job's output.
    package var collect: Bool
    /// How many times a cell is resubmitted after its node was lost.
    package var retries: Int
    /// Environment variables set for every job.
    package var environment: [String: String]
    /// Seconds between status requests.
    package var pollSeconds: Double
    /// Progress lines.
    package var log: @Sendable (String) -> Void

    /// Creates a runner.
    package init(client: RayJobsClient, entrypoint: CellEntrypoint, cpus: Double = 2, memoryBytes: Int64? = nil,
                collect: Bool = false, retries: Int = 2, environment: [String: String] = [:], pollSeconds: Double = 1,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.client = client
        self.entrypoint = entrypoint
        self.cpus = cpus
        self.memoryBytes = memoryBytes
        self.collect = collect
        self.retries = retries
        self.environment = environment
        self.pollSeconds = pollSeconds
        self.log = log
    }

    /// Error types that mean the job's node or supervisor went away, not that the run failed.
    static let lostJobErrors: Set<String> = [
        "JOB_SUPERVISOR_ACTOR_DIED", "JOB_SUPERVISOR_ACTOR_START_TIMEOUT", "JOB_SUPERVISOR_ACTOR_START_FAILURE",
        "JOB_SUPERVISOR_ACTOR_UNKNOWN_FAILURE",
    ]

    /// How an attempt ended for the bench.
    enum Verdict: Equatable {
        /// The run ended (with or without a submission): judge the folder.
        case ran
        /// The job was lost; submit it again.
        case retry(String)
        /// The run failed.
        case failed(String)

        var outcome: String {
            switch self {
            case .ran: "ran"
            case .retry(let why): "retry: " + why
            case .failed(let why): "failed: " + why
            }
        }
    }

    package func run(_ cell: BenchCell, task: BenchTask, in folder: URL) async throws {
        let layout = RunLayout(folder)
        var record = (try? RunLayout.readJSON(CellJob.self, from: layout.cellJob))
            ?? CellJob(executor: "ray", address: client.address.absoluteString, collect: collect)
        while true {
            let id: String
            if let current = record.current, current.outcome == nil {
                // A job an earlier bench process submitted and did not see end.
                id = current.submissionID
                log("  \(cell.label): reattached to Ray job \(id)")
            } else {
                let lost = record.attempts.filter { $0.outcome?.hasPrefix("retry") == true }
                if lost.count > retries {
                    throw BenchCellError("Ray lost the cell's job \(lost.count) times (limit --ray-retries \(retries)); last: "
                                         + (lost.last?.outcome ?? "?"))
                }
                id = try await submit(cell, folder: folder, record: &record)
            }
            let info = try await wait(for: id, cell: cell, record: &record, layout: layout)
            var verdict: Verdict
            do {
                verdict = try await judge(info, id: id, layout: layout, record: record)
            } catch let error as RayError {
                verdict = .failed(error.description)
            }
            record.attempts[record.attempts.count - 1].outcome = verdict.outcome
            record.attempts[record.attempts.count - 1].endedAt = Date()
            try? RunLayout.writeJSON(record, to: layout.cellJob)
            switch verdict {
            case .ran:
                return
            case .retry(let why):
                log("  \(cell.label): \(why); submitting it again to resume from its journal")
            case .failed(let why):
                throw BenchCellError(why)
            }
        }
    }

    /// Submits a new job for the cell and records it.
    func submit(_ cell: BenchCell, folder: URL, record: inout CellJob) async throws -> String {
        let slug = "\(cell.task)-\(cell.strategy)-s\(cell.seed)".lowercased()
            .map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        let id = "starling-\(slug)-\(UUID().uuidString.prefix(8).lowercased())"
        if !collect {
            // The worker checks for this file: a node that cannot see it does not share the bench folder's storage.
            try Data(id.utf8).write(to: RunLayout(folder).cellToken)
        }
        // The node's folder for the cell is named after the cell and its bench folder, not the job,
        // so a job submitted again on the same node resumes what the lost one left there.
        let key = collect ? "\(slug)-\(Checksum.sha256(of: Data(folder.standardizedFileURL.path.utf8)).prefix(8))" : nil
        let submission = RayJobSubmission(
            entrypoint: entrypoint.command(for: cell, folder: folder.standardizedFileURL, collectKey: key),
            submissionID: id, cpus: cpus, memoryBytes: memoryBytes, environment: environment,
            metadata: ["starling_cell": cell.label, "starling_folder": folder.path, "attempt": String(record.attempts.count + 1)])
        var attempt = CellJob.Attempt(submissionID: id, submittedAt: Date())
        _ = try await client.submit(submission)
        attempt.status = "PENDING"
        record.attempts.append(attempt)
        try RunLayout.writeJSON(record, to: RunLayout(folder).cellJob)
        log("  \(cell.label): Ray job \(id) submitted (\(Self.format(cpus)) CPU\(memoryBytes.map { ", \($0 / 1_048_576) MiB" } ?? ""))")
        return id
    }

    /// Polls a job until it ends; stops it when the bench is cancelled.
    func wait(for id: String, cell: BenchCell, record: inout CellJob, layout: RunLayout) async throws -> RayJobInfo? {
        var failures = 0
        var lastError = ""
        var delay = min(0.25, pollSeconds)
        while true {
            do {
                try await Task.sleep(for: .seconds(delay))
            } catch {
                await stopAfterCancel(id, record: &record, layout: layout)
                throw error
            }
            delay = min(pollSeconds, delay * 2)
            let info: RayJobInfo?
            do {
                info = try await client.job(id)
                failures = 0
            } catch is CancellationError {
                await stopAfterCancel(id, record: &record, layout: layout)
                throw CancellationError()
            } catch {
                // A dashboard that restarts or stalls is waited for; one that stays away ends the wait.
                failures += 1
                lastError = "\(error)"
                if Double(failures) * pollSeconds > 120 {
                    throw BenchCellError("lost contact with the Ray dashboard while job \(id) ran: \(lastError)")
                }
                continue
            }
            guard let info else {
                record.attempts[record.attempts.count - 1].status = "LOST"
                return nil
            }
            var attempt = record.attempts[record.attempts.count - 1]
            let changed = attempt.status != info.status || (attempt.nodeID == nil && info.driverNodeID != nil)
            attempt.status = info.status
            if info.status == "RUNNING", attempt.runningAt == nil { attempt.runningAt = Date() }
            if let node = info.driverNodeID, attempt.nodeID != node {
                attempt.nodeID = node
                attempt.node = (try? await client.nodes())?.first { $0.nodeID == node }?.nodeIP ?? String(node.prefix(12))
            }
            record.attempts[record.attempts.count - 1] = attempt
            if changed { try? RunLayout.writeJSON(record, to: layout.cellJob) }
            if info.isTerminal { return info }
        }
    }

    /// Stops the job of a cancelled bench and records why.
    private func stopAfterCancel(_ id: String, record: inout CellJob, layout: RunLayout) async {
        let client = self.client
        // A task of its own: the cancelled one would cancel the requests too. Ray stops a job
        // asynchronously (SIGTERM, then SIGKILL after 3 s): wait until it says the job ended.
        let status = await Task { () -> String in
            _ = try? await client.stop(id)
            var status = "?"
            for _ in 0..<40 {
                if let info = try? await client.job(id) {
                    status = info.status
                    if info.isTerminal { break }
                }
                try? await Task.sleep(for: .milliseconds(500))
            }
            return status
        }.value
        record.attempts[record.attempts.count - 1].outcome = "interrupted: the bench was stopped"
        record.attempts[record.attempts.count - 1].status = status
        try? RunLayout.writeJSON(record, to: layout.cellJob)
        log(status == "STOPPED" || status == "SUCCEEDED" || status == "FAILED" ? "  stopped Ray job \(id) (\(status))"
            : "  asked Ray to stop job \(id); it is still \(status): `starling ray status` shows the cluster")
    }

    /// Decides what an ended (or lost) job means for the cell.
    func judge(_ info: RayJobInfo?, id: String, layout: RunLayout, record: CellJob) async throws -> Verdict {
        guard let info else { return .retry("the cluster no longer knows job \(id) (its head restarted?)") }
        var logs: String?
        if collect, info.status != "STOPPED" {
            let text = try await client.logs(id)
            logs = text
            try CellArchive.unpack(from: text, into: layout.folder)
        }
        if layout.hasEnded { return .ran }
        let node = record.current?.node ?? "?"
        if info.status == "STOPPED" { return .retry("job \(id) was stopped outside the bench (preempted or stopped by hand)") }
        if let error = info.errorType, Self.lostJobErrors.contains(error) {
            return .retry("job \(id) was lost (\(error): \(info.message ?? ""))")
        }
        if let nodeID = info.driverNodeID, let nodes = try? await client.nodes(),
           let driver = nodes.first(where: { $0.nodeID == nodeID }), !driver.isAlive {
            return .retry("node \(driver.nodeIP) running job \(id) died")
        }
        if info.errorType == "JOB_SUPERVISOR_ACTOR_UNSCHEDULABLE" {
            return .failed("no node of the cluster can hold the cell (\(Self.format(cpus)) CPU\(memoryBytes.map { ", \($0 / 1_048_576) MiB" } ?? "")): "
                           + "lower --cell-cpus / --cell-memory or add nodes (\(info.message ?? ""))")
        }
        if let code = info.driverExitCode, code < 0 || code >= 128 {
            return .retry("job \(id) on node \(node) was killed (exit status \(code))")
        }
        if logs == nil { logs = try? await client.logs(id) }
        let tail = ProcessCellRunner.tail(of: CellArchive.strip(logs ?? ""), lines: 6)
        if info.driverExitCode.map(Int32.init) == CellEntrypoint.folderNotVisibleStatus {
            return .failed("node \(node) does not see the bench folder \(layout.folder.path): put the bench folder on storage every node "
                           + "mounts (the same path everywhere), or pass --collect to bring each cell's folder back in its job's output")
        }
        let status = info.driverExitCode.map { "exit status \($0)" } ?? (info.errorType ?? info.status)
        return .failed("job \(id) on node \(node) ended (\(status)) without a run summary: \(tail)")
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
