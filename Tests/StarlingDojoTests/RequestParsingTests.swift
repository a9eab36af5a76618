import Foundation
import Testing
@testable import StarlingDojo
import StarlingCore

@Suite struct RequestParsingTests {
    func parse(_ text: String) throws -> DojoAction {
        try DojoAction.parse(JSONValue.parse(Data(text.utf8)))
    }

    func code(of error: any Error) -> DojoError.Code? { (error as? DojoError)?.code }

    @Test func actionsParseWithTheirParams() throws {
        #expect(try parse(#"{"action":"request_info","params":{"info_type":"data_path"}}"#) == .requestInfo(.dataPath))
        #expect(try parse(#"{"action":"execute_code","params":{"code":"print(1)"}}"#) == .executeCode("print(1)"))
        #expect(try parse(#"{"action":"validate_code","params":{"code":"print(1)"}}"#) == .validateCode("print(1)"))
        #expect(try parse(#"{"action":"get_history"}"#) == .getHistory)
        #expect(try parse(#"{"action":"reset","params":null}"#) == .reset)
        #expect(try parse(#"{"action":"submit","params":{"step":3}}"#) == .submit(step: 3))
        #expect(try parse(#"{"action":"submit"}"#) == .submit(step: nil))
        #expect(DojoAction.executeCode("x").params == .object(["code": .string("x")]))
    }

    @Test func badActionsSayWhatToSend() {
        let cases: [(String, DojoError.Code, String)] = [
            (#"{"action":"fly"}"#, .unknownAction, "execute_code"),
            (#"{"action":"execute_code","params":{"code":"   "}}"#, .badParams, "empty"),
            (#"{"action":"submit","params":{"step":1.5}}"#, .badParams, "params.step"),
            (#"{"action":"get_history","params":{"n":1}}"#, .badParams, "takes no params"),
            (#"{"action":"reset","params":[1]}"#, .badParams, "object"),
            (#"{"action":"reset","param":{}}"#, .badRequest, "'param'"),
            (#"{"action":7}"#, .badRequest, "missing \"action\""),
        ]
        for (text, expected, hint) in cases {
            #expect(throws: DojoError.self, "\(text)") { try parse(text) }
            do {
                _ = try parse(text)
            } catch {
                #expect(code(of: error) == expected, "\(text)")
                #expect("\(error)".contains(hint), "\(text): \(error)")
            }
        }
    }

    @Test func optionsHaveDefaultsAndLimits() throws {
        let limits = DojoLimits(maxSteps: 100, maxExecutionTimeout: 300, maxMemoryMB: 2048)
        let defaults = try EnvironmentOptions.parse(nil, limits: limits)
        #expect(defaults.scoreMode == .position)
        #expect(defaults.executionTimeout == 300, "defaults are capped by the server's limits")
        #expect(defaults.memoryMB == 2048)
        #expect(defaults.partialCredit && !defaults.revealTestScore)
        let set = try EnvironmentOptions.parse(JSONValue.parse(Data(#"{"score_mode":"gap","max_steps":7,"execution_timeout":12.5,"memory_mb":512,"reveal_test_score":true,"partial_credit":false,"seed":3}"#.utf8)), limits: limits)
        #expect(set.scoreMode == .gap && set.maxSteps == 7 && set.executionTimeout == 12.5 && set.memoryMB == 512)
        #expect(set.revealTestScore && !set.partialCredit && set.seed == 3)
        for bad in [#"{"max_steps":101}"#, #"{"execution_timeout":301}"#, #"{"memory_mb":"a lot"}"#, #"{"reveal_test_score":1}"#, #"{"speed":1}"#, #"[1]"#] {
            #expect(throws: DojoError.self, "\(bad)") { try EnvironmentOptions.parse(JSONValue.parse(Data(bad.utf8)), limits: limits) }
        }
    }

    @Test func multipartFormsSplitIntoFields() throws {
        let body = Data("--XyZ\r\nContent-Disposition: form-data; name=\"task\"\r\n\r\ntoy\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"s.csv\"\r\nContent-Type: text/csv\r\n\r\nid,y\r\n1,0\r\n\r\n--XyZ--\r\n".utf8)
        let form = try MultipartForm.parse(body, contentType: "multipart/form-data; boundary=XyZ")
        #expect(form.parts.map(\.name) == ["task", "file"])
        #expect(String(decoding: form["task"]!.data, as: UTF8.self) == "toy")
        #expect(form["file"]?.filename == "s.csv")
        #expect(String(decoding: form["file"]!.data, as: UTF8.self) == "id,y\r\n1,0\r\n")
        #expect(throws: DojoError.self) { try MultipartForm.parse(body, contentType: "application/json") }
        #expect(throws: DojoError.self) { try MultipartForm.parse(Data("--XyZ\r\nbroken".utf8), contentType: "multipart/form-data; boundary=XyZ") }
    }
}
