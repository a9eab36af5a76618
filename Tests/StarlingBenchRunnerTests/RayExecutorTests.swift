import Foundation
import StarlingTestSupport
import StarlingBench
import StarlingBenchRunner
import StarlingRunFolder
import StarlingRuntime
import StarlingStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `starling bench --executor ray` against a real single-node Ray head started here, with a
/// scripted OpenAI-compatible model (a Python server that gives every request the same reply).
/// Needs `swift build` and `starling setup --ray` (both run by `make test`).
@Suite(.serialized) struct RayExecutorTests {
    static let checkout = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let executable = checkout.appendingPathComponent(".build/debug/starling")
    static let home = StarlingHome.resolve()
    static var ready: Bool {
        FileManager.default.isExecutableFile(atPath: executable.path) && RayHead(home: home).environment.isReady
            && FileManager.default.isExecutableFile(atPath: home.solutionPython.path)
            && FileManager.default.isExecutableFile(atPath: home.dataPython.path)
    }

    @Test(.enabled(if: ready, "needs .build/debug/starling, `starling setup --data` and `starling setup --ray`"))
    func aBenchOnARealRayHeadMatchesTheLocalOneResumesLostJobsAndLeavesNothingRunning() async throws {
        #expect(RayHead.runningProcesses().isEmpty, "another Ray is running on this machine; `starling ray down` stops it")
        for id in ["wa-churn", "credit-data"] {
            let task = try TaskStore.locate().task(id)
            _ = try await TaskPreparer(python: Self.home.dataPython).prepareIfNeeded(task)
        }
        let model = try ScriptedModel()
        defer { model.stop() }
        let root = try TemporaryFolder("ray")
        let head = RayHead(home: Self.home)
        var options = RayHead.Options()
        options.dashboardPort = try freePort()
        options.port = try freePort()
        // Four cores on a 2-core machine: two 2-core cells at once, to see Ray place more than one.
        options.cpus = 4
        let address = try await head.up(options)
        do {
            try await checkBenches(address: address, model: model, root: root)
            try await checkLostAndInterruptedJobs(address: address, model: model, root: root)
        } catch {
            _ = try? await head.down()
            throw error
        }
        try await head.down()
        #expect(RayHead.runningProcesses().isEmpty, "ray stop leaves no Ray process")
        #expect(livingStarlingRuns(under: root.url).isEmpty, "no `starling run` of the test is left")
    }

    /// The common arguments of a bench with the scripted model.
    func bench(_ tasks: String, _ strategies: String, time: String = "1m", out: URL, model: ScriptedModel, extra: [String] = []) -> [String] {
        ["bench", "--tasks", tasks, "--strategies", strategies, "--time", time, "--llm", model.llm, "--out", out.path] + extra
    }

    /// A 2-task × 2-strategy bench through Ray and through the local executor: the same
    /// results.json fields, plus a job id and node per Ray cell; a rerun submits nothing.
    func checkBenches(address: URL, model: ScriptedModel, root: TemporaryFolder) async throws {
        let rayFolder = root.file("bench-ray"), localFolder = root.file("bench-local")
        let ray = try StarlingProcess(bench("wa-churn,credit-data", "aide,mle-star", out: rayFolder, model: model,
                                            extra: ["--executor", "ray", "--ray-address", address.absoluteString]),
                                      log: root.file("bench-ray.log"))
        #expect(await ray.wait(seconds: 600) == 0, "ray bench: \(ray.tail())")
        let local = try StarlingProcess(bench("wa-churn,credit-data", "aide,mle-star", out: localFolder, model: model, extra: ["--parallel", "2"]),
                                        log: root.file("bench-local.log"))
        #expect(await local.wait(seconds: 600) == 0, "local bench: \(local.tail())")

        let rayJSON = try jsonObject(rayFolder.appendingPathComponent(BenchLayout.Name.results))
        let localJSON = try jsonObject(localFolder.appendingPathComponent(BenchLayout.Name.results))
        #expect(Set(rayJSON.keys) == Set(localJSON.keys))
        let rayCells = rayJSON["cells"] as? [[String: Any]] ?? [], localCells = localJSON["cells"] as? [[String: Any]] ?? []
        #expect(rayCells.count == 4 && localCells.count == 4)
        let localKeys = localCells.reduce(into: Set<String>()) { $0.formUnion($1.keys) }
        let rayKeys = rayCells.reduce(into: Set<String>()) { $0.formUnion($1.keys) }
        #expect(rayKeys.subtracting(["placement"]) == localKeys, "the Ray cells carry the local cells' fields, and only a placement more")
        let results = try #require(try BenchResults.read(from: BenchLayout(rayFolder)))
        var jobIDs = Set<String>()
        for cell in results.cells {
            #expect(cell.status != .error, "\(cell.cell.label): \(cell.reason ?? "")")
            let placement = try #require(cell.placement, "\(cell.cell.label) has its job")
            #expect(placement.executor == "ray" && placement.attempts == 1 && placement.node != nil)
            let id = try #require(placement.jobID)
            #expect(id.hasPrefix("starling-\(cell.cell.task)-\(cell.cell.strategy)-s1-"))
            jobIDs.insert(id)
            #expect(cell.overheadSeconds != nil, "the bench measured what the Ray path added")
            let job = try await RayJobsClient(address: address).job(id)
            #expect(job?.status == "SUCCEEDED", "Ray ran \(id) to the end")
        }
        #expect(jobIDs.count == 4)
        let markdown = try String(contentsOf: rayFolder.appendingPathComponent(BenchLayout.Name.markdown), encoding: .utf8)
        for id in jobIDs { #expect(markdown.contains(id), "results.md names job \(id)") }

        // Every cell ended: running the same command again submits nothing.
        let again = try StarlingProcess(bench("wa-churn,credit-data", "aide,mle-star", out: rayFolder, model: model,
                                              extra: ["--executor", "ray", "--ray-address", address.absoluteString]),
                                        log: root.file("bench-ray-again.log"))
        #expect(await again.wait(seconds: 120) == 0)
        #expect(again.tail(lines: 200).contains("4 of 4 cells already ended"))
        #expect(!again.tail(lines: 200).contains(": Ray job "), "no job was submitted or reattached")
    }

    /// A job stopped behind the bench's back is submitted again and its run resumes with the
    /// nodes it had; a bench killed outright reattaches to its job when started again; Ctrl-C
    /// stops the job, and the next start resumes the cell.
    func checkLostAndInterruptedJobs(address: URL, model: ScriptedModel, root: TemporaryFolder) async throws {
        let client = RayJobsClient(address: address)
        let folder = root.file("bench-stop")
        let arguments = bench("wa-churn", "mle-star", time: "2m", out: folder, model: model,
                              extra: ["--executor", "ray", "--ray-address", address.absoluteString])
        let cell = BenchLayout(folder).run(BenchCell(task: "wa-churn", strategy: "mle-star", seed: 1))

        // 1. Stopped from outside once nodes are recorded: retried, resumed from the journal.
        let first = try StarlingProcess(arguments, log: root.file("bench-stop-1.log"))
        let before = try await waitForNodes(in: cell, atLeast: 3, seconds: 180)
        let job = try #require(try cellJob(cell).current?.submissionID)
        #expect(try await client.stop(job))
        #expect(await first.wait(seconds: 600) == 0, "\(first.tail())")
        let record = try cellJob(cell)
        #expect(record.attempts.count == 2)
        #expect(record.attempts.first?.outcome?.hasPrefix("retry: job \(job) was stopped outside the bench") == true)
        #expect(record.attempts.last?.outcome == "ran")
        let after = try Journal(path: cell.journal).nodes()
        for node in before {
            let kept = after.first { $0.stepKey == node.stepKey }
            #expect(kept?.node.id == node.node.id && kept?.node.createdAt == node.node.createdAt,
                    "node \(node.stepKey) from before the stop was kept, not run again")
        }
        #expect(after.count >= before.count)
        let log = try String(contentsOf: RunLayout(cell.folder).benchLog, encoding: .utf8)
        #expect(log.contains("$ starling resume \(cell.folder.path)"))
        let result = try #require(BenchLayout(folder).recorded(BenchCell(task: "wa-churn", strategy: "mle-star", seed: 1)))
        #expect(result.status != .error && result.placement?.attempts == 2)

        // 2. A bench killed outright leaves its job running; the same command reattaches to it.
        let folder2 = root.file("bench-kill")
        let arguments2 = bench("credit-data", "aide", time: "2m", out: folder2, model: model,
                               extra: ["--executor", "ray", "--ray-address", address.absoluteString])
        let cell2 = BenchLayout(folder2).run(BenchCell(task: "credit-data", strategy: "aide", seed: 1))
        let killed = try StarlingProcess(arguments2, log: root.file("bench-kill-1.log"))
        _ = try await waitForNodes(in: cell2, atLeast: 1, seconds: 180)
        killed.signal(SIGKILL)
        _ = await killed.wait(seconds: 30)
        let orphan = try #require(try cellJob(cell2).current?.submissionID)
        let reattached = try StarlingProcess(arguments2, log: root.file("bench-kill-2.log"))
        #expect(await reattached.wait(seconds: 600) == 0, "\(reattached.tail())")
        #expect(reattached.tail(lines: 200).contains("reattached to Ray job \(orphan)"))
        #expect(try cellJob(cell2).attempts.count == 1)

        // 3. Ctrl-C stops the job; the next start resumes the cell with a new job.
        let folder3 = root.file("bench-interrupt")
        let arguments3 = bench("wa-churn", "aide", time: "2m", out: folder3, model: model,
                               extra: ["--executor", "ray", "--ray-address", address.absoluteString])
        let cell3 = BenchLayout(folder3).run(BenchCell(task: "wa-churn", strategy: "aide", seed: 1))
        let interrupted = try StarlingProcess(arguments3, log: root.file("bench-interrupt-1.log"))
        _ = try await waitForNodes(in: cell3, atLeast: 1, seconds: 180)
        interrupted.signal(SIGINT)
        #expect(await interrupted.wait(seconds: 60) == 130, "\(interrupted.tail())")
        let stopped = try #require(try cellJob(cell3).current)
        #expect(stopped.outcome?.hasPrefix("interrupted") == true)
        #expect(try await client.job(stopped.submissionID)?.status == "STOPPED", "Ctrl-C stopped the Ray job")
        let resumed = try StarlingProcess(arguments3, log: root.file("bench-interrupt-2.log"))
        #expect(await resumed.wait(seconds: 600) == 0, "\(resumed.tail())")
        let final = try cellJob(cell3)
        #expect(final.attempts.count == 2 && final.current?.outcome == "ran")

        // 4. --collect: the cell runs in a folder of the node's own and comes back in the job's output.
        let folder4 = root.file("bench-collect")
        let collected = try StarlingProcess(bench("credit-data", "aide", out: folder4, model: model,
                                                  extra: ["--executor", "ray", "--ray-address", address.absoluteString, "--collect"]),
                                            log: root.file("bench-collect.log"))
        #expect(await collected.wait(seconds: 600) == 0, "\(collected.tail())")
        let cell4 = BenchLayout(folder4).run(BenchCell(task: "credit-data", strategy: "aide", seed: 1))
        #expect(cell4.hasEnded && FileManager.default.fileExists(atPath: cell4.journal.path), "the run folder came back")
        #expect(FileManager.default.fileExists(atPath: cell4.report.path))
        #expect(!FileManager.default.fileExists(atPath: cell4.cellToken.path), "no shared-storage check with --collect")
        let record4 = try cellJob(cell4)
        #expect(record4.collect && record4.current?.outcome == "ran")
        let result4 = try #require(BenchLayout(folder4).recorded(BenchCell(task: "credit-data", strategy: "aide", seed: 1)))
        #expect(result4.status != .error && result4.nodes > 0, "\(result4.reason ?? "")")
    }

    /// Waits until the run's journal holds `count` nodes and returns them.
    func waitForNodes(in run: RunLayout, atLeast count: Int, seconds: Double) async throws -> [JournalNode] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: run.journal.path),
               let nodes = try? Journal(path: run.journal).nodes(), nodes.count >= count {
                return nodes
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw BenchCellError("no \(count) nodes in \(run.journal.path) after \(Int(seconds)) s")
    }

    /// The cell's `cell-job.json`.
    func cellJob(_ run: RunLayout) throws -> CellJob {
        try #require(try RunLayout.readJSON(CellJob.self, from: run.cellJob), "\(run.cellJob.path) was written")
    }

    func jsonObject(_ file: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] ?? [:]
    }

    /// `starling run`/`resume` processes whose command line names a folder under `root`.
    func livingStarlingRuns(under root: URL) -> [String] {
        ProcessTable.entries().filter { $0.command.contains(root.path) && !$0.command.contains("bench ") }.map { "\($0.pid) \($0.command)" }
    }
}

/// The scripted model: `Support/scripted_model.py` in a Python process of its own.
final class ScriptedModel: @unchecked Sendable {
    let process: ChildProcess
    let port: Int

    /// Starts it; `replies` (default: one reply with no code) go to the n-th request of the same
    /// messages in turn; `record` collects every request's messages.
    init(replies: [String] = [], record: URL? = nil) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Support/scripted_model.py")
        // It prints its port on its first line.
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("scripted-model-\(UUID().uuidString).out")
        process = try ChildProcess(URL(fileURLWithPath: "/usr/bin/env"),
                                   ["python3", script.path] + replies.flatMap { ["--reply", $0] } + (record.map { ["--record", $0.path] } ?? []),
                                   output: .file(output))
        defer { try? FileManager.default.removeItem(at: output) }
        let deadline = Date().addingTimeInterval(60)
        var port: Int?
        while port == nil, process.isRunning, Date() < deadline {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let newline = text.firstIndex(of: "\n") { port = Int(text[..<newline]) } else { Thread.sleep(forTimeInterval: 0.05) }
        }
        guard let port else {
            process.kill()
            throw BenchCellError("the scripted model did not start")
        }
        self.port = port
    }

    /// The `--llm` value that names it.
    var llm: String { "openai-compatible:scripted@http://127.0.0.1:\(port)/v1" }

    /// Kills it (SIGKILL: it inherits a signal mask from the test process that can block SIGTERM).
    func stop() { process.kill() }
}

/// A `starling` command started by a test, its output in a file.
final class StarlingProcess: @unchecked Sendable {
    let process: ChildProcess
    let log: URL

    init(_ arguments: [String], log: URL) throws {
        self.log = log
        process = try ChildProcess(RayExecutorTests.executable, arguments, output: .file(log))
    }

    /// Waits for the exit status; interrupts the process after `seconds`.
    func wait(seconds: Double) async -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(200)) }
        if process.isRunning { process.interrupt() }
        return process.waitUntilExit()
    }

    func signal(_ number: Int32) { kill(process.pid, number) }

    /// The last lines of its output.
    func tail(lines: Int = 15) -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}

/// A TCP port nothing listens on now.
func freePort() throws -> Int {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
    }
    guard bound else { throw BenchCellError("cannot find a free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}
