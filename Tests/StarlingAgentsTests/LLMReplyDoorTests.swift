import Foundation
import StarlingBench
import StarlingCore
import StarlingTestSupport
import Testing
@testable import StarlingAgents
@testable import StarlingLLM

/// The LLM-reply door, fuzzed: empty replies, replies cut mid-token, invalid UTF-8 (decoded the
/// way the HTTP layer decodes it), 100k characters, JSON where code was asked for and code where
/// JSON was. Each goes through the reply parsers (code and JSON extraction, fenced blocks) and
/// through the client paths the agents use (`pythonCode` with its syntax check, `structured`
/// into the explorer's tool call). Each must end in a ``ReplyError`` that says what was wrong,
/// or in a value that really came from the reply.
@Suite(.serialized) struct LLMReplyDoorTests {
    @Test func everyReplyEndsInAClearErrorOrAUsableValue() async throws {
        var door = FuzzDoor("llm-replies", seed: 0x11E5, defaultCount: 360, deadline: 20)
        let checker = PythonSyntaxChecker(python: agentTestPython().path)
        for index in 0..<door.count {
            var random = door.generator(for: index)
            let (label, reply) = FuzzReply.make(&random)
            // The syntax check starts a Python process: every fourth case takes the whole path.
            let fullPath = index % 4 == 0
            guard let outcome = await door.withDeadline({ await FuzzReply.judge(reply, checker: fullPath ? checker : nil) }) else {
                door.recordHang(index, label: label)
                continue
            }
            door.record(index, outcome, label: "\(label) (\(reply.count) characters)")
        }
        print(door.summary)
        #expect(door.failures.isEmpty, "\(door.failures.joined(separator: "\n"))")
        #expect(door.hangs == 0)
        #expect(door.clearErrors > door.count / 4 && door.handled > door.count / 10, "\(door.summary)")
    }
}

/// A client that answers every request with one fixed reply.
struct FixedReplyClient: LLMClient {
    let reply: String
    let model = ModelRef(provider: .local, name: "fixed")

    func complete(_ request: ChatRequest) async throws -> ChatResponse {
        ChatResponse(text: reply, model: "fixed", finishReason: reply.count > 50_000 ? "length" : "stop")
    }
}

enum FuzzReply {
    static let code = "import pandas as pd\n\ndef main():\n    df = pd.read_csv(\"input/train.csv\")\n    print(df.shape)\n\nmain()\n"
    static let json = #"{"thought": "look at the model", "tool": "view_class", "target": "pkg.Model", "notes": ""}"#

    /// A reply and what kind it is.
    static func make(_ random: inout SeededGenerator) -> (String, String) {
        let fenced = "Here is the script:\n\n```python\n\(code)```\n\nIt prints the shape."
        let fencedJSON = "```json\n\(json)\n```"
        let whole = random.pick([fenced, fencedJSON, json, code, "Plan: use LightGBM.\n" + fenced])
        switch random.int(0...9) {
        case 0: return ("empty", random.pick(["", " ", "\n\n", "```", "```python\n```", "{}", "[]", "null"]))
        case 1: return ("cut mid-token", String(whole.prefix(random.int(0...whole.count))))
        case 2:
            var bytes = Data(whole.utf8)
            for _ in 0..<random.int(1...6) { bytes.insert(random.pick([0xFF, 0xC3, 0xE2, 0x80, 0xED, 0xA0]), at: random.int(0...bytes.count)) }
            return ("invalid UTF-8", String(decoding: bytes, as: UTF8.self))
        case 3: return ("100k characters", long(&random))
        case 4: return ("JSON where code is expected", random.pick([json, fencedJSON, "```python\n\(json)\n```", #"{"code": "print(1)"}"#]))
        case 5: return ("code where JSON is expected", random.pick([code, fenced, "```json\n\(code)```", "{" + code + "}"]))
        case 6: return ("nested or stray fences", random.pick(["```python\n```json\n{}\n```\n```", "~~~python\nx = 1\n~~~~", "````python\nprint(1)\n```\n````",
                                                             "```python\nx = '''\n```\n'''\n```", "``` python extra words\nprint(2)\n```"]))
        case 7: return ("mangled", String(decoding: random.mangled(Data(whole.utf8)), as: UTF8.self))
        case 8: return ("deep nesting", random.pick([String(repeating: "[", count: 100_000), String(repeating: "{\"a\":", count: 5000) + "1" + String(repeating: "}", count: 5000),
                                                    "```python\n" + String(repeating: "(", count: 5000) + "\n```"]))
        default: return ("nasty text", random.nastyText(maxLength: 400))
        }
    }

    static func long(_ random: inout SeededGenerator) -> String {
        switch random.int(0...3) {
        case 0: return "```python\n" + String(repeating: "x = 1  # padding\n", count: 6000) + "```"
        case 1: return String(repeating: "The model should be tuned. ", count: 3800)
        case 2: return "```python\n" + String(repeating: "y = 2\n", count: 17_000)
        default: return String(repeating: "{\"a\": [", count: 14_000)
        }
    }

    /// Runs the reply through the parsers (and, with a checker, the client paths) and judges it.
    static func judge(_ reply: String, checker: PythonSyntaxChecker?) async -> FuzzDoor.Outcome {
        _ = MarkdownBlock.all(in: reply)
        var outcomes: [FuzzDoor.Outcome] = []
        outcomes.append(outcome(of: reply) { try PythonCodeExtractor.extract(from: reply) })
        outcomes.append(outcome(of: reply) { try JSONExtractor.decode(RepoExplorer.Choice.self, from: reply).tool })
        outcomes.append(outcome(of: reply) { try JSONExtractor.decode(JSONValue.self, from: reply).typeName })
        if let checker {
            let client = FixedReplyClient(reply: reply)
            let request = ChatRequest(messages: [.user("write the script")])
            outcomes.append(await asyncOutcome(of: reply) { try await client.pythonCode(request: request, checker: checker, maxRepairs: 0).value })
            outcomes.append(await asyncOutcome(of: reply) {
                try await client.structured(RepoExplorer.Choice.self, request: request, schemaName: "tool_call", schema: RepoExplorer.schema, maxRepairs: 0).value.tool
            })
        }
        return outcomes.first { if case .wrong = $0 { true } else { false } } ?? (outcomes.contains { if case .handled = $0 { true } else { false } } ? .handled : .clearError)
    }

    static func outcome(of reply: String, _ body: () throws -> String) -> FuzzDoor.Outcome {
        do { return verify(try body(), reply: reply) } catch { return classify(error) }
    }

    static func asyncOutcome(of reply: String, _ body: () async throws -> String) async -> FuzzDoor.Outcome {
        do { return verify(try await body(), reply: reply) } catch { return classify(error) }
    }

    /// A value must come from the reply: extracted code is a piece of it, a decoded field appears in it.
    static func verify(_ value: String, reply: String) -> FuzzDoor.Outcome {
        guard value.isEmpty || reply.contains(value) || ["an object", "an array", "a string", "a number", "a boolean", "null"].contains(value) else {
            return .wrong("a value that is not in the reply: \(value.prefix(80).debugDescription)")
        }
        return .handled
    }

    static func classify(_ error: any Error) -> FuzzDoor.Outcome {
        guard let error = error as? ReplyError else { return .wrong("not a ReplyError: \(type(of: error)) \(error)") }
        return error.message.count >= 10 && error.description.count < 2000 ? .clearError : .wrong("unclear: \(error.description.prefix(300))")
    }
}
