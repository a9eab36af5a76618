import Foundation
import Testing

/// `starling repo …` on a small repository written here: the brief, a definition, references and
/// the graph page, as a user runs them.
@Suite struct RepoCommandTests {
    static let built = CommandLineTests.built

    func repository() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("starling-cli-repo-\(UUID().uuidString.prefix(8))")
        let files = [
            "pkg/__init__.py": "from .engine import Engine\n",
            "pkg/engine.py": "class Engine:\n    \"\"\"Runs things.\"\"\"\n    def start(self):\n        return self.spin()\n    def spin(self):\n        return 1\n",
            "pkg/cli.py": "from .engine import Engine\n\ndef main():\n    Engine().start()\n\nif __name__ == '__main__':\n    main()\n",
            "README.md": "# pkg\nUse the Engine.\n",
        ]
        for (path, text) in files {
            let file = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test(.enabled(if: built, "needs .build/debug/starling: run `swift build` first"))
    func mapShowRefsAndGraphAnswer() throws {
        let root = try repository()
        let cli = CommandLineTests()
        let map = try cli.starling(["repo", "map", root.path, "--budget", "400"])
        #expect(map.status == 0)
        #expect(map.output.contains("class Engine:"))
        #expect(map.output.contains("`python pkg/cli.py` (has a __main__ block)"))
        let show = try cli.starling(["repo", "show", root.path, "Engine.start"])
        #expect(show.status == 0 && show.output.contains("calls: pkg.engine.Engine.spin"))
        let refs = try cli.starling(["repo", "refs", root.path, "Engine"])
        #expect(refs.output.contains("in pkg.cli.main → Engine"))
        let missing = try cli.starling(["repo", "show", root.path, "Nothing"])
        #expect(missing.status != 0 && missing.output.contains("nothing in the repository is named 'Nothing'"))
        let page = root.appendingPathComponent("graph.html")
        let graph = try cli.starling(["repo", "graph", root.path, "--out", page.path])
        #expect(graph.status == 0)
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(html.components(separatedBy: "<circle").count - 1 == 3)
        #expect(html.contains("<line"))
    }
}
