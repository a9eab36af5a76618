import Foundation
import StarlingTestSupport
import StarlingLLM
import StarlingRuntime
import Testing
@testable import StarlingReport
@testable import StarlingBenchRunner

/// The proxy between aideml and a real llama-server running the 0.5B model: aideml's review
/// request (a forced `submit_review` tool call) sent as aideml sends it.
@Suite(.serialized) struct AidemlProxyLocalModelTests {
    static let installation = LocalLLMInstallation()
    static let model = try? LocalModel.named(LocalModel.smallName)
    static var ready: Bool {
        guard let model else { return false }
        return installation.isServerInstalled && installation.isInstalled(model) && Shell.which("python3") != nil
    }

    /// aideml's review call, shaped as its OpenAI backend sends it to a non-OpenAI model.
    static let reviewRequest = #"""
    {"model": "qwen2.5-coder-0.5b", "temperature": 0.5,
     "messages": [{"role": "system", "content": "# Introduction\nYou have written code for a churn task and now evaluate the output.\n\n# Execution output\n```\nValidation AUC: 0.8342\nExecution time: 3 seconds.\n```"}],
     "tools": [{"type": "function", "function": {"name": "submit_review", "description": "Submit a review evaluating the output of the training script.",
       "parameters": {"type": "object", "properties": {
         "is_bug": {"type": "boolean", "description": "true if the execution failed"},
         "summary": {"type": "string", "description": "a short summary"},
         "metric": {"type": "number", "description": "the validation metric"},
         "lower_is_better": {"type": "boolean", "description": "true if lower is better"}},
        "required": ["is_bug", "summary", "metric", "lower_is_better"]}}}],
     "tool_choice": {"type": "function", "function": {"name": "submit_review"}}}
    """#

    /// Posts the review request to the proxy's Unix socket with Python's http.client; returns
    /// the HTTP status and body.
    static func post(to socket: URL, in folder: URL) throws -> (Int, String) {
        let client = folder.appendingPathComponent("client.py")
        try """
        import http.client, socket, sys
        class Unix(http.client.HTTPConnection):
            def connect(self):
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(sys.argv[1])
        connection = Unix("localhost", timeout=600)
        connection.request("POST", "/v1/chat/completions", body=open(sys.argv[2], "rb").read(), headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        print(response.status)
        print(response.read().decode())
        """.write(to: client, atomically: true, encoding: .utf8)
        let body = folder.appendingPathComponent("request.json")
        try reviewRequest.write(to: body, atomically: true, encoding: .utf8)
        let finished = try ChildProcess.runToEnd(URL(fileURLWithPath: Shell.which("python3")!), [client.path, socket.path, body.path])
        let lines = String(decoding: finished.output, as: UTF8.self).split(separator: "\n", maxSplits: 1).map(String.init)
        return (Int(lines.first ?? "") ?? 0, lines.count > 1 ? lines[1] : "")
    }

    @Test(.enabled(if: ready, "needs `starling setup --llm` (llama-server and the 0.5B model) and python3"))
    func adapterGetsAToolCallWithSchemaShapedArgumentsFromLlamaServer() async throws {
        let root = try TemporaryFolder("aideml-proxy-llm").url
        let controller = LlamaServerController(
            binary: Self.installation.serverBinary, stateFile: root.appendingPathComponent("server.json"),
            logFile: root.appendingPathComponent("server.log"))
        let state = try await controller.start(modelFile: Self.model!.file(in: .resolve()), name: Self.model!.name,
                                               options: LlamaServerOptions(contextSize: 4096, threads: 1))
        // The proxy is stdlib-only Python; any python3 runs it.
        let runner = AidemlCellRunner(python: URL(fileURLWithPath: Shell.which("python3")!), sandbox: try await Sandbox.probing(),
                                      tasks: [:], budgetSeconds: 60, settings: .init(), modelName: Self.model!.name, upstream: { state.baseURL })
        var replies: [String: (Int, String)] = [:]
        do {
        for mode in ["passthrough", "adapter"] {
            let socket = URL(fileURLWithPath: "/tmp/starling-proxy-test-\(UUID().uuidString.prefix(8)).sock")
            let log = root.appendingPathComponent("\(mode).jsonl")
            let proxy = try await runner.startProxy(script: try AidemlCellRunner.resource("aideml_proxy"), socket: socket,
                                                    upstream: state.baseURL, mode: mode, log: log,
                                                    output: root.appendingPathComponent("\(mode).log"))
            replies[mode] = try Self.post(to: socket, in: root)
            proxy.kill()
            try? FileManager.default.removeItem(at: socket)
            let calls = AidemlCellRunner.calls(log)
            #expect(calls.count == 1)
            #expect((calls.first?.rewritten_tool != nil) == (mode == "adapter"))
        }
        } catch {
            await controller.stop()
            throw error
        }
        await controller.stop()

        // Unchanged, llama-server does not answer with a usable submit_review call.
        let (plainStatus, plainBody) = try #require(replies["passthrough"])
        let plain = try? JSONSerialization.jsonObject(with: Data(plainBody.utf8)) as? [String: Any]
        let plainCall = ((plain?["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["tool_calls"] as? [[String: Any]]
        let plainArguments = ((plainCall?.first?["function"] as? [String: Any])?["arguments"] as? String)
            .flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(plainStatus != 200 || plainArguments?["is_bug"] == nil, "llama-server now answers forced tool calls: \(plainBody.prefix(400))")

        // Through the adapter: a submit_review tool call whose arguments have the schema's fields.
        let (status, body) = try #require(replies["adapter"])
        #expect(status == 200, "\(body.prefix(400))")
        let reply = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let choice = try #require((reply["choices"] as? [[String: Any]])?.first)
        #expect(choice["finish_reason"] as? String == "tool_calls")
        let call = try #require(((choice["message"] as? [String: Any])?["tool_calls"] as? [[String: Any]])?.first)
        let function = try #require(call["function"] as? [String: Any])
        #expect(function["name"] as? String == "submit_review")
        let arguments = try #require(try JSONSerialization.jsonObject(with: Data((function["arguments"] as? String ?? "").utf8)) as? [String: Any])
        #expect(arguments["is_bug"] is Bool && arguments["lower_is_better"] is Bool && arguments["summary"] is String)
        #expect(arguments["metric"] is NSNumber)
    }
}
