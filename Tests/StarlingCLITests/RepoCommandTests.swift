import Foundation
import Testing

/// `starling repo …` on a small repository written here: the brief, a definition, references and
/// the graph page, as a user runs them.
@Suite struct RepoCommandTests {
    static let built = CommandLineTests.built

    /// Writes `files` (path → text) under a fresh temporary folder and returns it.
    static func write(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("starling-cli-repo-\(UUID().uuidString.prefix(8))")
        for (path, text) in files {
            let file = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        return root
    }

    func repository() throws -> URL {
        try Self.write([
            "pkg/__init__.py": "from .engine import Engine\n",
            "pkg/engine.py": "class Engine:\n    \"\"\"Runs things.\"\"\"\n    def start(self):\n        return self.spin()\n    def spin(self):\n        return 1\n",
            "pkg/cli.py": "from .engine import Engine\n\ndef main():\n    Engine().start()\n\nif __name__ == '__main__':\n    main()\n",
            "README.md": "# pkg\nUse the Engine.\n",
        ])
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

    /// Each process hashes with its own seed, so a graph built by walking a dictionary changes from
    /// run to run; the same repository must give the same answer in every process. Two star
    /// imports bind `pick`: the later one wins, as in Python.
    @Test(.enabled(if: built, "needs .build/debug/starling: run `swift build` first"))
    func repositoryAnswersAreTheSameInEveryProcess() throws {
        let root = try Self.write([
            "pkg/__init__.py": "from .a import *\nfrom .b import *\nfrom .c import *\n",
            "pkg/a.py": "def pick():\n    return 'a'\n",
            "pkg/b.py": "def pick():\n    return 'b'\n",
            "pkg/c.py": "__all__ = ['other']\ndef pick():\n    return 'c'\ndef other():\n    return 0\n",
            "app.py": "import pkg\n\ndef main():\n    return pkg.pick()\n",
        ])
        var answers: Set<String> = []
        for _ in 0..<6 {
            let (status, output) = try CommandLineTests().starling(["repo", "deps", root.path, "app.main"])
            #expect(status == 0, "\(output)")
            answers.insert(output.split(separator: "\n").filter { $0.contains("pick") }.joined(separator: "\n"))
        }
        #expect(answers.count == 1 && answers.first?.contains("pkg.b.pick") == true, "\(answers)")
    }
}
