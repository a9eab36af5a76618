import Foundation
import StarlingCore

/// One action of `POST /envs/{id}/step`, parsed from `{"action": NAME, "params": {...}}`.
///
/// | action | params | does |
/// | --- | --- | --- |
/// | `request_info` | `info_type` (``InfoType``) | returns task information; reward 0 |
/// | `validate_code` | `code` | runs the script, reports stages and whether its submission is valid, keeps no submission and shows no score; reward 0 |
/// | `execute_code` | `code` | runs the script and grades its submission on the hidden dev rows; rewarded |
/// | `get_history` | none | the episode's steps so far; reward 0 |
/// | `reset` | none | abandons the episode (no test grading) and starts a new one |
/// | `submit` | `step` (optional) | Starling's addition: ends the episode (`terminated`) and grades the submission of that `execute_code` step, or of the best one, on the real test set |
package enum DojoAction: Sendable, Hashable {
    /// `request_info`: task information of one kind.
    case requestInfo(InfoType)
    /// `validate_code`: run a script and check its submission, without scoring or keeping it.
    case validateCode(String)
    /// `execute_code`: run a script and grade its submission on the hidden dev rows.
    case executeCode(String)
    /// `get_history`: the episode's steps so far.
    case getHistory
    /// `reset`: abandon the episode and start the next.
    case reset
    /// `submit`: end the episode and grade a submission (the best when `step` is `nil`) on the real test set.
    case submit(step: Int?)

    /// Every action name.
    package static let names = ["request_info", "validate_code", "execute_code", "get_history", "reset", "submit"]

    /// The action's wire name.
    package var name: String {
        switch self {
        case .requestInfo: "request_info"
        case .validateCode: "validate_code"
        case .executeCode: "execute_code"
        case .getHistory: "get_history"
        case .reset: "reset"
        case .submit: "submit"
        }
    }

    /// The parameters as sent, for the history and trajectory records.
    package var params: JSONValue {
        switch self {
        case .requestInfo(let type): .object(["info_type": .string(type.rawValue)])
        case .validateCode(let code), .executeCode(let code): .object(["code": .string(code)])
        case .getHistory, .reset: .object([:])
        case .submit(let step): .object(step.map { ["step": .number(Double($0))] } ?? [:])
        }
    }

    /// Parses a step request.
    ///
    /// - Parameter body: The request body.
    /// - Returns: The action.
    /// - Throws: ``DojoError`` (`bad_request`, `unknown_action`, `bad_params`) saying what to send.
    package static func parse(_ body: JSONValue) throws -> DojoAction {
        let (name, params) = try envelope(body)
        func allow(_ keys: Set<String>) throws {
            for key in params.keys.sorted() where !keys.contains(key) {
                let takes = keys.isEmpty ? "takes no params" : "takes \(keys.sorted().joined(separator: ", "))"
                throw DojoError(.badParams, "\(name) does not take '\(key)'; it \(takes)")
            }
        }
        func code() throws -> String {
            try allow(["code"])
            guard let value = params["code"] else {
                throw DojoError(.badParams, "\(name) needs params.code: the Python script as a string")
            }
            guard let text = value.string else { throw DojoError(.badParams, "params.code must be a string, not \(value.typeName)") }
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw DojoError(.badParams, "params.code is empty; send the Python script to run")
            }
            return text
        }
        switch name {
        case "request_info":
            try allow(["info_type"])
            guard let value = params["info_type"] else {
                throw DojoError(.badParams, "request_info needs params.info_type, one of \(InfoType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let text = value.string, let type = InfoType(rawValue: text) else {
                throw DojoError(.badParams, "unknown info_type \(EnvironmentOptions.describe(value)); use one of \(InfoType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .requestInfo(type)
        case "validate_code": return .validateCode(try code())
        case "execute_code": return .executeCode(try code())
        case "get_history":
            try allow([])
            return .getHistory
        case "reset":
            try allow([])
            return .reset
        case "submit":
            try allow(["step"])
            guard let value = params["step"], !value.isNull else { return .submit(step: nil) }
            guard let number = value.number, number == number.rounded(), number >= 1, number < 1e9 else {
                throw DojoError(.badParams, "params.step must be the number of an execute_code step of this episode, not \(EnvironmentOptions.describe(value))")
            }
            return .submit(step: Int(number))
        default:
            throw DojoError(.unknownAction, "unknown action '\(name.prefix(60))'; actions are \(names.joined(separator: ", "))")
        }
    }

    /// The action's name and params from a step body `{"action": NAME, "params": {...}}`.
    ///
    /// - Throws: ``DojoError`` for another shape, an unknown member or params that are not an object.
    static func envelope(_ body: JSONValue) throws -> (name: String, params: [String: JSONValue]) {
        guard let object = body.object else {
            throw DojoError(.badRequest, "the body must be a JSON object {\"action\": NAME, \"params\": {...}}, not \(body.typeName)")
        }
        for key in object.keys where key != "action" && key != "params" {
            throw DojoError(.badRequest, "unknown member '\(key)'; a step is {\"action\": NAME, \"params\": {...}}")
        }
        guard let name = object["action"]?.string else {
            throw DojoError(.badRequest, "missing \"action\"; send one of \(names.joined(separator: ", "))")
        }
        let params: [String: JSONValue]
        switch object["params"] {
        case nil, .null?: params = [:]
        case .object(let members)?: params = members
        case let other?: throw DojoError(.badParams, "params must be an object, not \(other.typeName)")
        }
        return (name, params)
    }
}
