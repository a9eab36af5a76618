import Foundation
import StarlingBench
import StarlingCore
import StarlingDashboard
import StarlingRunFolder
import StarlingRuntime
import StarlingStore
import StarlingTestSupport
import Testing

/// The dashboard over real HTTP on run folders written as `starling run` writes them.
@Suite struct DashboardTests {
    /// Serves `root` on a free port of the loopback while `body` runs.
    func serving(_ root: URL, _ body: (URL) async throws -> Void) async throws {
        let server = DashboardServer(root: root, tasks: TaskStore(roots: []), port: 0)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task { try await server.run { continuation.yield($0) } }
        defer { task.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        try await body(URL(string: "http://127.0.0.1:\(port)")!)
    }

    func get(_ url: URL) async throws -> (status: Int, text: String, json: [String: Any]?) {
        // Generous: with every suite starting at once on 2 cores, the whole test process can stall for a minute.
        let response = try await DefaultHTTPTransport().send(HTTPRequest(url: url, method: "GET", timeout: 180))
        let text = String(decoding: response.body, as: UTF8.self)
        return (response.status, text, try? JSONSerialization.jsonObject(with: response.body) as? [String: Any])
    }

    @Test func aRunsStateGrowsAsItsJournalDoesAndANodeOpensWithItsPromptCodeAndDiffs() async throws {
        let folder = try TemporaryFolder("dashboard")
        let running = folder.file("runs/wa-churn/mle-star"), finished = folder.file("runs/other")
        try SampleRun.write(to: running, finished: false)
        try SampleRun.write(to: finished, finished: true)
        try await serving(folder.file("runs")) { base in
            let list = try await get(base.appendingPathComponent("api/runs"))
            #expect(list.text.contains("wa-churn/mle-star") && list.text.contains("\"other\""), "\(list.text)")

            let state = try #require(try await get(URL(string: "\(base)/api/state?run=wa-churn/mle-star")!).json)
            #expect((state["nodes"] as? [Any])?.count == 5)
            let pieces = try #require(state["pieces"] as? [String: String])
            #expect(pieces["tree"]?.contains("data-id=\"3\"") == true)
            // Text from the run is escaped, as in the report.
            #expect(pieces["tree"]?.contains("<script>alert") == false && pieces["tree"]?.contains("&lt;script&gt;") == true)

            // The run goes on: a node and a model call in flight appear at the next poll.
            let journal = try Journal(path: RunLayout(running).journal)
            try journal.save(JournalNode(stepKey: "b1/refine/1/inner/2", node: Node(id: 6, parentID: 3, stage: .refine, plan: "more trees",
                                                                                     code: SampleRun.finalCode + "\n# more trees", status: .pending)))
            let live = LiveActivity(layout: RunLayout(running))
            let call = live.started(.init(step: "b1/refine/1/inner/3", role: "coder", model: "local:qwen2.5-coder-1.5b", started: Date(),
                                          promptCharacters: 5400, maxTokens: 1024))
            let later = try #require(try await get(URL(string: "\(base)/api/state?run=wa-churn/mle-star")!).json)
            #expect((later["nodes"] as? [Any])?.count == 6)
            let waiting = (later["waiting"] as? [String]) ?? []
            #expect(waiting.contains { $0.hasPrefix("script of node 6 (b1/refine/1/inner/2) running") }, "\(waiting)")
            #expect(waiting.contains { $0.hasPrefix("model (coder, local:qwen2.5-coder-1.5b) for b1/refine/1/inner/3") }, "\(waiting)")
            live.ended(call)
            #expect(!FileManager.default.fileExists(atPath: RunLayout(running).live.path))

            let node = try #require(try await get(URL(string: "\(base)/api/node?run=wa-churn/mle-star&node=1")!).json)
            let exchanges = try #require(node["exchanges"] as? [[String: Any]])
            #expect(exchanges.count == 1 && (exchanges[0]["prompt"] as? String)?.contains("Predict <b>churn</b>") == true)
            #expect((exchanges[0]["reply"] as? String) == SampleRun.exchangeReply)
            let refined = try #require(try await get(URL(string: "\(base)/api/node?run=wa-churn/mle-star&node=3")!).json)
            #expect((refined["code"] as? String) == SampleRun.finalCode)
            #expect((refined["diffToParent"] as? String)?.contains("+model = LGBMClassifier(n_estimators=300)") == true)
            let diff = try #require(try await get(URL(string: "\(base)/api/diff?run=wa-churn/mle-star&a=1&b=6")!).json)
            #expect((diff["html"] as? String)?.contains("+# more trees") == true)

            let page = try await get(URL(string: "\(base)/run?run=wa-churn/mle-star")!)
            #expect(page.status == 200 && page.text.contains("/api/state?run=") && page.text.contains("g.node"))
            let index = try await get(base)
            #expect(index.text.contains("/run?run=wa-churn/mle-star"))
            // Only runs below the folder served.
            let outside = try await get(URL(string: "\(base)/api/state?run=../../etc")!)
            #expect(outside.status == 404, "\(outside.text)")
            let missing = try await get(URL(string: "\(base)/api/node?run=other&node=99")!)
            #expect(missing.status == 404 && missing.text.contains("no node 99"))
        }
    }
}
