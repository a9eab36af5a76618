import Foundation
import Hummingbird

/// Turns every error into a JSON body `{"error": {"code", "message"}}` with a status that says
/// whose fault it was, including the router's own 404 and the body-size limit's 413.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let limits: DojoLimits

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as DojoError {
            return try error.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            return try translate(error, request: request).response(from: request, context: context)
        } catch {
            return try DojoError(.internalError, "the server failed: \(error)").response(from: request, context: context)
        }
    }

    private func translate(_ error: any HTTPResponseError, request: Request) -> DojoError {
        switch error.status {
        case .notFound:
            return DojoError(.notFound, "no endpoint \(request.method) \(request.uri.path); endpoints are GET /health, GET /tasks, POST /envs, GET /envs, GET /envs/{id}, POST /envs/{id}/step, DELETE /envs/{id}, POST /validate")
        case .contentTooLarge:
            return DojoError(.tooLarge, "the request body is larger than this server accepts: JSON requests up to \(limits.maxJSONBodyBytes) bytes, /validate uploads up to \(limits.maxUploadBytes) bytes; send less (a script, not data)")
        default:
            return DojoError(error.status.code < 500 ? .badRequest : .internalError, "\(error.status.code) \(error.status.reasonPhrase): \(error)")
        }
    }
}
