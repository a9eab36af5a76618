import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import StarlingRuntime

/// Starts, finds and stops Starling's local `llama-server`: bound to 127.0.0.1 on a free port,
/// with explicit context (`-c`, shared by the slots), slots (`-np`) and threads from a core budget. The running
/// server is recorded in a state file so later commands find it and `starling llm stop` ends it.
package struct LlamaServerController: Sendable {
    /// The `llama-server` binary.
    package var binary: URL
    /// Where the running server is recorded.
    package var stateFile: URL
    /// Where the server writes its log.
    package var logFile: URL

    /// Creates a controller for an explicit binary and state file (tests use their own).
    ///
    /// - Parameters:
    ///   - binary: The `llama-server` binary.
    ///   - stateFile: Where the running server is recorded.
    ///   - logFile: Where the server writes its log.
    package init(binary: URL, stateFile: URL, logFile: URL) {
        self.binary = binary
        self.stateFile = stateFile
        self.logFile = logFile
    }

    /// Creates a controller for a home's installation and state file.
    ///
    /// - Parameter installation: The installation.
    package init(installation: LocalLLMInstallation) {
        self.init(binary: installation.serverBinary, stateFile: installation.serverStateFile,
                  logFile: installation.serverLogFile)
    }

    /// The recorded server if it is alive and healthy; a stale state file is removed.
    ///
    /// - Returns: The state, or `nil` when no server of ours is running.
    package func status() async -> LlamaServerState? {
        guard let data = try? Data(contentsOf: stateFile),
              let state = try? Self.decoder.decode(LlamaServerState.self, from: data) else { return nil }
        guard Self.isOurServer(pid: state.pid), await Self.isHealthy(state.healthURL) else {
            try? FileManager.default.removeItem(at: stateFile)
            return nil
        }
        return state
    }

    /// Starts a server for a GGUF file and waits until it is healthy.
    ///
    /// - Parameters:
    ///   - modelFile: The GGUF file.
    ///   - name: The model's name, recorded in the state file.
    ///   - options: Context, threads, port.
    /// - Returns: The running server's state.
    /// - Throws: ``LLMError`` with the end of the server's log when it exits or does not become
    ///   healthy in time.
    package func start(modelFile: URL, name: String, options: LlamaServerOptions = LlamaServerOptions()) async throws -> LlamaServerState {
        // A fresh server owes nobody a stop (`starling llm serve` keeps it until `llm stop`);
        // a duty left by a dead server must not carry over to it.
        try? FileManager.default.removeItem(at: stopWhenLastFile)
        do {
            return try await launch(modelFile: modelFile, name: name, options: options)
        } catch let error as LLMError where options.port == nil && error.message.contains("bind") {
            // Another process took the free port between our probe and the server's bind.
            return try await launch(modelFile: modelFile, name: name, options: options)
        }
    }

    private func launch(modelFile: URL, name: String, options: LlamaServerOptions) async throws -> LlamaServerState {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw LLMError(.localServer, "llama-server is not installed at \(binary.path): run `starling setup --llm`")
        }
        guard FileManager.default.fileExists(atPath: modelFile.path) else {
            throw LLMError(.localServer, "model file \(modelFile.path) is missing: run `starling setup --llm`")
        }
        let port = try options.port ?? Self.freePort()
        let arguments = [
            "--host", "127.0.0.1", "--port", String(port),
            "-m", modelFile.path,
            "-c", String(options.contextSize), "-np", String(max(1, options.slots)),
            "-t", String(options.threads), "-tb", String(options.batchThreads ?? options.threads),
            "--no-webui",
        ] + (options.speculative.map { ["--spec-type", $0] } ?? []) + options.extraArguments
        try FileManager.default.createDirectory(at: stateFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: logFile.deletingLastPathComponent(), withIntermediateDirectories: true)

        // The shell starts the server in its own session, detached from our terminal and process
        // group, so it outlives this process (`starling llm serve`) until stopped.
        let launcher = #"""
        log="$1"; shift
        if command -v setsid >/dev/null 2>&1; then
            setsid "$@" >"$log" 2>&1 </dev/null &
        else
            nohup "$@" >"$log" 2>&1 </dev/null &
        fi
        echo $!
        """#
        let outcome = try await Shell.capture("/bin/sh", ["-c", launcher, "sh", logFile.path, binary.path] + arguments)
        guard outcome.succeeded, let pid = Int32(outcome.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw LLMError(.localServer, "could not launch \(binary.path): \(outcome.standardError)")
        }
        let state = LlamaServerState(pid: pid, port: port, model: name, modelPath: modelFile.path, options: options,
                                     logFile: logFile.path, startedAt: Date())
        let deadline = Date().addingTimeInterval(options.healthTimeout)
        while true {
            if await Self.isHealthy(state.healthURL) { break }
            if !Self.isAlive(pid: pid) {
                throw LLMError(.localServer, "llama-server exited during start-up. End of \(logFile.path):\n\(logTail())")
            }
            if Date() > deadline {
                Self.terminate(pid: pid)
                throw LLMError(.localServer, "llama-server did not become healthy within \(Int(options.healthTimeout)) s; "
                    + "stopped it. End of \(logFile.path):\n\(logTail())")
            }
            do {
                try await Task.sleep(nanoseconds: 250_000_000)
            } catch {
                Self.terminate(pid: pid)
                throw error
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(state).write(to: stateFile, options: .atomic)
        return state
    }

    /// Serves `model` from `installation`: the one way a run, a bench or the LLM layer starts
    /// the local server. A server already serving the model is reused.
    ///
    /// - Parameters:
    ///   - model: The registry model.
    ///   - installation: Where the server and the models are installed.
    ///   - options: Options for a server that must be started.
    /// - Returns: A lease on the server.
    /// - Throws: ``LLMError`` when the server or the model is not installed (saying how to
    ///   install it), or the server does not start.
    package static func serve(_ model: LocalModel, from installation: LocalLLMInstallation,
                              options: LlamaServerOptions = LlamaServerOptions()) async throws -> LocalServerLease {
        guard installation.isServerInstalled, installation.isInstalled(model) else {
            throw LLMError(.localServer, "the local model \(model.name) is not installed in \(installation.home.llm.path): run `starling setup --llm`")
        }
        return try await LlamaServerController(installation: installation)
            .ensureRunning(modelFile: model.file(in: installation.home), name: model.name, options: options)
    }

    /// Returns the running server, starting one for `modelFile` when none runs. Call
    /// ``LocalServerLease/release()`` when done: it stops the server only if this call started it.
    ///
    /// - Parameters:
    ///   - modelFile: The GGUF file to serve if a server must be started.
    ///   - name: The model's name.
    ///   - options: Options for a new server.
    /// - Returns: A lease on the server.
    /// - Throws: ``LLMError`` when a server runs with another model, or start-up fails.
    package func ensureRunning(modelFile: URL, name: String, options: LlamaServerOptions = LlamaServerOptions()) async throws -> LocalServerLease {
        if let state = await status() {
            guard state.modelPath == modelFile.path || state.model == name else {
                throw LLMError(.localServer, "the local server (pid \(state.pid)) serves \(state.model), not \(name): "
                    + "run `starling llm stop` first, or use local:\(state.model)")
            }
            holdLease()
            return LocalServerLease(state: state, startedHere: false, controller: self)
        }
        let state = try await start(modelFile: modelFile, name: name, options: options)
        holdLease()
        // The duty to stop a server started for leases is written down at once with the starter's
        // pid, so that when the run that started it is killed (`kill -9`), the next holder to
        // release it stops it.
        _ = FileManager.default.createFile(atPath: stopWhenLastFile.path, contents: Data("\(getpid())".utf8))
        return LocalServerLease(state: state, startedHere: true, controller: self)
    }

    /// One file per process that holds a lease, so a server shared by concurrent runs is stopped
    /// by the last of them, not by whichever started it.
    var leaseFolder: URL { stateFile.deletingLastPathComponent().appendingPathComponent("leases") }
    var stopWhenLastFile: URL { leaseFolder.appendingPathComponent("stop-when-last") }

    func holdLease() {
        try? FileManager.default.createDirectory(at: leaseFolder, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: leaseFolder.appendingPathComponent("\(getpid())").path, contents: nil)
    }

    /// Drops this process's lease; returns whether other live processes still hold one.
    func dropLease() -> Bool {
        try? FileManager.default.removeItem(at: leaseFolder.appendingPathComponent("\(getpid())"))
        let holders = (try? FileManager.default.contentsOfDirectory(atPath: leaseFolder.path)) ?? []
        var others = false
        for holder in holders {
            guard let pid = Int32(holder) else { continue }
            if kill(pid, 0) == 0 {
                others = true
            } else {
                try? FileManager.default.removeItem(at: leaseFolder.appendingPathComponent(holder))
            }
        }
        return others
    }

    /// Whether the duty to stop the server is free for any holder to take: the starter passed it
    /// on when it released, or the starter died without releasing (killed).
    func stopDutyIsFree() -> Bool {
        guard let data = FileManager.default.contents(atPath: stopWhenLastFile.path) else { return false }
        guard let starter = Int32(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)), starter > 0 else {
            return true
        }
        return kill(starter, 0) != 0
    }

    /// Stops the recorded server and removes the state file.
    ///
    /// - Returns: `true` if a server was running and was stopped.
    @discardableResult
    package func stop() async -> Bool {
        defer {
            try? FileManager.default.removeItem(at: stateFile)
            try? FileManager.default.removeItem(at: stopWhenLastFile)
        }
        guard let data = try? Data(contentsOf: stateFile),
              let state = try? Self.decoder.decode(LlamaServerState.self, from: data),
              Self.isOurServer(pid: state.pid) else { return false }
        Self.terminate(pid: state.pid)
        for _ in 0..<100 where Self.isAlive(pid: state.pid) {
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
        if Self.isAlive(pid: state.pid) { kill(state.pid, SIGKILL) }
        return true
    }

    private func logTail() -> String {
        guard let text = try? String(contentsOf: logFile, encoding: .utf8) else { return "(no log)" }
        return String(text.suffix(2000))
    }

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static func isHealthy(_ url: URL) async -> Bool {
        let response = try? await SocketHTTPTransport().send(HTTPRequest(url: url, method: "GET", timeout: 2))
        return response?.status == 200
    }

    /// Alive and not a zombie (a server whose parent shell is gone may linger unreaped).
    static func isAlive(pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.first != "Z"
    }

    /// Whether `pid` is a live llama-server, so a recycled pid is never signalled.
    static func isOurServer(pid: Int32) -> Bool {
        guard pid > 1, isAlive(pid: pid) else { return false }
        guard let cmdline = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")) else { return true }
        return String(decoding: cmdline, as: UTF8.self).contains("llama-server")
    }

    static func terminate(pid: Int32) {
        kill(pid, SIGTERM)
    }

    /// A port on 127.0.0.1 that nothing listens on now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LLMError(.localServer, "cannot open a socket to find a free port (errno \(errno))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw LLMError(.localServer, "cannot bind 127.0.0.1 to find a free port (errno \(errno))") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A running local server held by a caller; stops it on ``release()`` only if starting it was
/// this lease's doing ("start when not running, stop what you started").
package struct LocalServerLease: Sendable {
    /// The server.
    package let state: LlamaServerState
    /// Whether this lease started the server.
    package let startedHere: Bool
    let controller: LlamaServerController

    /// Stops the server if this lease started it — or inherited that duty — and no other live
    /// process still holds a lease; otherwise leaves the duty to the last holder.
    package func release() async {
        let othersHold = controller.dropLease()
        guard startedHere || controller.stopDutyIsFree() else { return }
        if othersHold {
            // Passed on: whoever releases last stops it ("0": no starter to wait for).
            _ = FileManager.default.createFile(atPath: controller.stopWhenLastFile.path, contents: Data("0".utf8))
        } else {
            try? FileManager.default.removeItem(at: controller.stopWhenLastFile)
            await controller.stop()
        }
    }
}
