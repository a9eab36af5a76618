import Foundation
import Testing
@testable import StarlingCore
@testable import StarlingRuntime

/// The same guarantees without namespaces or cgroups, as on a machine where `unshare` is denied.
@Suite(.serialized) struct SandboxFallbackTests {
    let sandbox = try! Sandbox(isolation: SandboxIsolation(unshareArguments: [], unsharePath: nil, cgroupParent: nil, limitations: ["forced by test"]))

    @Test func setsidGrandchildDiesAtTimeoutWithoutNamespaces() async throws {
        let folder = try scratchFolder()
        let marker = "starling-fallback-\(UUID().uuidString.prefix(8))"
        let source = """
        import subprocess, sys, time
        subprocess.Popen(["setsid", sys.executable, "-c", "import time; time.sleep(600)", "\(marker)"], start_new_session=True)
        print("spawned", flush=True)
        time.sleep(600)
        """
        let result = try await sandbox.run(try scriptRequest(source, in: folder, limits: ExecutionLimits(timeoutSeconds: 2)))
        #expect(result.timedOut)
        #expect(result.isolation.contains("subreaper"))
        var left = processes(containing: marker)
        for _ in 0..<30 where !left.isEmpty {
            try await Task.sleep(for: .milliseconds(100))
            left = processes(containing: marker)
        }
        #expect(left.isEmpty, "processes left behind: \(left)")
    }

    @Test func addressSpaceLimitReportsAMemoryKill() async throws {
        let folder = try scratchFolder()
        let source = "block = b'x' * (4 * 1024 ** 3)\nprint('allocated')\n"
        let result = try await sandbox.run(try scriptRequest(source, in: folder, limits: ExecutionLimits(timeoutSeconds: 60, memoryMB: 1024)))
        #expect(result.killedForMemory)
        #expect(result.output.text.contains("MemoryError"))
    }

    @Test func backgroundChildrenDieWhenTheScriptEnds() async throws {
        let folder = try scratchFolder()
        let marker = "starling-orphan-\(UUID().uuidString.prefix(8))"
        let source = """
        import subprocess, sys
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "\(marker)"], start_new_session=True)
        print("leaving")
        """
        let result = try await sandbox.run(try scriptRequest(source, in: folder))
        #expect(result.succeeded)
        #expect(processes(containing: marker).isEmpty)
    }
}
