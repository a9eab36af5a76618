import Foundation
import Testing
@testable import StarlingLLM

@Suite struct CodeReplyTests {
    @Test func extractsTheLongestPythonBlock() throws {
        let reply = """
        Here is the script:
        ```python
        import pandas as pd
        df = pd.read_csv("train.csv")
        print(df.shape)
        ```
        Run it with:
        ```bash
        python solution.py
        ```
        ```python
        print(1)
        ```
        """
        let code = try PythonCodeExtractor.extract(from: reply)
        #expect(code.hasPrefix("import pandas as pd"))
        #expect(code.contains("print(df.shape)"))
        #expect(!code.contains("```"))
    }

    @Test func explainsMissingOrCutOffCode() {
        #expect {
            try PythonCodeExtractor.extract(from: "Use a random forest.\n```bash\nls\n```")
        } throws: { error in
            (error as? ReplyError)?.message.contains("found blocks in: bash") == true
        }
        #expect {
            try PythonCodeExtractor.extract(from: "```python\nimport os\nfor x in")
        } throws: { error in
            (error as? ReplyError)?.message.contains("cut off") == true
        }
    }

    @Test func syntaxCheckReportsLineAndMessage() async throws {
        let checker = PythonSyntaxChecker()
        try await checker.check("import sys\nprint(sys.argv)\n")
        await #expect {
            try await checker.check("x = 1\ndef f(:\n    pass\n")
        } throws: { error in
            guard let error = error as? ReplyError else { return false }
            return error.kind == .code && error.line == 2 && error.message.contains("line 2")
        }
        // compile() also rejects what ast.parse accepts.
        await #expect(throws: ReplyError.self) { try await checker.check("return 5\n") }
    }

    @Test func missingInterpreterIsReportedNotCrashed() async {
        await #expect {
            try await PythonSyntaxChecker(python: "/nonexistent/python").check("x = 1")
        } throws: { error in
            "\(error)".contains("/nonexistent/python")
        }
    }

    @Test func repairsOnceQuotingTheSyntaxError() async throws {
        let client = ScriptedClient([
            "```python\ndef f(:\n```",
            "```python\ndef f():\n    return 1\n```",
        ])
        let reply = try await client.pythonCode(request: ChatRequest(messages: [.user("write f")]))
        #expect(reply.value.contains("return 1"))
        #expect(reply.wasRepaired)
        #expect(client.requests.count == 2)
        #expect(client.requests[1].messages.last?.content.contains("line 1") == true)
        #expect(reply.usage.completionTokens == 10)
    }

    @Test func givesUpAfterTheRepairBudget() async {
        let client = ScriptedClient(["no code", "still no code", "never asked"])
        await #expect(throws: ReplyError.self) {
            try await client.pythonCode(request: ChatRequest(messages: [.user("write f")]), maxRepairs: 1)
        }
        #expect(client.requests.count == 2)
    }
}
