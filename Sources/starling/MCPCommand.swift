import ArgumentParser
import Foundation
import MCP
import StarlingMCP

/// `starling mcp`: Starling's tasks, sandbox, grading and runs as an MCP server for other agents.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve Starling's tasks, sandbox, grading and runs to other agents over the Model Context Protocol (stdio).",
        discussion: """
            Tools: list_tasks, describe_task, run_python, validate_submission, score_dev, grade_final, \
            check_leakage, start_run, run_status, stop_run, report. Resources: starling://task/ID and \
            starling://run/ID/report. Register it with a client as a stdio server whose command is this \
            executable and whose arguments are ["mcp"] (the README's "MCP server" section has the JSON). \
            Standard output carries the protocol; what Starling says goes to standard error.
            """
    )

    @Option(name: .customLong("work-dir"), help: "Folder for the session's task views, scripts, checks and runs (default: runs/mcp-<time>).")
    var workDir: String?

    @Option(name: .customLong("final-grades"), help: "Grades on the real test rows a session may ask for (grade_final).")
    var finalGrades = 6

    @Option(name: .customLong("script-timeout"), help: "The longest a run_python script may take, e.g. 90s or 10m.")
    var scriptTimeout = "10m"

    @Option(name: .customLong("script-memory-mb"), help: "Each script's memory limit in MiB.")
    var scriptMemoryMB = 8192

    @Option(help: "Serve MCP's streamable HTTP at http://HOST:PORT/mcp instead of stdio (0 picks a free port).")
    var http: Int?

    @Option(help: "Address to bind with --http; keep 127.0.0.1 unless the port is firewalled. Any other address needs a token.")
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("With --http: the bearer token every request must carry (else STARLING_MCP_TOKEN). Off the loopback one is generated and printed when none is given.",
                               valueName: "token"))
    var token: String?

    @OptionGroup var location: TaskLocation

    func validate() throws {
        guard finalGrades >= 0 else { throw ValidationError("--final-grades must be 0 or more") }
        guard scriptMemoryMB >= 64 else { throw ValidationError("--script-memory-mb must be at least 64") }
        if let http, !(0...65535).contains(http) { throw ValidationError("--http must be a port between 0 and 65535") }
    }

    func run() async throws {
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let root = URL(fileURLWithPath: workDir ?? "runs/mcp-\(stamp)").standardizedFileURL
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var options = MCPSession.Options(root: root, tasksDir: location.tasksDir, executable: executable)
        options.finalGradeLimit = finalGrades
        options.scriptTimeoutSeconds = try RunCommand.parseDuration(scriptTimeout)
        options.scriptMemoryMB = scriptMemoryMB
        let session = MCPSession(options: options)
        guard let http else {
            FileHandle.standardError.write(Data("starling mcp: serving on stdio; the session's files go to \(root.path)\n".utf8))
            try await StarlingMCPServer.serve(session, on: StdioTransport())
            return
        }
        let token = self.token ?? ProcessInfo.processInfo.environment["STARLING_MCP_TOKEN"]
        let host = self.host
        try await MCPHTTPServer.serve(session, host: host, port: http, token: token) { port, token in
            var line = "starling mcp: serving MCP's streamable HTTP at http://\(host):\(port)/mcp; the session's files go to \(root.path)"
            if let token { line += "\ntoken: \(token)  (clients send 'Authorization: Bearer <token>')" }
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
    }
}
