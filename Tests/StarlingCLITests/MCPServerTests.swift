import Foundation
import MCP
import StarlingRuntime
import SystemPackage
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `starling mcp` driven over stdio by a real MCP client (the Swift SDK's), as an agent such as
/// Claude Code or Codex would drive it.
@Suite struct MCPServerTests {
    /// A running `starling mcp` and a client connected to it.
    struct Connection {
        var client: Client
        var process: ChildProcess
        var log: URL
        /// The client's ends of the two pipes.
        var toServer: Int32, fromServer: Int32

        /// Disconnects and closes the client's ends: the server sees the end of its input and exits.
        func close() async -> Int32 {
            await client.disconnect()
            _ = Glibc.close(toServer)
            let status = await process.exitStatus()
            _ = Glibc.close(fromServer)
            return status
        }

        /// Calls `tool` and returns its text and whether it is an error result.
        func call(_ tool: String, _ arguments: [String: Value] = [:]) async throws -> (text: String, isError: Bool) {
            let (content, isError) = try await client.callTool(name: tool, arguments: arguments)
            let text = content.compactMap { item -> String? in
                if case .text(let text, _, _) = item { return text }
                return nil
            }.joined(separator: "\n")
            return (text, isError ?? false)
        }

        /// Calls `tool` and decodes its JSON text.
        func json(_ tool: String, _ arguments: [String: Value] = [:]) async throws -> [String: Any] {
            let (text, _) = try await call(tool, arguments)
            return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(tool): \(text)")
        }
    }

    /// Starts `starling mcp` on two pipes with `environment` added to its own, and connects.
    static func connect(tasks: URL, work: URL, environment: [String: String]) async throws -> Connection {
        var toServer: [Int32] = [0, 0], fromServer: [Int32] = [0, 0]
        // Close-on-exec: the server must hold no copy of the client's ends, or it never sees the
        // end of its input when the client goes.
        #expect(pipe(&toServer) == 0 && pipe(&fromServer) == 0)
        for descriptor in toServer + fromServer { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        let log = work.deletingLastPathComponent().appendingPathComponent("mcp-stderr.log")
        let process = try ChildProcess(CommandLineTests.executable,
                                       ["mcp", "--tasks-dir", tasks.path, "--work-dir", work.path, "--final-grades", "6", "--script-timeout", "2m"],
                                       environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new },
                                       input: .descriptor(toServer[0]), output: .descriptor(fromServer[1]), errors: .file(log))
        close(toServer[0])
        close(fromServer[1])
        let client = Client(name: "starling-tests", version: "1")
        let transport = StdioTransport(input: FileDescriptor(rawValue: fromServer[0]), output: FileDescriptor(rawValue: toServer[1]))
        _ = try await client.connect(transport: transport)
        return Connection(client: client, process: process, log: log, toServer: toServer[1], fromServer: fromServer[0])
    }

    /// A script that fits on the view's training rows, writes a submission, and reports what it
    /// could reach: the server's secret, and a write to its inputs.
    static let script = """
        import os
        import pandas as pd
        from sklearn.linear_model import LogisticRegression
        train = pd.read_csv("input/train.csv")
        test = pd.read_csv("input/test.csv")
        model = LogisticRegression().fit(train[["x"]], train["y"])
        os.makedirs("submission", exist_ok=True)
        pd.DataFrame({"id": test["id"], "y": model.predict_proba(test[["x"]])[:, 1]}).to_csv("submission/submission.csv", index=False)
        print("secret:", os.environ.get("STARLING_MCP_TEST_SECRET"))
        try:
            with open("input/train.csv", "a") as f:
                f.write("tampered\\n")
            print("write to inputs: allowed")
        except OSError as error:
            print("write to inputs: refused", type(error).__name__)
        """

    @Test(.enabled(if: CommandLineTests.built && CommandLineTests.solutionPython, "needs .build/debug/starling and `starling setup`"))
    func anMCPClientListsTasksRunsAScriptInTheSandboxScoresItAndIsRefusedASeventhFinalGrade() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mcp-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        try TinyTask.write(into: root.appendingPathComponent("tasks/tiny"))
        let trainFile = root.appendingPathComponent("tasks/tiny/prepared/public/train.csv")
        let trainBefore = try Data(contentsOf: trainFile)
        let connection = try await Self.connect(tasks: root.appendingPathComponent("tasks"), work: root.appendingPathComponent("session"),
                                                environment: ["STARLING_MCP_TEST_SECRET": "do-not-leak-42"])
        let tools = try await connection.client.listTools().tools.map(\.name)
        #expect(Set(tools) == ["list_tasks", "describe_task", "run_python", "validate_submission", "score_dev", "grade_final",
                               "check_leakage", "start_run", "run_status", "stop_run", "report"])

        let list = try await connection.call("list_tasks")
        #expect(list.text.contains("\"id\" : \"tiny\"") && list.text.contains("roc_auc"), "\(list.text)")
        let described = try await connection.call("describe_task", ["task": "tiny"])
        #expect(described.text.contains("agent view: ") && described.text.contains("hidden dev rows: "), "\(described.text)")

        let run = try await connection.json("run_python", ["task": "tiny", "code": .string(Self.script)])
        let output = run["output_tail"] as? String ?? ""
        #expect(run["exit_code"] as? Int == 0, "\(run)")
        #expect(output.contains("secret: None"), "the server's secret reached the script: \(output)")
        #expect(output.contains("write to inputs: refused"), "\(output)")
        #expect(try Data(contentsOf: trainFile) == trainBefore)
        let devScore = try #require(run["dev_score"] as? Double, "\(run)")
        #expect(devScore > 0.5)

        let valid = try await connection.json("validate_submission", ["task": "tiny", "script_id": 1])
        #expect(valid["valid"] as? Bool == true && valid["form"] as? String == "view", "\(valid)")
        let invalid = try await connection.json("validate_submission", ["task": "tiny", "csv": "id,y\n1,0.5\n"])
        #expect(invalid["valid"] as? Bool == false && (invalid["problems"] as? String)?.isEmpty == false, "\(invalid)")
        let scored = try await connection.json("score_dev", ["task": "tiny", "script_id": 1])
        #expect(scored["score"] as? Double == devScore, "score_dev grades as the harness did: \(scored)")

        for used in 1...6 {
            let grade = try await connection.json("grade_final", ["task": "tiny", "script_id": 1])
            #expect(grade["grades_used"] as? Int == used && grade["score"] is Double, "\(grade)")
        }
        await #expect(throws: MCPError.self) { _ = try await connection.call("grade_final", ["task": "tiny", "script_id": 1]) }
        do {
            _ = try await connection.call("grade_final", ["task": "tiny", "script_id": 1])
        } catch let error as MCPError {
            #expect("\(error)".contains("refused") && "\(error)".contains("6 grades"), "\(error)")
        }
        // A call the client must change says what to change.
        do {
            _ = try await connection.call("describe_task", ["task": "no-such-task"])
            Issue.record("an unknown task was accepted")
        } catch let error as MCPError {
            #expect("\(error)".contains("no task 'no-such-task'") && "\(error)".contains("known tasks: tiny"), "\(error)")
        }
        let status = await connection.close()
        #expect(status == 0, "\((try? String(contentsOf: connection.log, encoding: .utf8)) ?? "")")
    }

    @Test(.enabled(if: CommandLineTests.built, "needs .build/debug/starling: run `swift build` first"))
    func overHTTPARequestWithoutTheTokenIsRefusedAndOneWithItStartsASession() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mcp-http-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        try TinyTask.write(into: root.appendingPathComponent("tasks/tiny"))
        let log = root.appendingPathComponent("server.log")
        let token = "t-\(UUID().uuidString)"
        let process = try ChildProcess(CommandLineTests.executable, ["mcp", "--http", "0", "--token", token, "--tasks-dir", root.appendingPathComponent("tasks").path,
                                                                     "--work-dir", root.appendingPathComponent("session").path], output: .file(log))
        defer { process.kill() }
        var url: URL?
        for _ in 0..<300 where url == nil {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+/mcp"#, options: .regularExpression) { url = URL(string: String(text[range])) }
            try await Task.sleep(for: .milliseconds(100))
        }
        let endpoint = try #require(url, "no address in: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        let initialize = Data(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#.utf8)
        let headers = ["Content-Type": "application/json", "Accept": "application/json, text/event-stream"]
        let transport = DefaultHTTPTransport()
        let refused = try await transport.send(HTTPRequest(url: endpoint, headers: headers, body: initialize))
        #expect(refused.status == 401 && String(decoding: refused.body, as: UTF8.self).contains("Authorization: Bearer"))
        let wrong = try await transport.send(HTTPRequest(url: endpoint, headers: headers.merging(["Authorization": "Bearer nope"]) { $1 }, body: initialize))
        #expect(wrong.status == 401)
        let served = try await transport.send(HTTPRequest(url: endpoint, headers: headers.merging(["Authorization": "Bearer \(token)"]) { $1 }, body: initialize, timeout: 180))
        let body = String(decoding: served.body, as: UTF8.self)
        #expect(served.status == 200, "\(served.status) \(body)")
        #expect(body.contains(#""name":"starling""#) && body.contains("list_tasks"), "\(body)")
        #expect(served.headers.contains { $0.key.lowercased() == "mcp-session-id" }, "\(served.headers)")
    }
}
