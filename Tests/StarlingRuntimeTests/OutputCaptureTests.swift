import Testing
@testable import StarlingRuntime

@Suite struct OutputCaptureTests {
    private func feed(_ capture: inout OutputCapture, _ text: String) {
        Array(text.utf8).withUnsafeBytes { capture.append($0) }
    }

    @Test func shortOutputIsKeptWhole() {
        var capture = OutputCapture(cap: 1000)
        feed(&capture, "hello ")
        feed(&capture, "world")
        let output = capture.finish()
        #expect(output.text == "hello world")
        #expect(!output.truncated)
        #expect(output.totalBytes == 11)
    }

    @Test func longOutputKeepsHeadAndTail() {
        var capture = OutputCapture(cap: 256)
        feed(&capture, "START" + String(repeating: "a", count: 200))
        for _ in 0..<100 { feed(&capture, String(repeating: "b", count: 50)) }
        feed(&capture, "FINISH")
        let output = capture.finish()
        #expect(output.truncated)
        #expect(output.head.hasPrefix("START"))
        #expect(output.tail.hasSuffix("FINISH"))
        #expect(output.head.utf8.count == 128 && output.tail.utf8.count == 128)
        #expect(output.text.contains("bytes omitted"))
    }

    @Test func environmentIsBuiltFromTheAllowList() {
        let request = ExecutionRequest(
            script: .init(fileURLWithPath: "/tmp/s.py"), workDir: .init(fileURLWithPath: "/tmp/w"),
            python: .init(fileURLWithPath: "/venv/bin/python"), limits: .init(cores: 2), environment: ["EXTRA": "1"])
        let env = SandboxEnvironment.build(for: request, parent: ["AWS_SECRET_ACCESS_KEY": "x", "LANG": "en_US.UTF-8", "PATH": "/secret/bin"])
        #expect(env["AWS_SECRET_ACCESS_KEY"] == nil)
        #expect(env["LANG"] == "en_US.UTF-8")
        #expect(env["PATH"]?.hasPrefix("/venv/bin:") == true)
        #expect(env["PATH"]?.contains("/secret/bin") == false)
        #expect(env["OPENBLAS_NUM_THREADS"] == "2")
        #expect(env["EXTRA"] == "1")
        #expect(env["HOME"] == "/tmp/w/.home")
    }
}
