import Foundation
import Testing
@testable import StarlingRepo

/// The call graph binds names as Python does, on a fixture with one case per construct (and
/// Python itself confirms the fixture's answers where it can run them).
@Suite("Exact, deterministic repository analysis")
struct ExactAnalysisTests {
    let root: URL
    let analysis: RepoAnalysis

    init() async throws {
        root = try ExactFixture.make()
        analysis = try await RepoAnalysis.analyze(root)
    }

    func callees(of caller: String) -> Set<String> {
        Set((analysis.calls.calls[caller] ?? []).map(\.callee))
    }

    @Test func aSrcLayoutIsNamedByItsInstalledPackage() {
        #expect(analysis.tree.entities["lib.models"] != nil && analysis.tree.entities["src.lib.models"] == nil)
        #expect(analysis.modules.imports["tests.test_lib"]?.contains("lib") == true, "the tests' `import lib` is the repository's own package")
    }

    @Test func starImportsBindWhatTheirModuleExportsAndTheLastOneWins() {
        // lib: `from .first import *` then `from .second import *`; second's __all__ leaves out pick.
        let test = callees(of: "tests.test_lib:test_go")
        #expect(test.contains("lib.first:pick") && !test.contains("lib.second:pick"))
        #expect(test.contains("lib.second:other") && !test.contains("lib.first:other"))
        // late: first's pick, then third's (no __all__: every public name); its own _hidden stays.
        #expect(callees(of: "lib.late:run") == ["lib.third:pick", "lib.late:_hidden"])
    }

    @Test func classBodiesAndDecoratorsAreTheClasssCalls() {
        #expect(callees(of: "lib.models:Model") == ["lib.first:Typed", "lib.models:register", "lib.models:tag"])
        #expect((analysis.calls.callers["lib.first:Typed"] ?? []).filter { $0.caller == "lib.models:Model" }.count == 2, "both descriptors")
    }

    @Test func nestedFunctionsWithTargetsAttributesAndAliasesResolve() {
        let go = callees(of: "lib.models:Client.go")
        #expect(go.contains("lib.models:helper"), "inner()'s call and alias() both reach helper")
        #expect(go.contains("lib.models:Model") && go.contains("lib.models:Model.check"), "with Model() as m: m.check() and self.model.check()")
        #expect((analysis.calls.calls["lib.models:Client.go"] ?? []).filter { $0.callee == "lib.models:Model.check" }.count == 2)
        #expect(callees(of: "lib.models:use_shortcut") == ["lib.models:helper"], "shortcut = helper at module level")
        #expect(callees(of: "lib.models:Client.__init__") == ["lib.models:Model"])
    }

    @Test func aPropertysGetterAndSetterAreOneEntityWithBothBodies() {
        #expect(callees(of: "lib.props:Box.size") == ["lib.models:helper"], "the getter's call survives the setter's definition")
        #expect(analysis.tree.entities["lib.props:Box"]?.children.filter { $0 == "lib.props:Box.size" }.count == 1)
    }

    @Test func theSameRepositoryGivesTheSameGraphTenTimes() async throws {
        func edges(_ analysis: RepoAnalysis) -> [String] {
            analysis.calls.calls.values.flatMap { $0 }.map { "\($0.caller)>\($0.callee)@\($0.line)" }.sorted()
        }
        let first = edges(analysis)
        #expect(first.count > 10)
        for _ in 0..<9 {
            #expect(edges(try await RepoAnalysis.analyze(root)) == first)
        }
    }

    /// Python agrees with the fixture's answers for the star imports (run with the repository's src on the path).
    @Test func pythonBindsTheStarImportsTheSameWay() async throws {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":").map(String.init)
        guard let python = folders.map({ $0 + "/python3" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import lib, lib.late; print(lib.pick(), lib.other(), lib.late.run()[0])"]
        process.environment = ["PYTHONPATH": root.appendingPathComponent("src").path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "first 2 third")
    }

    @Test func testModulesRankBelowEveryLibraryModule() throws {
        let order = analysis.importance.modules.map(\.id)
        let firstTest = try #require(order.firstIndex { $0.hasPrefix("tests") })
        #expect(order[firstTest...].allSatisfy { $0.hasPrefix("tests") }, "\(order)")
    }

    @Test func aReadmeNamesAModuleByItsPathOrAsCodeNotByACommonWord() {
        let prose = ReadmeMentions("Use all of it: small, fast and simple. The DataFrame and Inventory types.")
        #expect(!prose.mentions(module: "nx.operators.all", path: "nx/operators/all.py"))
        #expect(!prose.mentions(module: "nx.generators.small", path: "nx/generators/small.py"))
        #expect(prose.mentions(class: "DataFrame") && !prose.mentions(class: "Inventory"), "CamelCase in prose counts, a plain capitalised word does not")
        let named = ReadmeMentions("See `small` and nx/operators/all.py, or call nx.readwrite.gml.\n```\nfrom nx import Inventory\n```")
        #expect(named.mentions(module: "nx.generators.small", path: "nx/generators/small.py"))
        #expect(named.mentions(module: "nx.operators.all", path: "nx/operators/all.py"))
        #expect(named.mentions(module: "nx.readwrite.gml", path: "nx/readwrite/gml.py"))
        #expect(named.mentions(class: "Inventory"))
    }

    /// In a git checkout, files changed often and recently carry a history score; elsewhere there is none.
    @Test func gitHistoryMarksFilesThatChangeOften() async throws {
        #expect(analysis.scan.history == nil, "no git checkout, no history")
        let git = { (arguments: [String]) throws -> Void in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", root.path, "-c", "user.name=t", "-c", "user.email=t@t"] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw RepoError("git \(arguments) failed") }
        }
        do { try git(["init", "-q"]) } catch { return }  // no git here
        try git(["add", "."])
        try git(["commit", "-qm", "first"])
        for round in 1...3 {
            try "def pick():\n    return \"third \(round)\"\n".write(to: root.appendingPathComponent("src/lib/third.py"), atomically: true, encoding: .utf8)
            try git(["commit", "-qam", "change \(round)"])
        }
        let again = try await RepoAnalysis.analyze(root)
        let history = try #require(again.scan.history)
        #expect((history["src/lib/third.py"] ?? 0) > (history["src/lib/first.py"] ?? 0) * 3, "\(history)")
        let third = try #require(again.importance.modules.first { $0.id == "lib.third" })
        #expect(third.history == 1.0)
    }
}
