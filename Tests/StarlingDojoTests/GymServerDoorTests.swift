import Foundation
import StarlingBench
import StarlingCore
import StarlingTestSupport
import Testing
@testable import StarlingDojo

/// The gym server's door, fuzzed over real HTTP: malformed and mistyped JSON, oversized bodies,
/// unknown actions and endpoints, wrong environment ids, broken uploads and concurrent steps on
/// one environment. Every answer must be JSON with a sensible status (an error a client can act
/// on, never a 5xx), and the server must still answer afterwards.
@Suite(.serialized) struct GymServerDoorTests {
    static let limits = DojoLimits(maxEnvironments: 4, maxSteps: 100_000, maxJSONBodyBytes: 4096, maxUploadBytes: 8192)

    @Test func everyRequestGetsAJSONAnswerAndTheServerSurvives() async throws {
        let live = try await LiveServer.start(limits: Self.limits)
        defer { Task { await live.stop() } }
        let http = HTTP(base: live.baseURL)
        let fuzzer = try await GymFuzzer(http: http)
        var door = FuzzDoor("gym-server", seed: 0x6D0_1E, defaultCount: 320, deadline: 60)
        for index in 0..<door.count {
            var random = door.generator(for: index)
            let request = fuzzer.request(&random, index: index)
            guard let outcome = await door.withDeadline({ await fuzzer.send(request) }) else {
                door.recordHang(index, label: request.label)
                continue
            }
            door.record(index, outcome, label: request.label)
            if index % 20 == 19, (try? await http.get("/health"))?.status != 200 {
                door.record(index, .wrong("the server stopped answering /health"), label: "health after \(request.label)")
            }
        }
        let health = try await http.get("/health")
        print(door.summary)
        #expect(health.status == 200, "the server must still answer after the fuzzing")
        #expect(door.failures.isEmpty, "\(door.failures.joined(separator: "\n"))")
        #expect(door.hangs == 0 && door.cases == door.count)
        #expect(door.clearErrors > door.count / 3 && door.handled > 10, "the cases must reach both refusals and answers: \(door.summary)")
    }
}

/// Makes and sends the fuzzed requests; one long-lived environment takes the steps.
struct GymFuzzer: Sendable {
    let http: HTTP
    let environment: String

    /// One request and the statuses a correct server may answer it with.
    struct Request: Sendable {
        var label: String
        var method: String
        var path: String
        var body: Data?
        var contentType: String? = "application/json"
        var allowed: Set<Int>
        /// Sent this many times at once (steps racing on one environment).
        var concurrent = 1
    }

    init(http: HTTP) async throws {
        self.http = http
        let (id, answer) = try await http.makeEnvironment(["max_steps": .number(100_000)])
        guard answer.status == 201 else { throw DojoError(.internalError, "the fuzz environment was not made: \(answer.json)") }
        environment = id
    }

    func request(_ random: inout SeededGenerator, index: Int) -> Request {
        switch random.int(0...8) {
        case 0: return malformedJSON(&random, path: random.chance(0.5) ? "/envs" : "/envs/\(environment)/step")
        case 1: return mistypedEnvironment(&random)
        case 2: return oversized(&random)
        case 3: return randomStep(&random)
        case 4: return wrongSession(&random)
        case 5: return unknownEndpoint(&random)
        case 6: return brokenUpload(&random)
        case 7: return concurrentSteps(&random, withCode: index % 40 == 7)
        default: return randomStep(&random)
        }
    }

    func malformedJSON(_ random: inout SeededGenerator, path: String) -> Request {
        let valid = path == "/envs" ? #"{"task": "toy", "options": {"max_steps": 5}}"# : #"{"action": "request_info", "params": {"info_type": "name"}}"#
        let body = random.chance(0.2) ? Data() : random.mangled(Data(valid.utf8))
        // A mangled body may still be valid JSON (a flipped byte inside a string): then 200/201 is right.
        return Request(label: "malformed JSON to \(path)", method: "POST", path: path, body: body,
                       contentType: random.pick(["application/json", "text/plain", "application/octet-stream"]), allowed: [200, 201, 400, 404, 409, 429])
    }

    func mistypedEnvironment(_ random: inout SeededGenerator) -> Request {
        let values: [JSONValue] = [.null, .bool(true), .number(-1), .number(1e300), .number(0.5), .string(random.nastyText()), .array([.number(1)]),
                                   .object(["max_steps": .string("many")]), .object(["score_mode": .string("best")]), .object([random.nastyText(maxLength: 8): .number(1)]),
                                   .object(["seed": .number(-3)]), .object(["execution_timeout": .number(1e12)]), .string("toy")]
        var object: [String: JSONValue] = [:]
        if random.chance(0.8) { object["task"] = random.chance(0.3) ? .string("toy") : random.pick(values) }
        if random.chance(0.7) { object["options"] = random.pick(values) }
        if random.chance(0.2) { object[random.nastyText(maxLength: 6)] = random.pick(values) }
        let body: JSONValue = random.chance(0.1) ? random.pick(values) : .object(object)
        return Request(label: "POST /envs \(body)".prefix(120).description, method: "POST", path: "/envs",
                       body: try? JSONEncoder().encode(body), allowed: [201, 400, 404, 429])
    }

    func oversized(_ random: inout SeededGenerator) -> Request {
        let size = random.pick([4097, 9000, 70_000, 1 << 20])
        let code = String(repeating: "x = 1\n", count: size / 6 + 1)
        let body = Data(#"{"action": "validate_code", "params": {"code": "\#(code)"}}"#.utf8)
        let path = random.pick(["/envs", "/envs/\(environment)/step", "/validate"])
        return Request(label: "oversized \(body.count) bytes to \(path)", method: "POST", path: path, body: body,
                       allowed: path == "/validate" ? [400, 413] : [413])
    }

    func randomStep(_ random: inout SeededGenerator) -> Request {
        let actions = ["request_info", "get_history", "reset", "Request_Info", "execute", "", random.nastyText(maxLength: 12), "submit_code", "step"]
        let params: [JSONValue] = [.null, .object([:]), .object(["info_type": .string(random.pick(InfoType.allCases.map(\.rawValue)))]),
                                   .object(["info_type": .string(random.nastyText())]), .object(["info_type": .number(3)]), .string("x"),
                                   .object(["code": .number(1)]), .object(["step": .number(1e30)]), .array([])]
        var object: [String: JSONValue] = ["action": random.chance(0.9) ? .string(random.pick(actions)) : .number(7)]
        if random.chance(0.8) { object["params"] = random.pick(params) }
        if random.chance(0.1) { object["extra"] = .bool(true) }
        return Request(label: "step \(JSONValue.object(object))".prefix(120).description, method: "POST", path: "/envs/\(environment)/step",
                       body: try? JSONEncoder().encode(JSONValue.object(object)), allowed: [200, 400])
    }

    func wrongSession(_ random: inout SeededGenerator) -> Request {
        // Never empty: `/envs/` is the list of environments, a right answer of its own.
        let id = random.pick([UUID().uuidString, "0", String(repeating: "a", count: 300), "x" + random.nastyText(maxLength: 20), environment + "x"])
        let escaped = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "x"
        let (method, suffix) = random.pick([("GET", ""), ("DELETE", ""), ("POST", "/step")])
        return Request(label: "\(method) wrong env \(id.prefix(30))", method: method, path: "/envs/\(escaped)\(suffix)",
                       body: method == "POST" ? Data(#"{"action": "get_history"}"#.utf8) : nil, allowed: [404])
    }

    func unknownEndpoint(_ random: inout SeededGenerator) -> Request {
        let method = random.pick(["GET", "PUT", "PATCH", "DELETE", "POST"])
        let path = random.pick(["/", "/env", "/envs/\(environment)/steps", "/tasks/toy", "/health/x", "/validate/x",
                                "/" + (random.nastyText(maxLength: 10).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")])
        return Request(label: "\(method) \(path)", method: method, path: path, body: method == "GET" ? nil : Data("{}".utf8),
                       allowed: [404, 405])
    }

    func brokenUpload(_ random: inout SeededGenerator) -> Request {
        let boundary = "b\(random.int(0...999))"
        var form = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(random.pick(["file", "task", "fil", ""]))\"; filename=\"s.csv\"\r\n\r\nid,y\n200,1\r\n--\(boundary)--\r\n"
        if random.chance(0.6) { form = String(decoding: random.mangled(Data(form.utf8)), as: UTF8.self) }
        let type = random.pick(["multipart/form-data; boundary=\(boundary)", "multipart/form-data", "application/json", "multipart/form-data; boundary=zz"])
        return Request(label: "upload \(type)", method: "POST", path: "/validate" + random.pick(["", "?task=toy", "?task=nope", "?env=nope"]),
                       body: Data(form.utf8), contentType: type, allowed: [200, 400, 404, 422])
    }

    func concurrentSteps(_ random: inout SeededGenerator, withCode: Bool) -> Request {
        let body: JSONValue = withCode
            ? .object(["action": .string("validate_code"), "params": .object(["code": .string("print('hello')\n")])])
            : .object(["action": .string(random.pick(["get_history", "request_info"])), "params": .object(["info_type": .string("name")])])
        var params = body
        if case .object(var members) = body, members["action"] == .string("get_history") {
            members["params"] = .object([:])
            params = .object(members)
        }
        // Racing steps on one environment: each is answered, or refused as busy (409).
        return Request(label: "\(withCode ? 3 : 6) concurrent steps", method: "POST", path: "/envs/\(environment)/step",
                       body: try? JSONEncoder().encode(params), allowed: [200, 409], concurrent: withCode ? 3 : 6)
    }

    /// Sends `request` (its copies at once) and judges every answer.
    func send(_ request: Request) async -> FuzzDoor.Outcome {
        let answers = await withTaskGroup(of: Result<HTTPAnswer, any Error>.self) { group in
            for _ in 0..<request.concurrent {
                group.addTask {
                    do { return .success(try await http.send(request.method, request.path, body: request.body, contentType: request.contentType)) } catch {
                        return .failure(error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        var outcomes: [FuzzDoor.Outcome] = []
        for answer in answers {
            switch answer {
            case .failure(let error): return .wrong("no HTTP answer: \(error)")
            case .success(let answer): outcomes.append(Self.judge(answer, allowed: request.allowed))
            }
        }
        return outcomes.first { if case .wrong = $0 { true } else { false } } ?? outcomes.first ?? .wrong("no answer")
    }

    /// An answer is right when its status is one the request allows and it is JSON: an error
    /// body `{"error": {"code", "message"}}` for 4xx, and any object for 2xx.
    static func judge(_ answer: HTTPAnswer, allowed: Set<Int>) -> FuzzDoor.Outcome {
        guard allowed.contains(answer.status) else {
            return .wrong("status \(answer.status) (allowed \(allowed.sorted())): \(String(describing: answer.json).prefix(300))")
        }
        guard answer.contentType?.hasPrefix("application/json") == true else { return .wrong("content type \(answer.contentType ?? "none")") }
        if answer.status >= 400 {
            guard let code = answer.errorCode, !code.isEmpty, answer.errorMessage.count > 10 else {
                return .wrong("status \(answer.status) without a JSON error: \(String(describing: answer.json).prefix(300))")
            }
            return .clearError
        }
        return answer.json.object == nil ? .wrong("a 2xx answer that is not a JSON object") : .handled
    }
}
