import Foundation
import StarlingBench
import StarlingCore
import StarlingRepo
import StarlingTestSupport
import Testing
@testable import StarlingAgents

/// The repository tools' door, fuzzed the way a model reaches it: a target string cleaned and
/// mapped by the explorer, or raw JSON arguments. Paths climb out with `..`, name absolute
/// files elsewhere, follow links that leave the repository, open binary files or carry absurd
/// line numbers. Each call must answer (a refusal that says what to give, or bounded text),
/// show nothing from outside, and leave every file as it was.
@Suite(.serialized) struct RepoToolsDoorTests {
    static let marker = "OUTSIDE-SECRET-7431"

    /// A small repository, a secret beside it, links out of it and a binary file.
    static func world() throws -> (repo: URL, inputs: URL, outside: URL) {
        let top = try TemporaryFolder("repo-door")
        let repo = try top.write("repo/pkg/__init__.py", "from .core import Model\n").deletingLastPathComponent().deletingLastPathComponent()
        try top.write("repo/pkg/core.py", "class Model:\n    \"\"\"A model.\"\"\"\n    def fit(self, x):\n        return helper(x)\n\ndef helper(x):\n    return x\n")
        try top.write("repo/README.md", "# pkg\nUse `Model().fit(x)`.\n")
        let secret = try top.write("outside/secret.py", "KEY = '\(marker)'\n")
        try top.write("outside/notes.md", "\(marker)\n")
        let inputs = try top.write("inputs/data.csv", "a,b\n1,2\n").deletingLastPathComponent()
        let files = FileManager.default
        try files.createSymbolicLink(atPath: repo.appendingPathComponent("pkg/leak.py").path, withDestinationPath: secret.path)
        try files.createSymbolicLink(atPath: repo.appendingPathComponent("up").path, withDestinationPath: top.url.path)
        try files.createSymbolicLink(atPath: repo.appendingPathComponent("docs.md").path, withDestinationPath: top.file("outside/notes.md").path)
        try files.createSymbolicLink(atPath: inputs.appendingPathComponent("peek.csv").path, withDestinationPath: secret.path)
        try Data([0x7F, 0x45, 0x4C, 0x46, 0, 1, 2, 0, 0xFF]).write(to: repo.appendingPathComponent("pkg/native.so"))
        try Data([0x23, 0x20, 0, 0, 0x41]).write(to: repo.appendingPathComponent("pkg/odd.py"))
        return (repo, inputs, top.url)
    }

    @Test func everyToolCallIsAnsweredAndNothingOutsideIsShown() async throws {
        let (repo, inputs, top) = try Self.world()
        var toolbox = RepoToolbox(try await RepoAnalysis.analyze(repo), outputLimit: 3000)
        toolbox.extraFolders = ["input": inputs]
        let before = fingerprint(top)
        var door = FuzzDoor("repo-tools", seed: 0x4E90, defaultCount: 400, deadline: 10)
        for index in 0..<door.count {
            var random = door.generator(for: index)
            let (tool, arguments) = Self.call(&random, repo: repo, top: top)
            let label = "\(tool)(\(arguments))".prefix(160).description
            guard let result = await door.withDeadline({ [toolbox] in toolbox.call(tool, arguments) }) else {
                door.recordHang(index, label: label)
                continue
            }
            door.record(index, Self.judge(result), label: label)
        }
        let changed = before != fingerprint(top)
        if changed { door.record(door.count, .wrong("files changed"), inputsChanged: true, label: "after the fuzzing") }
        print(door.summary)
        #expect(door.failures.isEmpty, "\(door.failures.joined(separator: "\n"))")
        #expect(door.hangs == 0 && door.inputsChanged == 0)
        #expect(door.clearErrors > door.count / 4 && door.handled > door.count / 10, "\(door.summary)")
    }

    /// A refusal must say something a model can act on; an answer must be bounded; neither may
    /// show the secret beside the repository.
    static func judge(_ result: RepoToolbox.Result) -> FuzzDoor.Outcome {
        if result.output.contains(marker) { return .wrong("showed the secret outside the repository: \(result.output.prefix(200))") }
        if result.output.count > 3200 { return .wrong("\(result.output.count) characters, over the bound") }
        if result.ok { return .handled }
        return result.output.count >= 15 ? .clearError : .wrong("a refusal without a reason: '\(result.output)'")
    }

    /// A tool and its arguments, half through the explorer's target mapping, half as raw JSON.
    static func call(_ random: inout SeededGenerator, repo: URL, top: URL) -> (String, [String: JSONValue]) {
        let tools = RepoTool.allCases.map(\.rawValue) + ["view", "", "rm_file"]
        let tool = random.chance(0.9) ? random.pick(RepoTool.allCases.map(\.rawValue)) : random.pick(tools)
        let target = Self.target(&random, repo: repo, top: top)
        if random.chance(0.5) {
            let cleaned = RepoExplorer.cleanTarget(random.pick(["", "path: ", "`", "\(tool):", "name="]) + target, tool: tool)
            return (tool, RepoExplorer.arguments(tool: tool, target: cleaned))
        }
        var arguments: [String: JSONValue] = [:]
        for key in ["path", "name", "pattern", "start_line", "end_line", "depth"] where random.chance(0.45) {
            arguments[key] = random.pick([.string(target), .string(target), .number(Double(random.int(-5...500))), .number(1e300),
                                          .number(-9.3e18), .string("99999999999999999999999"), .null, .bool(true), .array([.string(target)])])
        }
        return (tool, arguments)
    }

    static func target(_ random: inout SeededGenerator, repo: URL, top: URL) -> String {
        let climbs = String(repeating: "../", count: random.int(1...6))
        let choices = [
            climbs + "outside/secret.py", "pkg/" + climbs + "outside/secret.py", "input/" + climbs + "outside/secret.py",
            top.appendingPathComponent("outside/secret.py").path, "/etc/passwd", "/", "/proc/self/environ",
            "pkg/leak.py", "up/outside/secret.py", "docs.md", "input/peek.csv", "input/data.csv", "pkg/native.so", "pkg/odd.py",
            "pkg/core.py", "pkg/core.py:\(random.int(-3...20))-\(random.int(-3...99_999_999_999))", "pkg.core.Model", "Model.fit", "helper",
            repo.appendingPathComponent("pkg/core.py").path, "pkg/./core.py", "pkg//core.py", ".", "pkg", "up", random.nastyText(),
            "pkg/core.py\0../../outside/secret.py", "(a|b)*[", "\\", String(repeating: "x", count: 5000), "OUTSIDE-SECRET", "KEY",
        ]
        return random.pick(choices)
    }
}
