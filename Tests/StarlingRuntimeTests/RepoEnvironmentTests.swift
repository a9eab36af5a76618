import Foundation
import Testing
@testable import StarlingRuntime

/// A repository's declared dependencies, read without running its code and installed into an
/// environment layered on the solution environment.
@Suite struct RepoEnvironmentTests {
    static let realHome = StarlingHome.resolve()
    static var hasSolution: Bool { FileManager.default.isExecutableFile(atPath: realHome.solutionPython.path) }

    /// A home of its own (its environments are built afresh) that shares the real solution environment.
    func scratchHome() throws -> StarlingHome {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("repo-env-home-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("python"), withDestinationURL: Self.realHome.solutionEnv)
        return StarlingHome(root: root)
    }

    func repository(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("repo-\(UUID().uuidString.prefix(8))")
        for (name, text) in files {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(name).deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: root.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test(.enabled(if: hasSolution, "needs the solution environment (`starling setup`)"))
    func whatARepositoryDeclaresIsReadFromEachFileWithoutRunningIt() async throws {
        let repo = try repository([
            "pyproject.toml": "[project]\nname = \"x\"\ndependencies = [\"humanize>=4\", \"numpy\"]\n",
            // Read with ast: a name bound to a literal list is followed; the print never runs.
            "setup.py": "from setuptools import setup\nprint('ran')\nREQUIRES = ['six', 'humanize']\nsetup(name='x', install_requires=REQUIRES)\n",
            "setup.cfg": "[options]\ninstall_requires =\n    attrs>=20\n    tabulate\n",
            "requirements.txt": "tabulate\n-e .\n# a comment\nrequests; python_version > \"3\"\n",
            "requirements-dev.txt": "pytest\n",
        ])
        let declared = try await RepoEnvironment(home: Self.realHome, repository: repo).declared()
        #expect(declared.requirements == ["humanize>=4", "numpy", "attrs>=20", "tabulate", "six", "requests; python_version > \"3\""])
        #expect(declared.sources == ["pyproject.toml", "setup.cfg", "setup.py", "requirements.txt"])
        let computed = try repository(["setup.py": "from setuptools import setup\nsetup(install_requires=open('r.txt').read().split())\n"])
        let unread = try await RepoEnvironment(home: Self.realHome, repository: computed).declared()
        #expect(unread.requirements.isEmpty && unread.problems.first?.contains("not a literal list") == true)
        let none = try await RepoEnvironment(home: try scratchHome(), repository: try repository(["mod.py": "x = 1\n"])).ensure { _ in }
        #expect(none == nil, "a repository that declares nothing uses the solution environment")
    }

    @Test(.enabled(if: hasSolution, "needs the solution environment (`starling setup`) and the package index"))
    func declaredDependenciesAreInstalledBesideTheSolutionEnvironmentAndWhatCannotBeIsListed() async throws {
        let home = try scratchHome()
        defer { try? FileManager.default.removeItem(at: home.root) }
        let repo = try repository(["pyproject.toml": "[project]\nname = \"x\"\ndependencies = [\"humanize\", \"numpy>=1\", \"starling-no-such-distribution-7f3a\"]\n"])
        let environment = RepoEnvironment(home: home, repository: repo)
        let built = try #require(try await environment.ensure { _ in })
        #expect(built.record.installed == ["humanize", "numpy>=1"])
        #expect(built.record.failed.map(\.requirement) == ["starling-no-such-distribution-7f3a"])
        let check = "import humanize, numpy; print(humanize.intcomma(1234567), numpy.__version__)"
        let inRepoEnv = try await Shell.run(built.python.path, ["-c", check])
        let inSolution = try await Shell.run(home.solutionPython.path, ["-c", "import numpy; print(numpy.__version__)"])
        #expect(inRepoEnv.succeeded && inRepoEnv.output.hasPrefix("1,234,567 "), "\(inRepoEnv.output)")
        // The solution environment's numpy stays the one the scripts import.
        #expect(inRepoEnv.output.hasSuffix(inSolution.output), "\(inRepoEnv.output) vs \(inSolution.output)")
        // numpy is not copied into the repository's environment: the solution environment's is imported.
        let numpyFile = try await Shell.run(built.python.path, ["-c", "import numpy; print(numpy.__file__)"])
        let solutionNumpy = try await Shell.run(home.solutionPython.path, ["-c", "import numpy; print(numpy.__file__)"])
        #expect(numpyFile.output == solutionNumpy.output, "\(numpyFile.output) vs \(solutionNumpy.output)")
        let plain = try await Shell.run(home.solutionPython.path, ["-c", "import humanize"])
        #expect(!plain.succeeded, "the solution environment itself is left alone")
        // Built once: the second call finds the record.
        let again = try #require(try await environment.ensure { _ in })
        #expect(again.record.createdAt == built.record.createdAt && again.python == built.python)
    }
}
