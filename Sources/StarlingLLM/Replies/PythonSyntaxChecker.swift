import Foundation
import StarlingRuntime

/// Checks that Python source compiles, without running it, by asking a Python interpreter to
/// `compile()` it. Catches what `ast.parse` catches and more (`return` outside a function).
package struct PythonSyntaxChecker: Sendable {
    /// The interpreter: a path, or a name looked up on PATH.
    package var python: String

    /// Creates a checker.
    ///
    /// - Parameter python: The interpreter; `python3` on PATH by default. Pass the solution
    ///   environment's interpreter so the check matches the Python that will run the code.
    package init(python: String = "python3") {
        self.python = python
    }

    private static let script = """
    import json, sys
    source = sys.stdin.read()
    try:
        compile(source, "reply.py", "exec", dont_inherit=True)
    except SyntaxError as e:
        print(json.dumps({"line": e.lineno, "offset": e.offset, "message": e.msg, "text": (e.text or "").rstrip()}))
        sys.exit(1)
    except ValueError as e:
        print(json.dumps({"line": None, "offset": None, "message": str(e), "text": ""}))
        sys.exit(1)
    """

    private struct Failure: Decodable {
        var line: Int?
        var offset: Int?
        var message: String
        var text: String
    }

    /// Checks `code`.
    ///
    /// - Parameter code: Python source.
    /// - Throws: ``ReplyError`` of kind ``ReplyError/Kind/code`` with the line and Python's message;
    ///   ``LLMError`` when the interpreter cannot be started.
    package func check(_ code: String) async throws {
        let outcome: Shell.Capture
        do {
            outcome = try await Shell.capture(python, ["-c", Self.script], input: code)
        } catch {
            throw LLMError(.localServer, "cannot run the Python interpreter '\(python)' to check code: \(error); "
                + "install python3 or pass the interpreter's path")
        }
        if outcome.succeeded { return }
        if let data = outcome.standardOutput.data(using: .utf8),
           let failure = try? JSONDecoder().decode(Failure.self, from: data) {
            var message = "the code does not parse: \(failure.message)"
            if let line = failure.line {
                message += " at line \(line)"
                if let offset = failure.offset { message += ", column \(offset)" }
                // The failing line, cut: a model's 100k-character line must not flood the repair prompt.
                let line = failure.text.trimmingCharacters(in: .whitespaces)
                if !line.isEmpty { message += ": " + (line.count > 200 ? line.prefix(200) + "…" : line) }
            }
            throw ReplyError(.code, message, reply: code, line: failure.line)
        }
        throw ReplyError(.code, "the syntax check failed: \(outcome.standardError.suffix(500))", reply: code)
    }
}
