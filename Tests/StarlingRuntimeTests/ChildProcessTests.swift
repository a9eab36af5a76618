import Foundation
import Testing
@testable import StarlingRuntime

@Suite(.timeLimit(.minutes(1))) struct ChildProcessTests {
    @Test func aProgramRunToTheEndKeepsItsStreamsApartAndReadsItsInput() throws {
        let run = try ChildProcess.runToEnd(URL(fileURLWithPath: "/bin/sh"), ["-c", "cat; echo oops >&2; exit 3"], input: Data("fed in\n".utf8))
        #expect(run.status == 3 && !run.succeeded)
        #expect(String(decoding: run.output, as: UTF8.self) == "fed in\n")
        #expect(String(decoding: run.errors, as: UTF8.self) == "oops\n")
    }

    @Test func aMissingProgramIsAStartErrorThatNamesIt() {
        let error = #expect(throws: ChildProcess.StartError.self) {
            _ = try ChildProcess(URL(fileURLWithPath: "/nonexistent/starling-helper"), [])
        }
        #expect(error?.description.contains("/nonexistent/starling-helper") == true)
    }

    @Test func aCancelledWaitInterruptsTheProgramAndItsOutputIsAppended() async throws {
        let log = try scratchFolder().appendingPathComponent("child.log")
        try "earlier line\n".write(to: log, atomically: true, encoding: .utf8)
        // The program says when SIGINT reaches it, as `starling run` closes its journal on it.
        let child = try ChildProcess(URL(fileURLWithPath: "/bin/sh"),
                                     ["-c", "trap 'echo interrupted; exit 130' INT; echo started; while true; do sleep 0.1; done"],
                                     output: .file(log))
        let waiting = Task { await child.exitStatus() }
        for _ in 0..<100 where !((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("started") {
            try await Task.sleep(for: .milliseconds(50))
        }
        waiting.cancel()
        let status = await waiting.value
        #expect(status == 130, "the trap ran and the wait saw its exit")
        #expect(!child.isRunning)
        #expect(try String(contentsOf: log, encoding: .utf8) == "earlier line\nstarted\ninterrupted\n")
    }

    @Test func killEndsAProgramThatIgnoresInterrupts() throws {
        let child = try ChildProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", "trap '' INT; exec sleep 600"])
        child.interrupt()
        #expect(child.isRunning)
        child.kill()
        #expect(!child.isRunning)
    }
}
