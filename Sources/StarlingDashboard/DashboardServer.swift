import Foundation
import Hummingbird
import Logging
import NIOCore
import StarlingBench

/// `starling dashboard [RUNS_DIR]` and `starling run … --serve`: a page per run that follows it
/// while it works (the report's sections from `/api/state`, refreshed once a second), a node's
/// prompt, reply, code, log and diffs (`/api/node`, `/api/diff`), and two runs side by side
/// (`/compare`). It reads run folders and writes nothing.
package struct DashboardServer: Sendable {
    /// What it reads.
    package let data: DashboardData
    package let host: String
    package let port: Int

    package init(root: URL, tasks: TaskStore, host: String = "127.0.0.1", port: Int = 8765) {
        data = DashboardData(root: root, tasks: tasks)
        self.host = host
        self.port = port
    }

    /// Serves until the calling task is cancelled.
    ///
    /// - Parameter onRunning: Called with the bound port once it accepts connections.
    package func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        var logger = Logger(label: "starling.dashboard")
        logger.logLevel = .warning
        let app = Application(router: router(), configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "starling-dashboard"),
                              onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) }, logger: logger)
        do {
            try await app.run()
        } catch is CancellationError {
            // Stopped by the caller.
        }
    }

    /// Every route.
    package func router() -> Router<BasicRequestContext> {
        let router = Router()
        let data = self.data
        router.get("/") { _, _ in Self.html(DashboardPages.index(data)) }
        router.get("/run") { request, _ in
            // The page is served before the run's journal exists (`run --serve`): it polls until it does.
            guard let run = request.uri.queryParameters["run"].map(String.init) else { return Self.error(400, "/run needs ?run=ID (the list at / names the runs)") }
            return Self.html(DashboardPages.run(run))
        }
        router.get("/compare") { request, _ in
            let query = request.uri.queryParameters
            guard let a = query["a"].map(String.init), let b = query["b"].map(String.init) else { return Self.error(400, "/compare needs ?a=RUN&b=RUN") }
            return Self.html(DashboardPages.compare(a, b))
        }
        router.get("/api/runs") { _, _ in Self.json(data.runs()) }
        router.get("/api/state") { request, _ in
            Self.answer { try data.state(try Self.text("run", request)) }
        }
        router.get("/api/node") { request, _ in
            Self.answer { try data.node(try Self.text("run", request), try Self.number("node", request)) }
        }
        router.get("/api/diff") { request, _ in
            Self.answer {
                let run = try Self.text("run", request)
                let other = request.uri.queryParameters["other"].map(String.init) ?? run
                return ["html": try data.diff((other, try Self.number("a", request)), (run, try Self.number("b", request)))]
            }
        }
        return router
    }

    static func text(_ name: String, _ request: Request) throws -> String {
        guard let value = request.uri.queryParameters[Substring(name)], !value.isEmpty else {
            throw DashboardError(status: 400, "the query needs \(name)=…")
        }
        return String(value)
    }

    static func number(_ name: String, _ request: Request) throws -> Int {
        guard let value = Int(try text(name, request)) else { throw DashboardError(status: 400, "\(name) must be a node number") }
        return value
    }

    static func answer<T: Encodable>(_ body: () throws -> T) -> Response {
        do {
            return json(try body())
        } catch let error as DashboardError {
            return Self.error(error.status, error.message)
        } catch {
            return Self.error(500, "\(error)")
        }
    }

    static func json<T: Encodable>(_ value: T) -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func html(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func error(_ status: Int, _ message: String) -> Response {
        let data = (try? JSONEncoder().encode(["error": message])) ?? Data()
        return Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
