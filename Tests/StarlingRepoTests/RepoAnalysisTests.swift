import Foundation
import Testing
@testable import StarlingRepo

@Suite("Repository analysis of a fixture with known answers")
struct RepoAnalysisTests {
    let analysis: RepoAnalysis

    init() async throws {
        analysis = try await RepoAnalysis.analyze(try FixtureRepository.make())
    }

    func callees(of caller: String) -> Set<String> {
        Set((analysis.calls.calls[caller] ?? []).map(\.callee))
    }

    @Test func selfCallsResolveThroughTheClassAndItsBases() {
        #expect(callees(of: "shop.core:Inventory.__init__") == ["shop.base:Store.reset"])
        let add = callees(of: "shop.core:Inventory.add")
        #expect(add.contains("shop.base:Store.check"))
        #expect(add.contains("shop.core:Inventory._log"))
    }

    @Test func superCallsResolveToTheBaseMethod() {
        #expect(callees(of: "shop.core:Inventory.report") == ["shop.base:Store.describe"])
    }

    @Test func moduleAttributeAndModuleLevelCallsResolve() {
        #expect(callees(of: "shop.core:Inventory.add").contains("shop.util:normalize"))
        #expect(callees(of: "shop.core:Inventory._log") == ["shop.core:helper"])
    }

    @Test func callsOnConstructedAndAnnotatedLocalsResolve() {
        let build = callees(of: "shop.sub.deep:build")
        #expect(build.contains("shop.core:Inventory"))
        #expect(build.contains("shop.core:Inventory.add"))
        #expect(build.contains("shop.core:Inventory.report"))
    }

    @Test func reExportedNamesAreFollowedToTheirDefinition() {
        // app.py imports Inventory from the package, which re-exports it from shop.core.
        #expect(callees(of: "app:main").contains("shop.core:Inventory"))
        #expect(callees(of: "app:main").contains("shop.sub.deep:build"))
    }

    @Test func unresolvedCallsAreCountedNotDropped() {
        let counts = analysis.calls.counts
        #expect(counts.unresolved >= 1)
        #expect(analysis.calls.unresolvedExamples.contains { $0.contains("obj.frobnicate()") })
        #expect(counts.builtin >= 1)
        #expect(counts.external >= 1)
        #expect(counts.total == counts.resolved + counts.builtin + counts.external + counts.local + counts.unresolved + counts.dynamic)
    }

    @Test func relativeImportsResolveInTheModuleGraph() {
        #expect(analysis.modules.imports["shop.core"] == ["shop.base", "shop.util"])
        #expect(analysis.modules.imports["shop.sub.deep"]?.contains("shop.core") == true)
        #expect(analysis.modules.imports["shop"] == ["shop.core"])
        #expect(analysis.modules.unresolvedRelative == ["shop.sub.deep: ...outside"])
        #expect(analysis.modules.external["shop.util"] == ["os"])
    }

    @Test func theUsedClassRanksAboveTheOrphan() {
        let order = analysis.importance.classes.map(\.id)
        #expect(order.first == "shop.core:Inventory")
        #expect(order.last == "shop.core:Orphan")
        let inventory = analysis.importance.classes.first { $0.id == "shop.core:Inventory" }!
        #expect(inventory.readmeMention)
    }

    @Test func walkLimitsAreVisible() {
        let skipped = Set(analysis.scan.skipped.map(\.path))
        #expect(skipped.contains(".venv/"))
        #expect(skipped.contains("build/"))
        #expect(analysis.tree.files["tests.test_core"] != nil)
        #expect(!analysis.tree.files.keys.contains { $0.contains("ignored") || $0.hasPrefix(".venv") })
    }

    @Test func testsCanBeSkipped() async throws {
        let withoutTests = try await RepoAnalysis.analyze(analysis.root, scanner: RepoScanner(limits: .init(skipTests: true)))
        #expect(withoutTests.tree.files["tests.test_core"] == nil)
        #expect(withoutTests.scan.skipped.contains { $0.path == "tests/" && $0.reason.contains("--skip-tests") })
    }

    @Test func theTreeNestsPackagesModulesClassesAndMethods() throws {
        let core = try #require(analysis.tree.entities["shop.core"])
        #expect(core.parent == "shop")
        #expect(core.children.contains("shop.core:Inventory"))
        let add = try #require(analysis.tree.entities["shop.core:Inventory.add"])
        #expect(add.kind == .method)
        #expect(add.signature == "add(self, name, count: int = 1)")
        #expect(analysis.tree.entities["shop.sub"]?.children == ["shop.sub.deep"])
    }
}
