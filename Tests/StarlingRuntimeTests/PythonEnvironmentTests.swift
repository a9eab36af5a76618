import Foundation
import Testing
@testable import StarlingRuntime

@Suite struct PythonEnvironmentTests {
    @Test func requirementsFilesDropCommentsAndBlankLines() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("req-\(UUID().uuidString).txt")
        try "# a comment line\n#   indented comment\n\npandas==3.1.1  # trailing comment\nnumpy==2.4.6\n".write(to: file, atomically: true, encoding: .utf8)
        let env = try PythonEnvironment.data(in: StarlingHome(root: URL(fileURLWithPath: "/tmp/h")), requirementsFile: file)
        #expect(env.requirements == ["pandas==3.1.1", "numpy==2.4.6"])
        #expect(env.python.path == "/tmp/h/data-env/bin/python")
    }

    @Test func anEnvironmentWithoutARecordIsNotReady() {
        let env = PythonEnvironment(name: "x", path: URL(fileURLWithPath: "/nonexistent/env"), requirements: ["numpy"])
        #expect(env.record() == nil)
        #expect(!env.isReady)
    }

    @Test func theSolutionEnvironmentUsesTheCPUOnlyXGBoost() {
        #expect(PythonEnvironment.solutionRequirements.contains("xgboost-cpu"))
        #expect(!PythonEnvironment.solutionRequirements.contains("xgboost"))
    }
}
