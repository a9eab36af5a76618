import Foundation
import MCP

/// `starling mcp`: an MCP server over a ``MCPSession``. Tools (``MCPTools``) and resources: each
/// task's description (`starling://task/ID`) and the report of each run the session started
/// (`starling://run/ID/report`).
package enum StarlingMCPServer {
    /// The server's name in the protocol's handshake.
    static let name = "starling"

    /// What the server says of itself to a client at the handshake.
    static func instructions(finalGradeLimit: Int) -> String {
        "Offline Kaggle-style ML tasks with sandboxed execution and faithful grading. Start with list_tasks and describe_task; "
            + "run scripts with run_python (they see the agent view as input/ and write submission/submission.csv); "
            + "compare scripts with score_dev on the hidden dev rows; grade_final grades the real test rows at most "
            + "\(finalGradeLimit) times per session. start_run runs Starling's own agent in the background."
    }

    /// Serves `session` on `transport` until the client goes away, then stops the session's runs.
    package static func serve(_ session: MCPSession, on transport: any Transport) async throws {
        let limit = session.options.finalGradeLimit
        let server = Server(name: name, version: "0.1", title: "Starling", instructions: instructions(finalGradeLimit: limit),
                            capabilities: .init(resources: .init(subscribe: false, listChanged: false), tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in .init(tools: MCPTools.list(finalGradeLimit: limit)) }
        await server.withMethodHandler(CallTool.self) { params in
            try await MCPTools.call(params.name, params.arguments ?? [:], session: session)
        }
        await server.withMethodHandler(ListResources.self) { _ in
            .init(resources: await resources(of: session), nextCursor: nil)
        }
        await server.withMethodHandler(ReadResource.self) { params in
            .init(contents: [try await read(params.uri, session: session)])
        }
        try await server.start(transport: transport)
        await server.waitUntilCompleted()
        await session.stopAllRuns()
    }

    static func resources(of session: MCPSession) async -> [Resource] {
        let tasks = await session.listTasks().tasks.map {
            Resource(name: "\($0.id): \($0.name)", uri: "starling://task/\($0.id)", description: "The task's description (\($0.metric), \($0.direction) is better)",
                     mimeType: "text/markdown")
        }
        let runs = session.runs.ids.map {
            Resource(name: "run \($0)", uri: "starling://run/\($0)/report", description: "The run's report (HTML, self-contained)", mimeType: "text/html")
        }
        return tasks + runs
    }

    static func read(_ uri: String, session: MCPSession) async throws -> Resource.Content {
        let parts = uri.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        do {
            if uri.hasPrefix("starling://task/"), parts.count == 3 {
                let text = try await session.taskText(parts[2])
                return .text(text, uri: uri, mimeType: "text/markdown")
            }
            if uri.hasPrefix("starling://run/"), parts.count == 4, parts[3] == "report" {
                let answer = try await session.report(parts[2])
                return .text(try String(contentsOfFile: answer.report, encoding: .utf8), uri: uri, mimeType: "text/html")
            }
        } catch let error as MCPSessionError {
            throw MCPError.invalidParams(error.message)
        }
        throw MCPError.invalidParams("no resource \(uri): resources are starling://task/ID and starling://run/ID/report (resources/list names them)")
    }
}
