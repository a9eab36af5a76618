import Foundation
public import StarlingRuntime
import StarlingCore

/// The deterministic pre-flight check: catches the mistakes small models make (target read from
/// test.csv, invented columns, removed library arguments, no submission written) before an
/// execution is spent. Runs `preflight.py` in the sandbox.
public struct Preflight: Sendable {
    /// One finding.
    public struct Finding: Sendable, Hashable, Codable {
        /// `error` blocks execution; `warning` is recorded.
        public var severity: String
        /// Script line, 0 when not tied to one.
        public var line: Int
        /// What is wrong and what to write instead.
        public var message: String
    }

    /// What the check found and repaired.
    public struct Report: Sendable, Hashable, Codable {
        /// Problems in the (repaired) script.
        public var findings: [Finding]
        /// Mechanical repairs made, e.g. an argument the installed library removed.
        public var fixes: [String]
        /// The repaired script, when anything was repaired.
        public var fixedSource: String?

        enum CodingKeys: String, CodingKey {
            case findings, fixes
            case fixedSource = "fixed_source"
        }
    }

    let sandbox: Sandbox
    let python: URL
    let profile: URL
    let tool: URL

    /// Creates a checker for one task.
    ///
    /// - Parameters:
    ///   - sandbox: Where the checker runs.
    ///   - python: The solution interpreter.
    ///   - profile: The data profile JSON written by ``DataProfile``.
    /// - Throws: ``AgentError`` when the checker is missing from the build.
    public init(sandbox: Sandbox, python: URL, profile: URL) throws {
        guard let tool = Bundle.module.url(forResource: "preflight", withExtension: "py", subdirectory: "Resources/tools") else {
            throw AgentError("preflight.py is missing from Starling's resources; rebuild with `swift build`")
        }
        self.sandbox = sandbox
        self.python = python
        self.profile = profile
        self.tool = tool
    }

    /// Checks a script and repairs what can be repaired without changing its meaning.
    ///
    /// - Parameters:
    ///   - code: The script.
    ///   - scratch: A folder for the checker's files.
    /// - Returns: Findings and repairs; empty when nothing is wrong. A checker crash yields an
    ///   empty report (the script then simply runs).
    public func check(_ code: String, scratch: URL) async -> Report {
        let empty = Report(findings: [], fixes: [], fixedSource: nil)
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            let script = scratch.appendingPathComponent("candidate.py")
            try code.write(to: script, atomically: true, encoding: .utf8)
            let request = ExecutionRequest(script: tool, arguments: [script.path, profile.path], workDir: scratch,
                                           python: python, limits: ExecutionLimits(timeoutSeconds: 60, memoryMB: 2048, outputCapBytes: 4 * 1024 * 1024),
                                           logFile: scratch.appendingPathComponent("preflight.log"))
            let result = try await sandbox.run(request)
            guard result.succeeded, let line = result.output.text.split(separator: "\n").last(where: { $0.hasPrefix("{") }) else { return empty }
            return try JSONDecoder().decode(Report.self, from: Data(line.utf8))
        } catch {
            return empty
        }
    }

    /// Error findings as one text for the debug prompt, or `nil` when none block execution.
    public static func blocking(_ findings: [Finding]) -> String? {
        let errors = findings.filter { $0.severity == "error" }
        guard !errors.isEmpty else { return nil }
        return "The pre-flight check found these problems before running the script:\n"
            + errors.map { "- " + ($0.line > 0 ? "line \($0.line): " : "") + $0.message }.joined(separator: "\n")
    }
}
