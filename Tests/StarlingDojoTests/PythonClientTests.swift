import Foundation
import StarlingRuntime
import Testing
@testable import StarlingDojo

/// The stdlib-only Python client runs its example episode against a live server.
@Suite(.serialized) struct PythonClientTests {
    @Test func exampleEpisodeRunsAgainstALiveServer() async throws {
        let live = try await LiveServer.start()
        defer { Task { await live.stop() } }
        let python = Shell.which("python3") ?? "/usr/bin/python3"
        let example = repositoryRoot.appendingPathComponent("clients/python/example_episode.py")
        let own = live.root.appendingPathComponent("toy_solution.py")
        try ToyTask.solution.write(to: own, atomically: true, encoding: .utf8)

        let log = live.root.appendingPathComponent("example.log")
        // -I: isolated mode, so nothing but the standard library and the client's own folder is importable.
        let process = try ChildProcess(URL(fileURLWithPath: python),
                                       ["-I", example.path, "--url", live.baseURL, "--task", ToyTask.id, "--code", own.path],
                                       output: .file(log))
        let deadline = Date().addingTimeInterval(240)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        process.kill()
        let status = process.waitUntilExit()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""

        #expect(status == 0, "example episode failed:\n\(output)")
        #expect(output.contains("execute_code stops after loading: FAILED reward 0.100 partial_credit 0.10"), "\(output)")
        #expect(output.contains("dev score"), "\(output)")
        let finalLine = try #require(output.split(separator: "\n").first { $0.hasPrefix("final test score: ") })
        let score = Double(finalLine.dropFirst("final test score: ".count).split(separator: " ").first ?? "")
        #expect(score != nil && score! > 0.6, "the client's own script should be the one submitted: \(finalLine)")
        // The client deleted its environment on the way out.
        let left = try await HTTP(base: live.baseURL).get("/envs")
        #expect(left.json["environments"]?.array?.isEmpty == true)
    }
}
