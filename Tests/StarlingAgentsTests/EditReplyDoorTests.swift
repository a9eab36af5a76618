import Foundation
import StarlingBench
import StarlingCore
import StarlingRunFolder
import StarlingRuntime
import StarlingTestSupport
import Testing
@testable import StarlingAgents

/// The LLM-reply door for edits: replies applied to a script as a function edit, SEARCH/REPLACE
/// blocks or a whole script (the `apply_edit` helper, a real Python process): the fuzzed replies
/// of ``FuzzReply`` and broken edits (unclosed or unmatched blocks, unknown and duplicated
/// functions, syntax errors, a reply that is the script unchanged). Each ends in a new script that
/// parses, or in an error the model can act on; the helper never crashes and the base file the
/// helper was given is left as it was.
@Suite(.serialized) struct EditReplyDoorTests {
    static let base = """
    import numpy as np
    import pandas as pd


    def features(frame):
        \"\"\"Extra columns.\"\"\"
        return frame.fillna(0)


    def fit_predict(x, y, x_test):
        \"\"\"Fits and predicts.\"\"\"
        return np.zeros(len(x_test))


    print("validation_score:", 0.5)

    """

    @Test func everyEditReplyEndsInAScriptOrAnErrorTheModelCanActOn() async throws {
        var door = FuzzDoor("edit-replies", seed: 0xED17, defaultCount: 300, deadline: 30)
        let editor = EditApplier(tools: ToolRunner(sandbox: try await Sandbox.probing(), python: agentTestPython()))
        let root = try agentScratch()
        for index in 0..<door.count {
            var random = door.generator(for: index)
            let (label, reply) = Self.reply(&random)
            let format = random.pick([EditFormat.function, .diff, .whole])
            let scratch = root.appendingPathComponent("case-\(index)")
            guard let result = await door.withDeadline({ await editor.apply(reply, to: Self.base, format: format, scratch: scratch) }) else {
                door.recordHang(index, label: label)
                continue
            }
            let baseFile = scratch.appendingPathComponent("base.py")
            let changed = (try? String(contentsOf: baseFile, encoding: .utf8)) != Self.base
            door.record(index, Self.judge(result), inputsChanged: changed, label: "\(label) as \(format.rawValue)")
        }
        print(door.summary)
        #expect(door.failures.isEmpty, "\(door.failures.joined(separator: "\n"))")
        #expect(door.hangs == 0 && door.inputsChanged == 0)
        #expect(door.clearErrors > door.count / 4 && door.handled > door.count / 20, "\(door.summary)")
    }

    /// A new script, or an error worded for the model (not a Python traceback of the helper).
    static func judge(_ result: EditApplier.Result) -> FuzzDoor.Outcome {
        if let source = result.source {
            return source.isEmpty ? .wrong("an empty script was accepted") : .handled
        }
        guard let error = result.error, error.count >= 10 else { return .wrong("no script and no reason") }
        if error.contains("Traceback (most recent call last)") { return .wrong("the helper crashed: \(error.prefix(300))") }
        return error.count < 4000 ? .clearError : .wrong("an error of \(error.count) characters")
    }

    static func reply(_ random: inout SeededGenerator) -> (String, String) {
        let function = "def fit_predict(x, y, x_test):\n    \"\"\"Fits and predicts.\"\"\"\n    return np.ones(len(x_test))\n"
        let block = "<<<<<<< SEARCH\n    return np.zeros(len(x_test))\n=======\n    return np.ones(len(x_test))\n>>>>>>> REPLACE\n"
        switch random.int(0...11) {
        case 0, 1, 2: return FuzzReply.make(&random)
        case 3: return ("function edit", "```python\n\(function)```")
        case 4: return ("SEARCH/REPLACE", "```python\n\(block)```")
        case 5: return ("block cut short", String(block.prefix(random.int(0...block.count))))
        case 6: return ("search text not in the script", block.replacingOccurrences(of: "np.zeros", with: "np.empty"))
        case 7: return ("unknown function", "```python\ndef nowhere(a):\n    return a\n```")
        case 8: return ("syntax error", "```python\ndef fit_predict(x, y, x_test)\n    return (\n```")
        case 9: return ("the script unchanged", "```python\n\(base)```")
        case 10: return ("the same function twice", "```python\n\(function)\n\(function)```")
        default: return ("mangled edit", String(decoding: random.mangled(Data(random.pick([function, block]).utf8)), as: UTF8.self))
        }
    }
}
