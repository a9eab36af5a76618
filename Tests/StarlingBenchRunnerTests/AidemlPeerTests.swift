import Foundation
import StarlingTestSupport
#if canImport(Glibc)
import Glibc
#endif
import StarlingAgents
import StarlingBench
import StarlingCore
import StarlingRuntime
import StarlingStore
import Testing
@testable import StarlingReport
import StarlingRunFolder
@testable import StarlingBenchRunner

/// aideml as a bench peer: the real aideml package in its own environment, in the real
/// sandbox with the network off, graded by the real grader. The LLM is a scripted
/// OpenAI-compatible HTTP server (real HTTP, fixed replies), so these tests are about the
/// plumbing: proxy modes, network isolation, the rerun of aideml's best node, the journal.
@Suite(.serialized) struct AidemlPeerTests {
    static let environment = PythonEnvironment.aideml(in: StarlingHome.resolve())
    static var ready: Bool { environment.isReady && Shell.which("python3") != nil }

    /// The scripted server: code replies for code requests, a review for forced tool calls
    /// (as a tool call) or JSON-schema requests (as JSON content); it logs what it was asked.
    static let stubServer = #"""
    import json, sys
    from http.server import BaseHTTPRequestHandler, HTTPServer

    CODE = '''
    import socket
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score
    try:
        socket.create_connection(("1.1.1.1", 80), timeout=3)
        print("network: open")
    except OSError as error:
        print(f"network: blocked ({error})")
    train = pd.read_csv("./input/train.csv")
    test = pd.read_csv("./input/test.csv")
    sample = pd.read_csv("./input/sample_submission.csv")
    target = sample.columns[1]
    features = [c for c in train.columns if c not in ("id", target) and pd.api.types.is_numeric_dtype(train[c])]
    X, y = train[features].fillna(0), train[target]
    model = LogisticRegression(max_iter=500)
    print("Validation AUC:", cross_val_score(model, X, y, cv=3, scoring="roc_auc").mean())
    model.fit(X, y)
    sample[target] = model.predict_proba(test[features].fillna(0))[:, 1]
    sample.to_csv("./working/submission.csv", index=False)
    '''
    REVIEW = {"is_bug": False, "summary": "Logistic regression on the numeric columns.", "metric": 0.81, "lower_is_better": False}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if "tools" in body and sys.argv[3:] == ["text-only"]:
                # What llama-server does with an object tool_choice: the model answers in text.
                kind = "forced-tool-as-text"
                message = {"role": "assistant", "content": "The script ran and printed a validation AUC of 0.81."}
            elif "tools" in body:
                kind = "forced-tool"
                message = {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function",
                           "function": {"name": body["tools"][0]["function"]["name"], "arguments": json.dumps(REVIEW)}}]}
            elif "response_format" in body:
                kind = "json-schema"
                message = {"role": "assistant", "content": json.dumps(REVIEW)}
            else:
                kind = "code"
                message = {"role": "assistant", "content": "Fit a logistic regression.\n\n```python\n" + CODE + "\n```"}
            with open(sys.argv[2], "a") as log:
                log.write(kind + "\n")
            reply = json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": body.get("model", ""),
                                "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                                "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

    server = HTTPServer(("127.0.0.1", 0), Handler)
    with open(sys.argv[1], "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()
    """#

    /// Starts the scripted server; returns it, its base URL and its request log.
    static func startStub(in folder: URL, textOnly: Bool = false) async throws -> (ChildProcess, URL, URL) {
        let script = folder.appendingPathComponent("stub.py")
        let portFile = folder.appendingPathComponent("port")
        let log = folder.appendingPathComponent("requests.log")
        try stubServer.write(to: script, atomically: true, encoding: .utf8)
        let process = try ChildProcess(URL(fileURLWithPath: Shell.which("python3")!),
                                       [script.path, portFile.path, log.path] + (textOnly ? ["text-only"] : []),
                                       output: .file(folder.appendingPathComponent("stub.out")))
        for _ in 0..<100 {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) {
                return (process, URL(string: "http://127.0.0.1:\(port)/v1")!, log)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        process.kill()
        throw BenchCellError("the scripted LLM server did not start")
    }

    static func task() async throws -> TaskDefinition {
        let store = TaskStore.locate()
        var task = try store.task("wa-churn")
        _ = try await TaskPreparer(python: StarlingHome.resolve().dataPython).prepareIfNeeded(task)
        task = try store.task("wa-churn")
        return task
    }

    /// Runs one aideml cell of `strategy` for two steps against the scripted server.
    func runCell(_ strategy: String, textOnly: Bool = false, earlierAttempt: Bool = false) async throws -> (folder: URL, summary: RunSummary, requests: [String]) {
        let root = try TemporaryFolder("aideml-\(strategy)-\(textOnly)").url
        let (stub, url, requestLog) = try await Self.startStub(in: root, textOnly: textOnly)
        defer {
            // SIGKILL: the test process may hand its children a blocked SIGTERM.
            stub.kill()
        }
        let task = try await Self.task()
        var settings = AgentSettings()
        settings.aideSteps = 2
        settings.scriptTimeoutSeconds = 120
        settings.scriptMemoryMB = 4096
        let runner = AidemlCellRunner(python: Self.environment.python, sandbox: try await Sandbox.probing(),
                                      tasks: [task.id: task], budgetSeconds: 420, settings: settings,
                                      modelName: "qwen2.5-coder-0.5b", upstream: { url })
        let folder = root.appendingPathComponent("cell")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if earlierAttempt {
            try "an interrupted attempt".write(to: folder.appendingPathComponent("aideml.log"), atomically: true, encoding: .utf8)
        }
        let cell = BenchCell(task: task.id, strategy: strategy, seed: 1)
        try await runner.run(cell, task: BenchTask(task), in: folder)
        let summary = try JSONDecoder().decode(RunSummary.self, from: Data(contentsOf: folder.appendingPathComponent("summary.json")))
        let requests = try String(contentsOf: requestLog, encoding: .utf8).split(separator: "\n").map(String.init)
        return (folder, summary, requests)
    }

    @Test(.enabled(if: ready, "needs `starling setup --aideml` and python3"))
    func adapterTurnsForcedToolCallsIntoJSONSchemaRequestsAndTheCellIsGraded() async throws {
        let (folder, summary, requests) = try await runCell("aideml-adapter")
        // aideml asked twice for code and twice for a review; the proxy sent every review as a
        // json_schema request, and aideml accepted the reply as its tool call.
        #expect(requests.filter { $0 == "code" }.count == 2)
        #expect(requests.filter { $0 == "json-schema" }.count == 2)
        #expect(!requests.contains("forced-tool"))
        #expect(summary.stopReason == "aideml finished its 2 steps", "\(summary.stopReason)")
        #expect(summary.nodes == 2)
        #expect(summary.validSubmission)
        let score = try #require(summary.finalScore)
        #expect(score > 0.6 && score < 1, "AUC \(score)")
        #expect(summary.selfReportedScore == 0.81)
        #expect(summary.llm.calls == 4 && summary.llm.promptTokens == 400 && summary.llm.completionTokens == 200)

        // The rerun of the best node ran in the sandbox with the network off.
        let runs = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("final-run").path)
        let log = try String(contentsOf: ScriptWorkspace(folder.appendingPathComponent("final-run/\(try #require(runs.first))")).log, encoding: .utf8)
        #expect(log.contains("network: blocked"), "\(log.suffix(400))")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("final/grade.json").path))

        // aideml's journal became Starling's: two drafts (aideml drafts 5 before improving), the final run.
        let journal = try Journal(path: RunLayout(folder).journal)
        let nodes = try journal.nodes().map(\.node)
        #expect(nodes.map(\.stage) == [.draft, .draft, .final])
        #expect(nodes[0].status == .succeeded && nodes[0].selfReportedScore == 0.81)
        #expect(summary.bestNodeID == nodes[2].parentID && nodes[2].parentID != nil)
        #expect(try journal.llmCalls().count == 4)
        // The report opens the converted run like any other.
        try RunReport.write(folder: folder)
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("aideml-adapter"))
        #expect(html.contains("label-shuffle check did not run on it") && !html.contains("No leak flags"))
    }

    @Test(.enabled(if: ready, "needs `starling setup --aideml` and python3"))
    func passthroughForwardsToolCallsUnchanged() async throws {
        let (_, summary, requests) = try await runCell("aideml")
        #expect(requests.filter { $0 == "forced-tool" }.count == 2)
        #expect(!requests.contains("json-schema"))
        #expect(summary.validSubmission && summary.nodes == 2)
    }

    @Test(.enabled(if: ready, "needs `starling setup --aideml` and python3"))
    func unadaptedAidemlCrashesOnATextReviewAndTheCellSaysWhy() async throws {
        // The failure measured against llama-server: the forced review comes back as text and
        // aideml indexes into the string. The cell ends without a submission, with that reason.
        let (folder, summary, requests) = try await runCell("aideml", textOnly: true, earlierAttempt: true)
        #expect(requests == ["code", "forced-tool-as-text"])
        #expect(!summary.validSubmission && summary.nodes == 0)
        #expect(summary.stopReason.hasPrefix("aideml exited") && summary.stopReason.contains("TypeError"), "\(summary.stopReason)")
        let result = BenchCellResult(cell: BenchCell(task: "wa-churn", strategy: "aideml", seed: 1),
                                     task: BenchTask(id: "wa-churn", metric: "roc_auc", direction: .higher, baseline: 0.8, reference: 0.84),
                                     summary: summary, wallSeconds: 1)
        #expect(result.status == .noSubmission && result.reason?.contains("TypeError") == true)
        #expect(result.aboveBaseline == false)
        #expect(FileManager.default.fileExists(atPath: RunLayout(folder).journal.path))
        // The interrupted attempt's files were moved aside, not deleted.
        let kept = try String(contentsOf: folder.appendingPathComponent("previous-attempt-1/aideml.log"), encoding: .utf8)
        #expect(kept == "an interrupted attempt")
    }

    @Test func journalRanksWorkingNodesByAidemlsOwnMetricAndDirection() throws {
        let file = try TemporaryFolder("aideml-journal").url.appendingPathComponent("journal.json")
        let json = """
        {"nodes": [
          {"id": "a", "step": 0, "code": "x", "plan": "p", "is_buggy": false, "metric": {"value": 3.5, "maximize": false}},
          {"id": "b", "step": 1, "code": "y", "plan": "p", "is_buggy": true, "exc_type": "KeyError", "metric": {"value": null, "maximize": null}},
          {"id": "c", "step": 2, "code": "z", "plan": "p", "is_buggy": false, "metric": {"value": 2.5, "maximize": false}},
          {"id": "d", "step": 3, "code": "w", "plan": "p", "is_buggy": false, "metric": {"value": 9.0, "maximize": false}}
        ], "node2parent": {"c": "b", "d": "a"}, "__version": "2"}
        """
        try json.write(to: file, atomically: true, encoding: .utf8)
        let journal = try AidemlJournal(contentsOf: file)
        #expect(journal.rankedWorkingNodes.map(\.id) == ["c", "a", "d"])
        #expect(journal.nodes.map { journal.stage(of: $0) } == ["draft", "draft", "debug", "improve"])
        #expect(journal.nodes[1].exceptionType == "KeyError" && journal.nodes[1].metric == nil)
    }
}
