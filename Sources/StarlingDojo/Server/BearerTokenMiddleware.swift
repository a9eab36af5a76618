import Hummingbird

/// Refuses every request that does not carry `Authorization: Bearer <token>` when the server
/// has a token (see ``DojoAccess``), with a 401 JSON error that says how to send it.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let access: DojoAccess

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let header = request.headers[.authorization]
        guard access.allows(authorization: header) else {
            let what = header == nil ? "no Authorization header" : "a wrong token"
            throw DojoError(.unauthorized, "this server needs a token and the request had \(what); send the header 'Authorization: Bearer <token>' with the token `starling serve` printed at start (or passed with --token)")
        }
        return try await next(request, context)
    }
}
