import Foundation
import StarlingRuntime
import Testing

/// How `starling run` ends when it cannot go on as planned: a model that never answers, a Ctrl-C.
@Suite struct RunEndingTests {
    let cli = CommandLineTests()

    /// A folder with the tiny task in `tasks/`, removed after the test.
    func withTinyTask(_ body: (URL) throws -> Void) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("run-ending-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        try TinyTask.write(into: root.appendingPathComponent("tasks/tiny"))
        try body(root)
    }

    @Test(.enabled(if: CommandLineTests.built && CommandLineTests.solutionPython, "needs .build/debug/starling and `starling setup`"))
    func aRunWhoseModelCannotBeReachedStopsAskingSaysSoAndExitsWithItsOwnStatus() throws {
        try withTinyTask { root in
            let out = root.appendingPathComponent("run")
            let started = Date()
            // Nothing listens on port 9 of the loopback: every call is refused.
            let (status, output) = try cli.starling(["run", "tiny", "--tasks-dir", root.appendingPathComponent("tasks").path,
                                                     "--llm", "openai-compatible:nobody@http://127.0.0.1:9/v1", "--time", "6m", "--out", out.path])
            let seconds = Date().timeIntervalSince(started)
            #expect(status == 3, "\(output.suffix(2000))")
            #expect(output.contains("NO MODEL    no model answered: 3 calls in a row failed"), "\(output.suffix(2000))")
            // It stopped asking instead of spending its six minutes on calls that fail.
            #expect(seconds < 240, "took \(Int(seconds)) s")
            let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any]
            #expect((summary?["stopReason"] as? String)?.hasPrefix("no model answered") == true)
            #expect((summary?["modelUnreachable"] as? String)?.contains("Connection refused") == true
                    || (summary?["modelUnreachable"] as? String)?.contains("connection") == true)
            // It finished with the best script it had: the card examples ran without the model.
            #expect(summary?["validSubmission"] as? Bool == true, "\(output.suffix(2000))")
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path))
        }
    }

    @Test(.enabled(if: CommandLineTests.built && CommandLineTests.solutionPython, "needs .build/debug/starling and `starling setup`"))
    func ctrlCWritesTheReportOfTheRunSoFarAndSaysHowToResume() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("run-ending-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        try TinyTask.write(into: root.appendingPathComponent("tasks/tiny"))
        let out = root.appendingPathComponent("run")
        let console = root.appendingPathComponent("console.log")
        let process = try ChildProcess(CommandLineTests.executable, ["run", "tiny", "--tasks-dir", root.appendingPathComponent("tasks").path,
                                                                     "--strategy", "examples", "--time", "10m", "--out", out.path],
                                       output: .file(console))
        // Wait for the first node to be written: the search is under way.
        let nodes = out.appendingPathComponent("nodes")
        for _ in 0..<600 {
            if ((try? FileManager.default.contentsOfDirectory(atPath: nodes.path)) ?? []).count >= 1 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        process.interrupt()
        let status = await process.exitStatus()
        let output = (try? String(contentsOf: console, encoding: .utf8)) ?? ""
        #expect(status == 130, "\(output.suffix(2000))")
        #expect(output.contains("report      \(out.appendingPathComponent("report.html").path)"), "\(output.suffix(2000))")
        #expect(output.contains("resume      starling resume \(out.path)"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path))
        // Not finished: no final step ran, so `resume` has the rest to do.
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("summary.json").path))
    }
}
