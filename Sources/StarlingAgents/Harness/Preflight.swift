import Foundation
import StarlingRuntime
import StarlingCore

/// The deterministic pre-flight check: catches the mistakes small models make (target read from
/// test.csv, invented columns, removed library arguments, no submission written) before an
/// execution is spent. Runs `preflight.py` in the sandbox.
package struct Preflight: Sendable {
    /// One finding.
    package struct Finding: Sendable, Hashable, Codable {
        /// `error` blocks execution; `warning` is recorded.
        package var severity: String
        /// Script line, 0 when not tied to one.
        package var line: Int
        /// What is wrong and what to write instead.
        package var message: String
    }

    /// What the check found and repaired.
    package struct Report: Sendable, Hashable, Codable {
        /// Problems in the (repaired) script.
        package var findings: [Finding]
        /// Mechanical repairs made, e.g. an argument the installed library removed.
        package var fixes: [String]
        /// The repaired script, when anything was repaired.
        package var fixedSource: String?

        enum CodingKeys: String, CodingKey {
            case findings, fixes
            case fixedSource = "fixed_source"
        }
    }

    let tools: ToolRunner
    let profile: URL

    /// Creates a checker for one task.
    ///
    /// - Parameters:
    ///   - sandbox: Where the checker runs.
    ///   - python: The solution interpreter.
    ///   - profile: The data profile JSON written by ``DataProfile``.
    /// - Throws: ``AgentError`` when the checker is missing from the build.
    package init(sandbox: Sandbox, python: URL, profile: URL) throws {
        _ = try ToolRunner.tool("preflight")
        self.tools = ToolRunner(sandbox: sandbox, python: python)
        self.profile = profile
    }

    /// Checks a script and repairs what can be repaired without changing its meaning.
    ///
    /// - Parameters:
    ///   - code: The script.
    ///   - scratch: A folder for the checker's files.
    /// - Returns: Findings and repairs; empty when nothing is wrong. A checker crash yields an
    ///   empty report (the script then simply runs).
    package func check(_ code: String, scratch: URL) async -> Report {
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            let script = scratch.appendingPathComponent("candidate.py")
            try code.write(to: script, atomically: true, encoding: .utf8)
            return try await tools.run(Report.self, "preflight", arguments: [script.path, profile.path], scratch: scratch)
        } catch {
            return Report(findings: [], fixes: [], fixedSource: nil)
        }
    }

    /// Error findings as one text for the debug prompt, or `nil` when none block execution.
    package static func blocking(_ findings: [Finding]) -> String? {
        let errors = findings.filter { $0.severity == "error" }
        guard !errors.isEmpty else { return nil }
        return "The pre-flight check found these problems before running the script:\n"
            + errors.map { "- " + ($0.line > 0 ? "line \($0.line): " : "") + $0.message }.joined(separator: "\n")
    }
}
