import Foundation
import Hummingbird

/// A request the gym server refuses, answered with its HTTP status and a JSON body
/// `{"error": {"code": ..., "message": ...}}` whose message says what to change.
package struct DojoError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable error categories; each maps to one HTTP status.
    package enum Code: String, Sendable, Hashable, Codable {
        /// The body is not JSON, or a field is missing or of the wrong type (400).
        case badRequest = "bad_request"
        /// `action` names no known action (400).
        case unknownAction = "unknown_action"
        /// A parameter the action needs is missing or unusable (400).
        case badParams = "bad_params"
        /// An option of `POST /envs` is unknown or out of range (400).
        case badOption = "bad_option"
        /// No task with that id (404).
        case unknownTask = "unknown_task"
        /// No environment with that id, or it expired (404).
        case unknownEnvironment = "unknown_environment"
        /// No such endpoint (404).
        case notFound = "not_found"
        /// The environment is running another step, or its episode is over (409).
        case conflict = "conflict"
        /// The server needs a bearer token and the request had none or a wrong one (401).
        case unauthorized = "unauthorized"
        /// The body is larger than the server accepts (413).
        case tooLarge = "body_too_large"
        /// The server holds as many environments as it may (429).
        case tooManyEnvironments = "too_many_environments"
        /// The task is not prepared, or its files are broken (422).
        case taskUnavailable = "task_unavailable"
        /// Something failed inside the server (500).
        case internalError = "internal_error"

        /// The HTTP status for the code.
        package var status: HTTPResponse.Status {
            switch self {
            case .badRequest, .unknownAction, .badParams, .badOption: .badRequest
            case .unknownTask, .unknownEnvironment, .notFound: .notFound
            case .unauthorized: .unauthorized
            case .conflict: .conflict
            case .tooLarge: .contentTooLarge
            case .tooManyEnvironments: .tooManyRequests
            case .taskUnavailable: .unprocessableContent
            case .internalError: .internalServerError
            }
        }
    }

    /// The category.
    package var code: Code
    /// What is wrong and what to send instead.
    package var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The category, which fixes the HTTP status.
    ///   - message: What to fix.
    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { "\(code.rawValue): \(message)" }
}

extension DojoError: HTTPResponseError {
    /// The HTTP status of the error's code.
    package var status: HTTPResponse.Status { code.status }

    /// The JSON error body; a 401 also names the scheme it wants (`WWW-Authenticate: Bearer`).
    package func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(["error": ["code": code.rawValue, "message": message]], status: status)
        if code == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }
}
