import Foundation
import StarlingRuntime
import Testing
@testable import StarlingDojo

/// Episodes driven over real HTTP against a server started inside the test.
@Suite(.serialized) struct GymServerTests {
    @Test func episodeThroughEveryAction() async throws {
        let live = try await LiveServer.start()
        defer { Task { await live.stop() } }
        let http = HTTP(base: live.baseURL)

        let health = try await http.get("/health")
        #expect(health.status == 200)
        #expect(health.json == .object(["status": .string("running")]))
        let tasks = try await http.get("/tasks")
        #expect(tasks.json["tasks"]?.array?.first?["id"]?.string == ToyTask.id)

        let (env, created) = try await http.makeEnvironment(["max_steps": .number(30)])
        #expect(created.status == 201)
        #expect(created.json["observation"]?["action_status"]?.string == "SUCCESS")
        let briefing = created.json["observation"]?["feedback"]?.string ?? ""
        #expect(briefing.contains("submission/submission.csv") && briefing.contains("after 30 steps"), "the environment's text, filled: \(briefing)")
        #expect(!briefing.contains("{{"), "no placeholder left unfilled")
        #expect(created.contentType?.hasPrefix("application/json") == true)

        // request_info: every type answers, and `all` holds each of the others.
        for type in InfoType.allCases {
            let answer = try await http.step(env, "request_info", ["info_type": .string(type.rawValue)])
            #expect(answer.status == 200, "request_info \(type.rawValue)")
            #expect(answer.json["reward"]?.number == 0)
            #expect(answer.json["observation"]?["content"]?[type == .all ? "metadata" : type.rawValue] != nil)
        }
        let overview = try await http.step(env, "request_info", ["info_type": .string("overview")])
        #expect(overview.json["observation"]?["feedback"]?.string?.contains("Predict y") == true)
        let structure = try await http.step(env, "request_info", ["info_type": .string("data_structure")])
        let files = structure.json["observation"]?["content"]?["data_structure"]?.array?.compactMap { $0["path"]?.string } ?? []
        #expect(files.contains("input/train.csv") && files.contains("input/test.csv"))
        #expect(!files.contains { $0.contains("answers") })

        // validate_code: runs, says the submission is valid, keeps nothing, shows no score.
        let validated = try await http.code(env, "validate_code", ToyTask.solution)
        #expect(validated.json["observation"]?["action_status"]?.string == "SUCCESS")
        #expect(validated.json["reward"]?.number == 0)
        #expect(validated.json["info"]?["submission_valid"]?.bool == true)
        #expect(validated.json["info"]?["raw_score"] == nil)
        #expect(validated.json["observation"]?["current_raw_score"] == .null)
        let validatedStep = Int(validated.json["info"]?["step"]?.number ?? 0)
        let kept = live.root.appendingPathComponent("work/envs/\(env)/episodes/1/steps/\(validatedStep)/submission")
        #expect(!FileManager.default.fileExists(atPath: kept.path))

        // execute_code: graded on hidden dev rows; the reward is the partial-credit reward.
        let executed = try await http.code(env, "execute_code", ToyTask.solution)
        #expect(executed.status == 200)
        let info = try #require(executed.json["info"])
        let raw = try #require(info["raw_score"]?.number)
        #expect(raw > 0.7 && raw <= 1)
        let position = try #require(info["position_score"]?.number)
        #expect(abs(position - (raw - 0.5) / 0.5) < 1e-9)
        #expect(abs((executed.json["reward"]?.number ?? 0) - (0.5 + 0.5 * position)) < 1e-9)
        #expect(info["stages"]?["model_fitted"]?.bool == true)
        #expect(info["stage_details"]?["model_fitted"]?.string == "Threshold.fit")
        #expect(info["test_score"] == nil, "the real test score must stay hidden until the episode ends")
        #expect(executed.json["observation"]?["best_raw_score"]?.number == raw)
        #expect((info["duration_seconds"]?.number ?? 0) > 0)
        let executedStep = Int(info["step"]?.number ?? 0)

        // A failing script earns its stage credit.
        let failing = try await http.code(env, "execute_code", ToyTask.stageScripts[2].code)
        #expect(failing.json["observation"]?["action_status"]?.string == "FAILED")
        #expect(failing.json["reward"]?.number == 0.1)
        #expect(failing.json["observation"]?["feedback"]?.string?.contains("RuntimeError: stop") == true)
        #expect(failing.json["observation"]?["best_raw_score"]?.number == raw)

        // get_history lists the steps so far, code included.
        let history = try await http.step(env, "get_history")
        let steps = history.json["observation"]?["content"]?["steps"]?.array ?? []
        #expect(steps.count == executedStep + 1)
        #expect(steps.first { $0["step"]?.number == Double(executedStep) }?["raw_score"]?.number == raw)

        // submit ends the episode and reveals the real test score.
        let submitted = try await http.step(env, "submit")
        #expect(submitted.json["terminated"]?.bool == true)
        let final = try #require(submitted.json["info"]?["final"])
        #expect(final["valid_submission"]?.bool == true)
        #expect(final["step"]?.number == Double(executedStep))
        let testScore = try #require(final["test_score"]?.number)
        #expect(testScore > 0.6)
        let graded = live.root.appendingPathComponent("work/envs/\(env)/episodes/1/final/submission.csv")
        let rows = try String(contentsOf: graded, encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 61, "the final submission holds the 60 real test rows under their own ids")

        // After the end: information still works; acting does not.
        #expect(try await http.step(env, "get_history").status == 200)
        let late = try await http.code(env, "execute_code", ToyTask.solution)
        #expect(late.status == 409)
        #expect(late.errorMessage.contains("reset"))

        // reset starts episode 2 from step 0.
        let reset = try await http.step(env, "reset")
        #expect(reset.json["info"]?["episode"]?.number == 2)
        #expect(reset.json["info"]?["step"]?.number == 0)
        let fresh = try await http.step(env, "get_history")
        #expect(fresh.json["observation"]?["content"]?["steps"]?.array?.count == 0)
        #expect(fresh.json["observation"]?["best_raw_score"] == .null)

        let state = try await http.get("/envs/\(env)")
        #expect(state.json["episode"]?.number == 2)
        let deleted = try await http.send("DELETE", "/envs/\(env)")
        #expect(deleted.status == 200)
        #expect(deleted.json["closed"]?.bool == true)
        #expect(try await http.step(env, "get_history").status == 404)
        // The records stay for export; the data view and the secrets go.
        #expect(FileManager.default.fileExists(atPath: live.root.appendingPathComponent("work/envs/\(env)/steps.jsonl").path))
        #expect(!FileManager.default.fileExists(atPath: live.root.appendingPathComponent("work/envs/\(env)/view").path))
        #expect(!FileManager.default.fileExists(atPath: live.root.appendingPathComponent("work/secrets/\(env)").path))
    }

    @Test func partialCreditRisesWithEachStage() async throws {
        let live = try await LiveServer.start()
        defer { Task { await live.stop() } }
        let http = HTTP(base: live.baseURL)
        let (env, _) = try await http.makeEnvironment(["max_steps": .number(20)])
        var rewards: [Double] = []
        for script in ToyTask.stageScripts {
            let answer = try await http.code(env, "execute_code", script.code)
            let reward = try #require(answer.json["reward"]?.number, "\(script.name)")
            #expect(reward == script.credit, "\(script.name): \(answer.json["observation"]?["feedback"]?.string ?? "")")
            #expect(answer.json["info"]?["partial_credit"]?.number == script.credit, "\(script.name)")
            rewards.append(reward)
        }
        let syntax = try await http.code(env, "execute_code", ToyTask.stageScripts[0].code)
        #expect(syntax.json["info"]?["syntax_error"]?.string?.contains("SyntaxError") == true)
        let working = try await http.code(env, "execute_code", ToyTask.solution)
        rewards.append(try #require(working.json["reward"]?.number))
        #expect(rewards == rewards.sorted(), "rewards must not fall as a script gets further: \(rewards)")
        #expect(rewards.last! > 0.5)

        // Without partial credit a failing script earns nothing and a graded one its position.
        let (plain, _) = try await http.makeEnvironment(["partial_credit": .bool(false)])
        let failed = try await http.code(plain, "execute_code", ToyTask.stageScripts[4].code)
        #expect(failed.json["reward"]?.number == 0)
        #expect(failed.json["info"]?["partial_credit"]?.number == 0.3)
        let scored = try await http.code(plain, "execute_code", ToyTask.solution)
        #expect(scored.json["reward"]?.number == scored.json["info"]?["position_score"]?.number)

        // raw mode rewards the metric itself.
        let (raw, _) = try await http.makeEnvironment(["score_mode": .string("raw")])
        let rawAnswer = try await http.code(raw, "execute_code", ToyTask.solution)
        #expect(rawAnswer.json["reward"]?.number == rawAnswer.json["info"]?["raw_score"]?.number)
    }

    @Test func concurrentSessionsAreIsolated() async throws {
        let live = try await LiveServer.start()
        defer { Task { await live.stop() } }
        let http = HTTP(base: live.baseURL)
        let (first, _) = try await http.makeEnvironment(["reveal_test_score": .bool(true)])
        let (second, _) = try await http.makeEnvironment(["seed": .number(7)])
        #expect(first != second)

        // A script that looks for other sessions' secrets and the task's answers.
        let snoop = """
        import os, time
        time.sleep(3)
        for path in [\(String(reflecting: live.root.appendingPathComponent("work/secrets").path)), \(String(reflecting: live.root.appendingPathComponent("tasks/toy/prepared/private").path))]:
            found = []
            for folder, _, names in os.walk(path):
                found += [os.path.join(folder, n) for n in names]
            print("SEEN", path, len(found))
        """ + "\n" + ToyTask.solution
        async let a = http.code(first, "execute_code", snoop)
        async let b = http.code(second, "execute_code", ToyTask.solution)
        // While the first environment runs (its script sleeps first), a second step on it is refused.
        try await Task.sleep(for: .milliseconds(1000))
        let busy = try await http.step(first, "get_history")
        let (answerA, answerB) = try await (a, b)
        #expect(busy.status == 409)
        #expect(busy.errorCode == "conflict")
        #expect(busy.errorMessage.contains("one step at a time"))
        #expect(answerA.json["info"]?["submission_valid"]?.bool == true)
        #expect(answerB.json["info"]?["submission_valid"]?.bool == true)
        // reveal_test_score shows the real test score at once in the first environment only.
        #expect(answerA.json["info"]?["test_score"]?.number != nil)
        #expect(answerB.json["info"]?["test_score"] == nil)
        // Different seeds hide different dev rows, so the two environments' views differ.
        let viewA = try String(contentsOf: live.root.appendingPathComponent("work/envs/\(first)/view/train.csv"), encoding: .utf8)
        let viewB = try String(contentsOf: live.root.appendingPathComponent("work/envs/\(second)/view/train.csv"), encoding: .utf8)
        #expect(viewA != viewB)
        // Each session has its own work folder.
        #expect(FileManager.default.fileExists(atPath: ScriptWorkspace(live.root.appendingPathComponent("work/envs/\(first)/episodes/1/steps/1")).script.path))
        #expect(FileManager.default.fileExists(atPath: ScriptWorkspace(live.root.appendingPathComponent("work/envs/\(second)/episodes/1/steps/1")).script.path))
        if live.server.configuration.sandbox.isolation.usesNamespaces {
            let log = answerA.json["info"]?["log"]?.string ?? ""
            let output = try String(contentsOfFile: log, encoding: .utf8)
            #expect(output.contains("secrets 0"), "secrets must be covered: \(output.prefix(400))")
            #expect(output.contains("private 0"), "answers must be covered: \(output.prefix(400))")
        }
    }

    @Test func episodeIsTruncatedAtMaxSteps() async throws {
        let live = try await LiveServer.start()
        defer { Task { await live.stop() } }
        let http = HTTP(base: live.baseURL)
        let (env, _) = try await http.makeEnvironment(["max_steps": .number(2)])
        let first = try await http.code(env, "execute_code", ToyTask.solution)
        #expect(first.json["truncated"]?.bool == false)
        #expect(first.json["info"]?["steps_left"]?.number == 1)
        let last = try await http.step(env, "request_info", ["info_type": .string("name")])
        #expect(last.json["truncated"]?.bool == true)
        #expect(last.json["terminated"]?.bool == false)
        #expect(last.json["info"]?["final"]?["test_score"]?.number != nil, "the test score comes at the end of a truncated episode too")
        #expect(try await http.code(env, "execute_code", ToyTask.solution).status == 409)
    }

    @Test func badRequestsGetJSONErrorsThatSayWhatToFix() async throws {
        let live = try await LiveServer.start(limits: DojoLimits(maxEnvironments: 2, maxJSONBodyBytes: 4096, maxUploadBytes: 4096))
        defer { Task { await live.stop() } }
        let http = HTTP(base: live.baseURL)
        let (env, _) = try await http.makeEnvironment()

        let cases: [(String, String, Data?, Int, String, String)] = [
            ("POST", "/envs/\(env)/step", Data(#"{"action":"dance","params":{}}"#.utf8), 400, "unknown_action", "request_info"),
            ("POST", "/envs/\(env)/step", Data(#"{"action":"execute_code","params":{}}"#.utf8), 400, "bad_params", "params.code"),
            ("POST", "/envs/\(env)/step", Data(#"{"action":"execute_code","params":{"code":42}}"#.utf8), 400, "bad_params", "string"),
            ("POST", "/envs/\(env)/step", Data(#"{"action":"request_info","params":{"info_type":"secrets"}}"#.utf8), 400, "bad_params", "overview"),
            ("POST", "/envs/\(env)/step", Data(#"{"action":"request_info","params":{"info_type":"all","extra":1}}"#.utf8), 400, "bad_params", "extra"),
            ("POST", "/envs/\(env)/step", Data(#"{"params":{}}"#.utf8), 400, "bad_request", "action"),
            ("POST", "/envs/\(env)/step", Data("not json".utf8), 400, "bad_request", "JSON"),
            ("POST", "/envs/\(env)/step", Data(#"["execute_code"]"#.utf8), 400, "bad_request", "object"),
            ("POST", "/envs/\(env)/step", Data(#"{"action":"submit","params":{"step":99}}"#.utf8), 400, "bad_params", "no execute_code step"),
            ("POST", "/envs/\(env)/step", Data((#"{"action":"execute_code","params":{"code":""# + String(repeating: "x", count: 10_000) + #""}}"#).utf8), 413, "body_too_large", "bytes"),
            ("POST", "/envs/env-missing/step", Data(#"{"action":"get_history"}"#.utf8), 404, "unknown_environment", "POST /envs"),
            ("POST", "/envs", Data(#"{"task":"no-such-task"}"#.utf8), 404, "unknown_task", "toy"),
            ("POST", "/envs", Data(#"{"task":"toy","options":{"max_stepz":3}}"#.utf8), 400, "bad_option", "max_steps"),
            ("POST", "/envs", Data(#"{"task":"toy","options":{"score_mode":"median"}}"#.utf8), 400, "bad_option", "position"),
            ("POST", "/envs", Data(#"{"task":"toy","options":{"max_steps":0}}"#.utf8), 400, "bad_option", "max_steps"),
            ("POST", "/envs", Data(#"{"options":{}}"#.utf8), 400, "bad_request", "task"),
            ("POST", "/envs", Data(#"{"task":"../etc"}"#.utf8), 404, "unknown_task", "GET /tasks"),
            ("GET", "/envs/\(env)/step", nil, 404, "not_found", "POST /envs/{id}/step"),
            ("DELETE", "/envs/env-missing", nil, 404, "unknown_environment", "POST /envs"),
            ("POST", "/validate", Data("id,y\n".utf8), 400, "bad_request", "multipart/form-data"),
        ]
        for (method, path, body, status, code, hint) in cases {
            let answer = try await http.send(method, path, body: body)
            #expect(answer.status == status, "\(method) \(path): \(answer.json)")
            #expect(answer.errorCode == code, "\(method) \(path): \(answer.json)")
            #expect(answer.errorMessage.contains(hint), "\(method) \(path): '\(answer.errorMessage)' should mention \(hint)")
            #expect(answer.contentType?.hasPrefix("application/json") == true)
        }

        // The environment limit answers 429 and says how to free one.
        _ = try await http.makeEnvironment()
        let third = try await http.makeEnvironment()
        #expect(third.1.status == 429)
        #expect(third.1.errorMessage.contains("DELETE"))
    }

    @Test func validateAnswersValidityWithoutAScore() async throws {
        let live = try await LiveServer.start()
        defer { Task { await live.stop() } }
        let http = HTTP(base: live.baseURL)
        let sample = try Data(contentsOf: live.root.appendingPathComponent("tasks/toy/prepared/public/sample_submission.csv"))
        let valid = try await http.upload("/validate", fields: [("file", "submission.csv", sample), ("task", nil, Data("toy".utf8))])
        #expect(valid.status == 200)
        #expect(valid.json["valid"]?.bool == true)
        #expect(valid.json["result"]?.string == "Submission is valid.")
        #expect(valid.json["score"] == nil)

        let broken = try await http.upload("/validate", fields: [("file", "submission.csv", Data("id,y\n200,1\n".utf8))])
        #expect(broken.status == 200)
        #expect(broken.json["valid"]?.bool == false)
        #expect(broken.json["result"]?.string?.hasPrefix("Submission invalid!") == true)
        #expect((broken.json["problems"]?.array?.count ?? 0) > 0)

        // Against an environment's view, the real sample is not enough: the dev rows are missing.
        let (env, _) = try await http.makeEnvironment()
        let forView = try await http.upload("/validate", fields: [("file", "submission.csv", sample), ("env", nil, Data(env.utf8))])
        #expect(forView.json["valid"]?.bool == false)
        let viewSample = try Data(contentsOf: live.root.appendingPathComponent("work/envs/\(env)/view/sample_submission.csv"))
        let viewValid = try await http.upload("/validate", fields: [("file", "s.csv", viewSample), ("env", nil, Data(env.utf8))])
        #expect(viewValid.json["valid"]?.bool == true)

        let noFile = try await http.upload("/validate", fields: [("task", nil, Data("toy".utf8))])
        #expect(noFile.status == 400)
        #expect(noFile.errorMessage.contains("'file'"))
    }
}
