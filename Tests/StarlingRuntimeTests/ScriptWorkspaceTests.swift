import Foundation
import Testing
import StarlingCore
@testable import StarlingRuntime

@Suite struct ScriptWorkspaceTests {
    @Test func aPreparedWorkspaceRunsTheScriptOnItsInputAndFindsItsSubmission() async throws {
        let root = try scratchFolder()
        let data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try "id,x\n1,2\n".write(to: data.appendingPathComponent("test.csv"), atomically: true, encoding: .utf8)
        let workspace = ScriptWorkspace(root.appendingPathComponent("node"))
        // An earlier run's submission must not survive into the next run.
        try FileManager.default.createDirectory(at: workspace.submissionFolder, withIntermediateDirectories: true)
        try "stale".write(to: workspace.submission, atomically: true, encoding: .utf8)

        let code = """
        import os
        rows = open(os.path.join("input", "test.csv")).read().splitlines()
        open(os.path.join("working", "note.txt"), "w").write("scratch")
        print("rows", len(rows) - 1)
        open(os.path.join("submission", "submission.csv"), "w").write("id,y\\n1,0.5\\n")
        """
        try workspace.prepare(code: code, input: .link(data))
        #expect(!workspace.hasSubmission, "prepare removes the earlier submission")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: workspace.input.path) == data.path)

        let sandbox = try await Sandbox.probing()
        let result = try await sandbox.run(ExecutionRequest(script: workspace.script, workDir: workspace.folder, readOnlyPaths: [data],
                                                            python: testPython(), limits: ExecutionLimits(timeoutSeconds: 60)))
        #expect(result.succeeded, "\(result.summary): \(result.output.text)")
        #expect(workspace.hasSubmission)
        #expect(try String(contentsOf: workspace.submission, encoding: .utf8) == "id,y\n1,0.5\n")
        #expect(try String(contentsOf: workspace.log, encoding: .utf8).contains("rows 1"), "the sandbox logs to the workspace's run.log")

        workspace.dropWorkingFiles()
        #expect(!FileManager.default.fileExists(atPath: workspace.working.path))
        #expect(FileManager.default.fileExists(atPath: workspace.script.path) && workspace.hasSubmission)
    }

    @Test func aCopiedInputIsMadeOnceAndLeftAloneAfterwards() throws {
        let root = try scratchFolder()
        let data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try "a".write(to: data.appendingPathComponent("f.txt"), atomically: true, encoding: .utf8)
        let workspace = ScriptWorkspace(root.appendingPathComponent("w"))
        try workspace.prepare(code: "print(1)\n", input: .copy(data))
        let copied = workspace.input.appendingPathComponent("f.txt")
        #expect(try String(contentsOf: copied, encoding: .utf8) == "a")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: workspace.input.path)) == nil, "a copy, not a link")
        try "b".write(to: data.appendingPathComponent("f.txt"), atomically: true, encoding: .utf8)
        try workspace.prepare(code: "print(2)\n", input: .copy(data))
        #expect(try String(contentsOf: copied, encoding: .utf8) == "a")
        #expect(try String(contentsOf: workspace.script, encoding: .utf8) == "print(2)\n")
    }
}
