import Foundation
import Subprocess
import Synchronization
import SystemPackage
import StarlingCore

/// Runs generated Python under limits: wall clock, memory, cores, output size; no secrets in
/// its environment, read-only inputs, no network, and no process left behind.
///
/// Every script goes through `sandbox_launcher.py`, which compiles it first (a syntax error is
/// reported as such, nothing runs), reaps every descendant and reports CPU time and peak memory.
package struct Sandbox: Sendable {
    /// How scripts are fenced in on this machine.
    package let isolation: SandboxIsolation
    /// The launcher script shipped with Starling.
    package let launcher: URL

    /// Seconds after a termination request before everything is killed outright (fallback mode).
    static let terminationGrace: Duration = .seconds(2)
    /// Seconds to wait for the output pipe to close once the tree is dead.
    static let drainGrace: Duration = .seconds(5)

    /// Creates a sandbox with a known isolation mode.
    ///
    /// - Parameters:
    ///   - isolation: The isolation to use, usually from ``SandboxIsolation/probe()``.
    ///   - launcher: The launcher script; the bundled one by default.
    /// - Throws: ``SandboxError`` when the bundled launcher is missing.
    package init(isolation: SandboxIsolation, launcher: URL? = nil) throws {
        self.isolation = isolation
        guard let launcher = launcher ?? Self.bundledLauncher else {
            throw SandboxError(code: .missingLauncher, message: "sandbox_launcher.py is missing from Starling's resources; rebuild with `swift build`")
        }
        self.launcher = launcher
    }

    /// Creates a sandbox with the strongest isolation this machine allows.
    ///
    /// - Throws: ``SandboxError`` when the bundled launcher is missing.
    package static func probing() async throws -> Sandbox {
        try Sandbox(isolation: await SandboxIsolation.probe())
    }

    /// The launcher inside this module's resource bundle.
    package static var bundledLauncher: URL? {
        Bundle.module.url(forResource: "sandbox_launcher", withExtension: "py", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "sandbox_launcher", withExtension: "py")
    }

    /// Runs one script and reports how it ended.
    ///
    /// Cancelling the calling task kills the script's whole process tree.
    ///
    /// - Parameter request: What to run and under which limits.
    /// - Returns: Exit status, timing, memory, captured output.
    /// - Throws: ``SandboxError`` when the script could not be started at all.
    package func run(_ request: ExecutionRequest) async throws -> ExecutionResult {
        let fm = FileManager.default
        try Self.prepare(request)
        let id = UUID().uuidString.lowercased()
        let control = fm.temporaryDirectory.appendingPathComponent("starling-exec-\(id)")
        try fm.createDirectory(at: control, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: control) }

        var cgroup: MemoryCgroup?
        if let parent = isolation.cgroupParent, let mb = request.limits.memoryMB {
            cgroup = try MemoryCgroup(parent: parent, name: "starling-\(id)", limitBytes: mb * 1024 * 1024)
        }
        defer { cgroup?.remove() }

        let resultPath = control.appendingPathComponent("result.json")
        let environment = SandboxEnvironment.build(for: request)
        let controlFile = control.appendingPathComponent("control.json")
        try launcherControl(for: request, environment: environment, cgroup: cgroup, resultPath: resultPath).write(to: controlFile)

        let logURL = request.logFile ?? ScriptWorkspace(request.workDir).log
        _ = fm.createFile(atPath: logURL.path, contents: nil)
        guard let log = FileHandle(forWritingAtPath: logURL.path) else {
            throw SandboxError(code: .badRequest, message: "cannot write the log file \(logURL.path)")
        }
        defer { try? log.close() }

        let state = RunState(log: log, cap: request.limits.outputCapBytes)
        let clock = ContinuousClock()
        let start = clock.now
        let termination = try await spawn(request, controlFile: controlFile, environment: environment, state: state)
        let wallSeconds = start.duration(to: clock.now).seconds
        let captured = state.capture.withLock { $0.finish() }
        let report = LauncherReport.read(from: resultPath)

        var result = ExecutionResult(
            exitCode: report?.exitCode, signal: report?.signal, timedOut: state.timedOut.withLock { $0 }, killedForMemory: false,
            syntaxError: report?.syntaxError, launchError: report?.launchError, wallSeconds: wallSeconds,
            cpuSeconds: report?.cpuSeconds, peakRSSBytes: report?.peakRSSBytes, output: captured, logPath: logURL.path,
            isolation: isolation.description)
        if report == nil { result.takeUnreported(termination) }
        if let cgroup {
            result.killedForMemory = cgroup.oomKilled
        } else if request.limits.memoryMB != nil, result.exitCode != 0,
                  captured.tail.contains("MemoryError") || captured.head.contains("MemoryError") {
            result.killedForMemory = true
        }
        return result
    }

    /// Checks that the script and interpreter exist and makes the working folder with its
    /// private home and temporary folders.
    ///
    /// - Throws: ``SandboxError`` (`badRequest`) naming what is missing.
    static func prepare(_ request: ExecutionRequest) throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: request.script.path) else {
            throw SandboxError(code: .badRequest, message: "script not found: \(request.script.path)")
        }
        guard fm.isExecutableFile(atPath: request.python.path) else {
            throw SandboxError(code: .badRequest, message: "Python interpreter not found: \(request.python.path); run `starling setup`")
        }
        for folder in ["", ".home", ".tmp"] {
            try fm.createDirectory(at: request.workDir.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
    }

    /// The launcher's control document for `request`: paths are fenced only where namespaces
    /// allow, and memory is limited by the cgroup when there is one, else by an address-space limit.
    func launcherControl(for request: ExecutionRequest, environment: [String: String], cgroup: MemoryCgroup?, resultPath: URL) -> LauncherControl {
        LauncherControl(
            script: request.script.standardizedFileURL.path, arguments: request.arguments,
            cwd: request.workDir.standardizedFileURL.path, python: request.python.path, environment: environment,
            readOnly: isolation.usesNamespaces ? request.readOnlyPaths.map { $0.resolvingSymlinksInPath().path } : [],
            hidden: isolation.usesNamespaces ? request.hiddenPaths.map { $0.resolvingSymlinksInPath().path } : [],
            cgroup: cgroup?.path, rlimitAsBytes: cgroup == nil ? request.limits.memoryMB.map { $0 * 1024 * 1024 } : nil,
            resultPath: resultPath.path, backupDeadlineSeconds: request.limits.timeoutSeconds + Self.backupDeadlineMargin)
    }

    /// Seconds the launcher's own deadline lies beyond the watchdog's: it only acts when the
    /// watchdog could not (Starling itself was stopped).
    static let backupDeadlineMargin = 30.0

    /// Starts the launcher (inside `unshare` when namespaces are available), streams its output
    /// into `state`, and kills the whole tree at the timeout or when the calling task is cancelled.
    ///
    /// - Returns: How the launcher process ended.
    /// - Throws: ``SandboxError`` when it could not be started.
    func spawn(_ request: ExecutionRequest, controlFile: URL, environment: [String: String], state: RunState) async throws -> TerminationStatus {
        let launcherArguments = [request.python.path, launcher.path, controlFile.path]
        let executable: Executable
        let arguments: [String]
        if let unshare = isolation.unsharePath {
            executable = .path(FilePath(unshare))
            arguments = isolation.unshareArguments + ["--"] + launcherArguments
        } else {
            executable = .path(FilePath(request.python.path))
            arguments = Array(launcherArguments.dropFirst())
        }
        var options = PlatformOptions()
        options.createSession = true
        let usesNamespaces = isolation.usesNamespaces
        let timeout = Duration.milliseconds(Int64(request.limits.timeoutSeconds * 1000))
        do {
            return try await Subprocess.run(
                executable,
                arguments: Arguments(arguments),
                environment: .custom(Dictionary(uniqueKeysWithValues: environment.compactMap { key, value in
                    Environment.Key(rawValue: key).map { ($0, value) }
                })),
                workingDirectory: FilePath(request.workDir.path),
                platformOptions: options,
                input: .none,
                output: .sequence,
                error: .combinedWithOutput
            ) { execution in
                let pid = execution.processIdentifier.value
                await withTaskCancellationHandler {
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask {
                            do {
                                for try await buffer in execution.standardOutput {
                                    buffer.withUnsafeBytes { state.record($0) }
                                }
                            } catch {}
                        }
                        group.addTask {
                            do {
                                try await Task.sleep(for: timeout)
                            } catch {
                                return
                            }
                            state.timedOut.withLock { $0 = true }
                            await Self.killTree(pid: pid, usesNamespaces: usesNamespaces)
                            try? await Task.sleep(for: Self.drainGrace)
                        }
                        await group.next()
                        group.cancelAll()
                    }
                } onCancel: {
                    kill(-pid, SIGKILL)
                    kill(pid, SIGKILL)
                }
            }.terminationStatus
        } catch let error as SubprocessError {
            throw SandboxError(code: .spawn, message: "could not start \(arguments.first ?? "python"): \(error)")
        }
    }

    /// Ends the process tree rooted at `pid`. With namespaces, killing `unshare` makes the kernel
    /// kill the namespace's first process and with it every process inside; otherwise the
    /// launcher gets a chance to kill its descendants before the session is killed.
    static func killTree(pid: pid_t, usesNamespaces: Bool) async {
        if usesNamespaces {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            return
        }
        kill(-pid, SIGTERM)
        kill(pid, SIGTERM)
        try? await Task.sleep(for: terminationGrace)
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
    }
}

/// State shared between the output reader and the watchdog of one execution.
final class RunState: Sendable {
    let log: FileHandle
    let timedOut = Mutex(false)
    let capture: Mutex<OutputCapture>

    init(log: FileHandle, cap: Int) {
        self.log = log
        self.capture = Mutex(OutputCapture(cap: cap))
    }

    func record(_ bytes: UnsafeRawBufferPointer) {
        log.write(Data(bytes))
        capture.withLock { $0.append(bytes) }
    }
}

extension ExecutionResult {
    /// How the launcher ended when it never wrote its report (killed by a timeout or a
    /// cancellation, or it died): its exit status or signal, and a launch error when neither
    /// a timeout nor a clean exit explains it.
    mutating func takeUnreported(_ termination: TerminationStatus) {
        switch termination {
        case .exited(let code): exitCode = code
        case .signaled(let signal): self.signal = signal
        }
        if !timedOut && exitCode != 0 {
            launchError = launchError ?? "the sandbox launcher ended without a report; see \(logPath)"
        }
    }
}
