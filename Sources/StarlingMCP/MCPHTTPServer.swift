import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MCP
import NIOCore
import StarlingDojo

/// `starling mcp --http PORT`: the same server over MCP's streamable HTTP at `/mcp` (one client
/// session per server, as over stdio). Every request must carry `Authorization: Bearer TOKEN`
/// when the server has a token: always off the loopback (one is generated and printed when none
/// is given), and on the loopback when one is given.
package enum MCPHTTPServer {
    /// The largest request body, in bytes (a `run_python` script with its CSV text fits easily).
    static let maxBodyBytes = 16 << 20

    /// Serves `session` at `http://host:port/mcp` until the calling task is cancelled.
    ///
    /// - Parameters:
    ///   - onRunning: Called with the bound port and the token clients must send (`nil`: none).
    package static func serve(_ session: MCPSession, host: String, port: Int, token: String?,
                              onRunning: @escaping @Sendable (Int, String?) async -> Void) async throws {
        let access = DojoAccess.resolve(host: host, token: token)
        let validators: [any HTTPRequestValidator] = [
            // Off the loopback the token is the guard; on it, DNS rebinding is (the SDK's default).
            DojoAccess.isLoopback(host) ? OriginValidator.localhost() : OriginValidator.disabled,
            AcceptHeaderValidator(mode: .sseRequired), ContentTypeValidator(), ProtocolVersionValidator(), SessionValidator(),
        ]
        let transport = StatefulHTTPServerTransport(validationPipeline: StandardValidationPipeline(validators: validators))
        let router = Router()
        // POST carries messages, GET opens the server's stream, DELETE ends the session.
        for method in [HTTPRequest.Method.post, .get, .delete] {
            router.on("/mcp", method: method) { request, context in try await forward(request, context: context, to: transport, access: access) }
        }
        var logger = Logger(label: "starling.mcp")
        logger.logLevel = .warning
        let app = Application(router: router, configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "starling-mcp"),
                              onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0, access.token) }, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await StarlingMCPServer.serve(session, on: transport) }
            group.addTask { try await app.run() }
            try await group.next()
            group.cancelAll()
        }
    }

    /// One HTTP request through the token check and into the MCP transport.
    static func forward(_ request: Request, context: BasicRequestContext, to transport: StatefulHTTPServerTransport,
                        access: DojoAccess) async throws -> Response {
        guard access.allows(authorization: request.headers[.authorization]) else {
            let what = request.headers[.authorization] == nil ? "no Authorization header" : "a wrong token"
            let body = #"{"error":"this server needs a token and the request had \#(what); send 'Authorization: Bearer <token>' with the token `starling mcp --http` printed (or --token)"}"#
            return Response(status: .unauthorized, headers: [.contentType: "application/json", .wwwAuthenticate: "Bearer"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let buffer = try await request.body.collect(upTo: maxBodyBytes)
        let body = buffer.readableBytes > 0 ? Data(buffer.readableBytesView) : nil
        let answer = await transport.handleRequest(MCP.HTTPRequest(method: request.method.rawValue, headers: headers, body: body, path: request.uri.path))
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        let status = HTTPTypes.HTTPResponse.Status(code: answer.statusCode)
        if case .stream(let stream, _) = answer {
            let bytes = stream.map { ByteBuffer(bytes: $0) }
            return Response(status: status, headers: fields, body: ResponseBody(asyncSequence: bytes))
        }
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.bodyData ?? Data())))
    }
}
