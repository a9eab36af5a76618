import Foundation
import Testing
@testable import StarlingAgents
import StarlingRuntime

/// A real traceback from the solution environment: the failing library function's definition is
/// read from the installed source.
@Suite("Library lookup from a traceback")
struct LibraryLookupTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: StarlingHome.resolve().solutionPython.path), "needs the solution environment"))
    func theRaisingLibraryFunctionIsFoundInSitePackages() async throws {
        let script = "from sklearn.linear_model import LogisticRegression\nLogisticRegression().fit([[1], [2]], [0, 0])\n"
        let outcome = try await Shell.run(StarlingHome.resolve().solutionPython.path, ["-c", script])
        #expect(!outcome.succeeded)
        let facts = await LibraryLookup.facts(forTraceback: outcome.output)
        #expect(facts.contains { $0.contains("sklearn/linear_model/_logistic.py:") && $0.contains("def fit(self, X, y, sample_weight=None)") },
                "\(facts)")
    }

    @Test func framesOutsideSitePackagesAreIgnored() async {
        let traceback = "Traceback (most recent call last):\n  File \"/work/run/nodes/3/solution.py\", line 9, in <module>\n    x = f()\nNameError: name 'f' is not defined"
        #expect(LibraryLookup.libraryFrames(in: traceback).isEmpty)
        #expect(await LibraryLookup.facts(forTraceback: traceback).isEmpty)
    }
}
