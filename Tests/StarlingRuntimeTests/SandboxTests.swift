import Foundation
import Testing
@testable import StarlingCore
@testable import StarlingRuntime

/// A Python interpreter for tests: the solution environment's, else the system's.
func testPython() -> URL {
    let venv = StarlingHome.resolve().solutionPython
    if FileManager.default.isExecutableFile(atPath: venv.path) { return venv }
    return URL(fileURLWithPath: Shell.which("python3") ?? "/usr/bin/python3")
}

/// A fresh folder under the temporary directory.
func scratchFolder(_ name: String = #function) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("starling-tests-\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// Writes `source` to `folder/name` and returns a request that runs it there.
func scriptRequest(_ source: String, in folder: URL, name: String = "script.py", limits: ExecutionLimits = ExecutionLimits(timeoutSeconds: 60)) throws -> ExecutionRequest {
    let script = folder.appendingPathComponent(name)
    try source.write(to: script, atomically: true, encoding: .utf8)
    return ExecutionRequest(script: script, workDir: folder.appendingPathComponent("work"), python: testPython(), limits: limits)
}

/// Processes whose command line contains `marker`, found through /proc.
func processes(containing marker: String) -> [Int32] {
    ProcessTable.entries().filter { $0.pid != getpid() && $0.command.contains(marker) }.map(\.pid)
}

@Suite(.serialized) struct SandboxTests {
    let sandbox: Sandbox

    init() async throws {
        sandbox = try await Sandbox.probing()
    }

    @Test func cleanScriptSucceedsAndReportsResources() async throws {
        let folder = try scratchFolder()
        let result = try await sandbox.run(try scriptRequest("import sys\nprint('hi from', sys.argv[0])\nopen('out.txt','w').write('x')\n", in: folder))
        #expect(result.succeeded)
        #expect(result.exitCode == 0)
        #expect(result.output.text.contains("hi from"))
        #expect(result.cpuSeconds != nil)
        #expect((result.peakRSSBytes ?? 0) > 1_000_000)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("work/out.txt").path))
        let log = try String(contentsOfFile: result.logPath, encoding: .utf8)
        #expect(log.contains("hi from"))
    }

    @Test func setsidGrandchildDiesAtTimeout() async throws {
        let folder = try scratchFolder()
        let marker = "starling-grandchild-\(UUID().uuidString.prefix(8))"
        let source = """
        import subprocess, sys, time
        # A grandchild in its own session and process group, the way a daemon escapes its parent.
        subprocess.Popen(["setsid", sys.executable, "-c", "import time; time.sleep(600)", "\(marker)"], start_new_session=True)
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "\(marker)"])
        print("spawned", flush=True)
        time.sleep(600)
        """
        let request = try scriptRequest(source, in: folder, limits: ExecutionLimits(timeoutSeconds: 3))
        let result = try await sandbox.run(request)
        #expect(result.timedOut)
        #expect(!result.succeeded)
        // The script sleeps 600 s; finishing far sooner means the timeout killed it (the bound is
        // loose because parallel suites on a loaded machine stretch wall time).
        #expect(result.wallSeconds < 120)
        #expect(result.output.text.contains("spawned"))
        var left = processes(containing: marker)
        for _ in 0..<20 where !left.isEmpty {
            try await Task.sleep(for: .milliseconds(100))
            left = processes(containing: marker)
        }
        #expect(left.isEmpty, "processes left behind: \(left)")
    }

    @Test func secretsInTheParentNeverReachTheScript() async throws {
        setenv("STARLING_TEST_SECRET_KEY", "sk-should-not-leak", 1)
        setenv("OPENAI_API_KEY", "sk-openai-should-not-leak", 1)
        defer {
            unsetenv("STARLING_TEST_SECRET_KEY")
            unsetenv("OPENAI_API_KEY")
        }
        let folder = try scratchFolder()
        let source = """
        import os
        print("ENV:" + ";".join(f"{k}={v}" for k, v in sorted(os.environ.items())))
        """
        var request = try scriptRequest(source, in: folder)
        request.limits.cores = 3
        let result = try await sandbox.run(request)
        #expect(result.succeeded)
        let text = result.output.text
        #expect(!text.contains("should-not-leak"))
        #expect(!text.contains("STARLING_TEST_SECRET_KEY"))
        #expect(!text.contains("OPENAI_API_KEY"))
        #expect(text.contains("OMP_NUM_THREADS=3"))
        #expect(text.contains("STARLING_N_JOBS=3"))
    }

    @Test func inputsCannotBeWritten() async throws {
        let folder = try scratchFolder()
        let inputs = folder.appendingPathComponent("inputs")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        let data = inputs.appendingPathComponent("train.csv")
        try "id,y\n1,0\n".write(to: data, atomically: true, encoding: .utf8)
        let source = """
        import os
        try:
            with open(\(String(reflecting: data.path)), "w") as f:
                f.write("overwritten")
            print("WRITE-OK")
        except OSError as e:
            print("WRITE-REFUSED", e.errno)
        try:
            os.remove(\(String(reflecting: data.path)))
            print("REMOVE-OK")
        except OSError as e:
            print("REMOVE-REFUSED", e.errno)
        """
        var request = try scriptRequest(source, in: folder)
        request.readOnlyPaths = [inputs]
        let result = try await sandbox.run(request)
        #expect(result.succeeded)
        if sandbox.isolation.usesNamespaces || getuid() != 0 {
            #expect(result.output.text.contains("WRITE-REFUSED"))
            #expect(result.output.text.contains("REMOVE-REFUSED"))
            #expect(try String(contentsOf: data, encoding: .utf8) == "id,y\n1,0\n")
        }
    }

    @Test func hiddenPathsCannotBeRead() async throws {
        try #require(sandbox.isolation.usesNamespaces, "needs a mount namespace")
        let folder = try scratchFolder()
        let privateDir = folder.appendingPathComponent("private")
        try FileManager.default.createDirectory(at: privateDir, withIntermediateDirectories: true)
        try "id,y\n1,SECRET-LABEL\n".write(to: privateDir.appendingPathComponent("answers.csv"), atomically: true, encoding: .utf8)
        let mapping = folder.appendingPathComponent("mapping.json")
        try "{\"secret\": \"SECRET-MAP\"}".write(to: mapping, atomically: true, encoding: .utf8)
        let source = """
        import os
        print("LIST", os.listdir(\(String(reflecting: privateDir.path))))
        print("MAP", repr(open(\(String(reflecting: mapping.path))).read()))
        """
        var request = try scriptRequest(source, in: folder)
        request.hiddenPaths = [privateDir, mapping]
        let result = try await sandbox.run(request)
        #expect(result.succeeded)
        #expect(result.output.text.contains("LIST []"))
        #expect(!result.output.text.contains("SECRET"))
        #expect(FileManager.default.fileExists(atPath: privateDir.appendingPathComponent("answers.csv").path))
    }

    @Test func largeAllocationUnderALimitIsAMemoryKill() async throws {
        let folder = try scratchFolder()
        let source = """
        block = b"x" * (4 * 1024 ** 3)
        print("allocated", len(block))
        """
        let request = try scriptRequest(source, in: folder, limits: ExecutionLimits(timeoutSeconds: 120, memoryMB: 1024))
        let result = try await sandbox.run(request)
        #expect(result.killedForMemory)
        #expect(!result.succeeded)
        #expect(!result.output.text.contains("allocated"))
        #expect(result.summary.contains("memory"))
    }

    @Test func hundredMegabytesOfOutputStayWithinTheCap() async throws {
        let folder = try scratchFolder()
        let source = """
        import sys
        line = "z" * 99 + "\\n"
        for _ in range(1_000_000):
            sys.stdout.write(line)
        print("THE-END")
        """
        let cap = 8 * 1024
        let request = try scriptRequest(source, in: folder, limits: ExecutionLimits(timeoutSeconds: 120, outputCapBytes: cap))
        let result = try await sandbox.run(request)
        #expect(result.succeeded)
        #expect(result.output.totalBytes == 100_000_008)
        #expect(result.output.truncated)
        #expect(result.output.head.utf8.count + result.output.tail.utf8.count <= cap)
        #expect(result.output.tail.hasSuffix("THE-END\n"))
        let size = try FileManager.default.attributesOfItem(atPath: result.logPath)[.size] as? Int
        #expect(size == 100_000_008)
    }

    @Test func syntaxErrorIsReportedAndNothingRuns() async throws {
        let folder = try scratchFolder()
        let source = "open('ran.txt', 'w').write('ran')\ndef broken(:\n    pass\n"
        let result = try await sandbox.run(try scriptRequest(source, in: folder))
        #expect(result.syntaxError?.contains("line 2") == true)
        #expect(result.summary.hasPrefix("syntax error"))
        #expect(!result.succeeded)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("work/ran.txt").path))
    }

    @Test func nonZeroExitIsAResultWithItsTraceback() async throws {
        let folder = try scratchFolder()
        let result = try await sandbox.run(try scriptRequest("import pandas_that_does_not_exist\n", in: folder))
        #expect(result.exitCode == 1)
        #expect(result.output.text.contains("ModuleNotFoundError"))
        #expect(!result.timedOut && !result.killedForMemory)
    }

    @Test func cancellationKillsTheTree() async throws {
        let folder = try scratchFolder()
        let marker = "starling-cancel-\(UUID().uuidString.prefix(8))"
        let source = """
        import subprocess, sys, time
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "\(marker)"], start_new_session=True)
        time.sleep(600)
        """
        let request = try scriptRequest(source, in: folder, limits: ExecutionLimits(timeoutSeconds: 300))
        let sandbox = self.sandbox
        let task = Task { try await sandbox.run(request) }
        for _ in 0..<50 where processes(containing: marker).isEmpty {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(!processes(containing: marker).isEmpty)
        task.cancel()
        _ = try? await task.value
        var left = processes(containing: marker)
        for _ in 0..<30 where !left.isEmpty {
            try await Task.sleep(for: .milliseconds(100))
            left = processes(containing: marker)
        }
        #expect(left.isEmpty)
    }

    @Test func missingInterpreterIsAClearError() async throws {
        let folder = try scratchFolder()
        var request = try scriptRequest("print(1)\n", in: folder)
        request.python = URL(fileURLWithPath: "/nonexistent/python")
        await #expect(throws: SandboxError.self) { try await sandbox.run(request) }
    }
}
