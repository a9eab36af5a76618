import Foundation
import StarlingRuntime
import StarlingTestSupport
import StarlingBenchRunner
import StarlingLLM
import StarlingRunFolder
import Testing

/// The Ray runner's decisions, against a scripted Jobs API (the real head is exercised by
/// ``RayExecutorTests``): which ended jobs are retried, which are failed cells, and what the
/// failure says.
@Suite struct RayCellRunnerTests {
    /// A Jobs API that answers every status request with the next of `states` for each job
    /// (the last one repeats), and records what was submitted and stopped.
    final class ScriptedJobsAPI: HTTPTransport, @unchecked Sendable {
        let lock = NSLock()
        let states: [String]
        let logs: String
        let nodeAlive: Bool
        var submitted: [[String: Any]] = []
        var polls: [String: Int] = [:]
        var stopped: [String] = []

        init(states: [String], logs: String = "", nodeAlive: Bool = true) {
            self.states = states
            self.logs = logs
            self.nodeAlive = nodeAlive
        }

        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            try lock.withLock { try answer(request) }
        }

        private func answer(_ request: HTTPRequest) throws -> HTTPResponse {
            let path = request.url.path
            func json(_ object: Any) -> HTTPResponse {
                HTTPResponse(status: 200, body: try! JSONSerialization.data(withJSONObject: object))
            }
            if request.method == "POST", path.hasSuffix("/api/jobs") || path.hasSuffix("/api/jobs/") {
                let body = try JSONSerialization.jsonObject(with: request.body ?? Data()) as? [String: Any] ?? [:]
                submitted.append(body)
                return json(["submission_id": body["submission_id"] ?? "?", "job_id": "x"])
            }
            if request.method == "POST", path.hasSuffix("/stop") {
                stopped.append(path)
                return json(["stopped": true])
            }
            if path.hasSuffix("/logs") { return json(["logs": logs]) }
            if path.contains("/api/v0/nodes") {
                return json(["data": ["result": ["result": [["node_id": "n1", "node_ip": "10.0.0.5", "state": nodeAlive ? "ALIVE" : "DEAD", "is_head_node": false,
                                                               "resources_total": ["CPU": 4]]]]]])
            }
            let id = String(path.split(separator: "/").last ?? "")
            if stopped.contains(where: { $0.contains("/\(id)/") }) {
                return json(["type": "SUBMISSION", "status": "STOPPED", "entrypoint": "x", "driver_node_id": "n1"])
            }
            let index = polls[id, default: 0]
            polls[id] = index + 1
            let state = states[min(index, states.count - 1)].split(separator: ":").map(String.init)
            var info: [String: Any] = ["type": "SUBMISSION", "status": state[0], "entrypoint": "x", "driver_node_id": "n1"]
            if state.count > 1 { info["error_type"] = state[1] }
            if state.count > 2 { info["driver_exit_code"] = Int(state[2])! }
            return json(info)
        }
    }

    func runner(_ api: ScriptedJobsAPI, retries: Int = 2) -> RayCellRunner {
        RayCellRunner(client: RayJobsClient(address: URL(string: "http://head:8265")!, transport: api),
                      entrypoint: CellEntrypoint(starling: "/opt/starling bin/starling", time: "5m", llm: "local:qwen"),
                      cpus: 2, memoryBytes: 1 << 30, retries: retries, pollSeconds: 0.01)
    }

    let cell = BenchCell(task: "wa-churn", strategy: "aide", seed: 1)
    let task = BenchTask(id: "wa-churn", metric: "roc_auc", direction: .higher)

    @Test func aRunThatFailsIsAFailedCellWithTheJobsOutputAndIsNotRetried() async throws {
        let folder = try TemporaryFolder("ray-fail")
        let api = ScriptedJobsAPI(states: ["PENDING", "RUNNING", "FAILED:JOB_ENTRYPOINT_COMMAND_ERROR:1"],
                                  logs: "starting\nTraceback (most recent call last):\nValueError: the task folder is broken\n")
        let error = await #expect(throws: BenchCellError.self) { try await runner(api).run(cell, task: task, in: folder.url) }
        #expect(error?.reason.contains("the task folder is broken") == true)
        #expect(error?.reason.contains("exit status 1") == true)
        #expect(api.submitted.count == 1)
        let body = try #require(api.submitted.first)
        #expect(body["entrypoint_num_cpus"] as? Double == 2 && body["entrypoint_memory"] as? Int == 1 << 30)
        let command = try #require(body["entrypoint"] as? String)
        #expect(command.hasPrefix("'/opt/starling bin/starling' bench-cell --task wa-churn --strategy aide --seed 1 --time 5m --out "))
        let record = try #require(try RunLayout.readJSON(CellJob.self, from: RunLayout(folder.url).cellJob))
        #expect(record.attempts.count == 1 && record.current?.status == "FAILED" && record.current?.node == "10.0.0.5")
        #expect(record.current?.outcome?.hasPrefix("failed:") == true)
        #expect(FileManager.default.fileExists(atPath: RunLayout(folder.url).cellToken.path), "the worker's storage check has its file")
    }

    @Test func aLostJobIsSubmittedAgainAtMostRetriesTimes() async throws {
        let folder = try TemporaryFolder("ray-lost")
        let api = ScriptedJobsAPI(states: ["RUNNING", "FAILED:JOB_SUPERVISOR_ACTOR_DIED"])
        let error = await #expect(throws: BenchCellError.self) { try await runner(api, retries: 2).run(cell, task: task, in: folder.url) }
        #expect(api.submitted.count == 3, "the first job and two retries")
        #expect(error?.reason.contains("lost the cell's job 3 times") == true)
        let ids = api.submitted.compactMap { $0["submission_id"] as? String }
        #expect(Set(ids).count == 3 && ids.allSatisfy { $0.hasPrefix("starling-wa-churn-aide-s1-") })
        let record = try #require(try RunLayout.readJSON(CellJob.self, from: RunLayout(folder.url).cellJob))
        #expect(record.attempts.allSatisfy { $0.outcome?.hasPrefix("retry: job") == true })
    }

    @Test func aNodeWithoutTheBenchFolderSaysToShareItOrCollect() async throws {
        let folder = try TemporaryFolder("ray-storage")
        let api = ScriptedJobsAPI(states: ["FAILED:JOB_ENTRYPOINT_COMMAND_ERROR:97"])
        let error = await #expect(throws: BenchCellError.self) { try await runner(api).run(cell, task: task, in: folder.url) }
        #expect(error?.reason.contains("does not see the bench folder") == true)
        #expect(error?.reason.contains("--collect") == true)
    }

    @Test func aJobWhoseNodeDiedIsRetriedNotFailed() async throws {
        let folder = try TemporaryFolder("ray-dead")
        let api = ScriptedJobsAPI(states: ["FAILED:JOB_ENTRYPOINT_COMMAND_ERROR:1"], nodeAlive: false)
        let error = await #expect(throws: BenchCellError.self) { try await runner(api, retries: 1).run(cell, task: task, in: folder.url) }
        #expect(error?.reason.contains("node 10.0.0.5 running job") == true, "\(error?.reason ?? "")")
        #expect(api.submitted.count == 2, "retried once, then given up")
    }

    @Test func cancellingTheBenchStopsTheJob() async throws {
        let folder = try TemporaryFolder("ray-cancel")
        let api = ScriptedJobsAPI(states: ["RUNNING"])
        let running = Task { try await runner(api).run(cell, task: task, in: folder.url) }
        try await Task.sleep(for: .milliseconds(300))
        running.cancel()
        await #expect(throws: CancellationError.self) { try await running.value }
        #expect(api.stopped.count == 1)
        let record = try #require(try RunLayout.readJSON(CellJob.self, from: RunLayout(folder.url).cellJob))
        #expect(record.current?.outcome?.hasPrefix("interrupted") == true)
        #expect(record.current?.status == "STOPPED", "the bench waited until Ray said the job stopped")
    }

    @Test func theArchiveOfAFolderComesBackFromAJobsOutput() throws {
        let source = try TemporaryFolder("archive-in"), target = try TemporaryFolder("archive-out")
        let sent = RunLayout(source.url), received = RunLayout(target.url)
        try FileManager.default.createDirectory(at: sent.nodeFolder(1), withIntermediateDirectories: true)
        try "print(1)\n".write(to: sent.node(1).script, atomically: true, encoding: .utf8)
        try Data((0..<5000).map { UInt8($0 % 251) }).write(to: sent.journal)
        let output = "run output\n" + (try CellArchive.pack(source.url)) + "after\n"
        #expect(try CellArchive.unpack(from: output, into: target.url))
        #expect(try String(contentsOf: received.node(1).script, encoding: .utf8) == "print(1)\n")
        #expect(try Data(contentsOf: received.journal) == Data(contentsOf: sent.journal))
        #expect(CellArchive.strip(output) == "run output\n(cell archive)\nafter\n")
        #expect(throws: RayError.self) { try CellArchive.unpack(from: "x\n" + CellArchive.beginMarker + "\nAAAA", into: target.url) }
        #expect(try !CellArchive.unpack(from: "no archive here", into: target.url))
    }
}
