import Foundation
import Testing
@testable import StarlingRepo

@Suite("Repository brief within a token budget")
struct RepoBriefTests {
    @Test(arguments: [300, 350, 600, 1000, 2500])
    func theBriefFitsItsBudget(budget: Int) async throws {
        let analysis = try await RepoAnalysis.analyze(try FixtureRepository.make())
        let brief = RepoBrief(analysis, budget: budget)
        #expect(brief.tokens <= budget)
        #expect(brief.text.hasPrefix("# Repository "))
    }

    @Test func aRoomyBriefHasTheReadmeEntryPointsAndSkeletons() async throws {
        let analysis = try await RepoAnalysis.analyze(try FixtureRepository.make())
        let brief = RepoBrief(analysis, budget: 4000)
        #expect(brief.text.contains("Keep stock with the `Inventory` class"))
        #expect(!brief.text.contains("badge.svg"))
        #expect(brief.text.contains("`python app.py` (has a __main__ block)"))
        #expect(brief.text.contains("def add(self, name, count: int = 1)"))
        #expect(brief.text.contains("- shop.core.Inventory (shop/core.py:5) — Counts items by name."))
        #expect(brief.modulesShown >= 4)
    }

    @Test func aTightBriefListsWhatItCouldNotShow() async throws {
        let analysis = try await RepoAnalysis.analyze(try FixtureRepository.make())
        let brief = RepoBrief(analysis, budget: 300)
        #expect(brief.modulesShown < analysis.tree.files.count)
        #expect(brief.text.contains("## Other modules") || brief.modulesShown == 0)
    }
}

@Suite("Exploration tools")
struct RepoToolboxTests {
    let toolbox: RepoToolbox

    init() async throws {
        toolbox = RepoToolbox(try await RepoAnalysis.analyze(try FixtureRepository.make()), outputLimit: 3000)
    }

    @Test func viewFunctionShowsSourceCalleesAndCallers() {
        let result = toolbox.call("view_function", ["name": "Inventory.add"])
        #expect(result.ok)
        #expect(result.output.contains("def add(self, name, count: int = 1):"))
        #expect(result.output.contains("calls: shop.base.Store.check, shop.core.Inventory._log, shop.util.normalize"))
        #expect(result.output.contains("called by: shop.sub.deep.build"))
    }

    @Test func viewClassNamesBasesAndSubclasses() {
        let store = toolbox.call("view_class", ["name": "Store"])
        #expect(store.output.contains("subclasses: shop.core.Inventory"))
        let inventory = toolbox.call("view_class", ["name": "shop.core.Inventory"])
        #expect(inventory.output.contains("bases: shop.base.Store"))
    }

    @Test func referencesAndDependenciesComeFromTheGraphs() {
        let references = toolbox.call("find_references", ["name": "Inventory"])
        #expect(references.output.contains("in shop.sub.deep.build → Inventory"))
        #expect(references.output.contains("in app.main → Inventory"))
        let dependencies = toolbox.call("find_dependencies", ["name": "shop.util"])
        #expect(dependencies.output.contains("imports outside: os"))
        let moduleReferences = toolbox.call("find_references", ["name": "shop.base"])
        #expect(moduleReferences.output.contains("imported by: shop.core"))
    }

    @Test func searchAndStructureAreBounded() {
        let search = toolbox.call("search_code", ["pattern": "def "])
        #expect(search.ok)
        #expect(search.output.contains("shop/core.py:"))
        let structure = toolbox.call("list_structure", [:])
        #expect(structure.output.contains("shop.core [shop/core.py]"))
        let tight = RepoToolbox(toolbox.analysis, outputLimit: 200).call("search_code", ["pattern": "."])
        #expect(tight.output.count <= 260)
        #expect(tight.output.contains("lines omitted"))
    }

    /// `(a+)+$` against a line of 40 `a`s and a `b` backtracks 2^40 times; it is searched as text.
    @Test func aRepetitionOfARepetitionIsSearchedAsText() async throws {
        for pattern in ["(a+)+$", "(a|aa)*b", "(x*){2,}", "((ab)+c)*", "(?:\\w+\\s?)+$"] {
            #expect(RepoToolbox.repeatsARepetition(pattern), "\(pattern)")
        }
        for pattern in ["def \\w+\\(", "(foo|bar)", "(a+)b", "[(a+)]+", "\\(a+\\)+", "(ab)?"] {
            #expect(!RepoToolbox.repeatsARepetition(pattern), "\(pattern)")
        }
        let root = try FixtureRepository.make()
        try ("x = '" + String(repeating: "a", count: 40) + "b'\n").write(to: root.appendingPathComponent("slow.py"), atomically: true, encoding: .utf8)
        let analysis = try await RepoAnalysis.analyze(root)
        let started = Date()
        let result = RepoToolbox(analysis).call("search_code", ["pattern": "(a+)+$"])
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(!result.ok && result.output.contains("no line matches"))
    }

    @Test func viewFileOfADottedNameOrExtensionlessPathShowsTheDefinition() {
        let byPath = toolbox.call("view_file", ["path": "shop/core/Inventory"])
        #expect(byPath.ok && byPath.output.contains("class shop.core.Inventory"))
        let missing = toolbox.call("view_file", ["path": "shop/nothing.py"])
        #expect(!missing.ok)
    }

    @Test func aCodeLikePatternFallsBackToDefinitionsOnce() {
        let found = toolbox.call("search_code", ["pattern": "inv.add(name, count=2)"])
        #expect(found.ok && found.output.contains("definitions named 'add'") && found.output.contains("shop/core.py:10"))
        // A name with no definition at all is an answer, not an endless search.
        let nothing = toolbox.call("search_code", ["pattern": "zz.undefined_thing(x=1)"])
        #expect(!nothing.ok && nothing.output.contains("no line matches"))
    }

    @Test func badCallsSayWhatToGiveInstead() {
        let unknown = toolbox.call("open_browser", [:])
        #expect(!unknown.ok)
        #expect(unknown.output.contains("list_structure"))
        let missing = toolbox.call("view_function", [:])
        #expect(!missing.ok)
        #expect(missing.output.contains("needs 'name'"))
        let nothing = toolbox.call("view_class", ["name": "Nope"])
        #expect(nothing.output.contains("nothing in the repository is named 'Nope'"))
        let outside = toolbox.call("view_file", ["path": "../../etc/passwd"])
        #expect(!outside.ok)
        #expect(outside.output.contains("outside the repository"))
    }
}

@Suite("Exploration tools beyond the repository")
struct RepoToolboxExtraFolderTests {
    @Test func viewFileReadsATaskInputButNothingAboveIt() async throws {
        let analysis = try await RepoAnalysis.analyze(try FixtureRepository.make())
        let inputs = FileManager.default.temporaryDirectory.appendingPathComponent("starling-inputs-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        try "a,b\n1,2\n".write(to: inputs.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        var toolbox = RepoToolbox(analysis)
        toolbox.extraFolders = ["input": inputs]
        let shown = toolbox.call("view_file", ["path": "input/data.csv"])
        #expect(shown.ok && shown.output.contains("1  a,b"))
        #expect(!toolbox.call("view_file", ["path": "input/../../etc/passwd"]).ok)
    }
}

@Suite("Searching documentation")
struct RepoToolboxDocumentationTests {
    @Test func searchCodeFindsOptionsDocumentedOnlyInDocs() async throws {
        let root = try FixtureRepository.make()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("docs"), withIntermediateDirectories: true)
        try "Options\n=======\n\n``strip_comments``: remove comments.\n".write(to: root.appendingPathComponent("docs/options.rst"), atomically: true, encoding: .utf8)
        let toolbox = RepoToolbox(try await RepoAnalysis.analyze(root))
        let found = toolbox.call("search_code", ["pattern": "strip_comments"])
        #expect(found.ok && found.output.contains("docs/options.rst:4"))
        #expect(!toolbox.call("search_code", ["pattern": "ignored"]).output.contains(".venv"))
    }
}
