import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A trusted helper program that Starling starts and keeps a handle on while it runs: a bench
/// cell's `starling run`, the aideml proxy, tar, the archive unpacker. With ``Shell`` (programs
/// run to completion with their output collected) and ``Sandbox`` (generated code) it is one of
/// the three ways a process starts, and the only type outside them that holds a
/// `Foundation.Process`.
package final class ChildProcess: @unchecked Sendable {
    /// Where a standard stream goes or comes from.
    package enum Stream: Sendable {
        /// `/dev/null`.
        case null
        /// A file, appended to (output) or read from its start (input).
        case file(URL)
        /// An open file descriptor, e.g. one end of a pipe to talk to the program over; the
        /// caller keeps it and closes its own copy once the program has started.
        case descriptor(Int32)
    }

    /// The program could not be started.
    package struct StartError: Error, CustomStringConvertible, Sendable {
        package let description: String
    }

    private let process: Process

    /// Starts `executable`.
    ///
    /// - Parameters:
    ///   - executable: The program's full path.
    ///   - arguments: Its arguments.
    ///   - environment: Its whole environment; `nil` inherits Starling's.
    ///   - input: Its standard input.
    ///   - output: Where its standard output goes.
    ///   - errors: Where its standard error goes; `nil` joins it to the output.
    ///   - directory: Its working directory; `nil` keeps Starling's.
    /// - Throws: ``StartError`` when it cannot be started or a stream cannot be opened.
    package init(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil, directory: URL? = nil,
                input: Stream = .null, output: Stream = .null, errors: Stream? = nil) throws {
        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        do {
            process.standardInput = try Self.handle(input, writing: false)
            let out = try Self.handle(output, writing: true)
            process.standardOutput = out
            process.standardError = try errors.map { try Self.handle($0, writing: true) } ?? out
            try process.run()
        } catch {
            throw StartError(description: "cannot start \(executable.path): \(error)")
        }
    }

    private static func handle(_ stream: Stream, writing: Bool) throws -> FileHandle {
        switch stream {
        case .null:
            return FileHandle.nullDevice
        case .file(let url) where writing:
            if !FileManager.default.fileExists(atPath: url.path) { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
            let handle = try FileHandle(forWritingTo: url)
            handle.seekToEndOfFile()
            return handle
        case .file(let url):
            return try FileHandle(forReadingFrom: url)
        case .descriptor(let descriptor):
            return FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        }
    }

    /// Its process id.
    package var pid: Int32 { process.processIdentifier }

    /// Whether it is still running.
    package var isRunning: Bool { process.isRunning }

    /// Blocks until it exits and returns its status (the signal's number when a signal ended it).
    @discardableResult
    package func waitUntilExit() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Waits for it to exit without blocking a thread; when the waiting task is cancelled, sends
    /// SIGINT (a `starling run` closes its journal on it) and goes on waiting.
    package func exitStatus() async -> Int32 {
        await withTaskCancellationHandler {
            while process.isRunning {
                try? await Task.sleep(for: .milliseconds(100))
            }
            return waitUntilExit()
        } onCancel: {
            interrupt()
        }
    }

    /// Sends SIGINT.
    package func interrupt() {
        if process.isRunning { process.interrupt() }
    }

    /// Ends it for good: SIGKILL, which no signal mask or handler holds off, then reaps it.
    package func kill() {
        guard process.isRunning else { return }
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// What a program run to completion left: its status and both streams, kept apart.
    package struct Finished: Sendable {
        package var status: Int32
        package var output: Data
        package var errors: Data
        package var succeeded: Bool { status == 0 }
    }

    /// Runs `executable` to completion, synchronously, feeding it `input`; its output and errors
    /// go through temporary files, so no pipe can fill unread whatever it prints.
    ///
    /// - Parameters:
    ///   - environment: Its whole environment; `nil` inherits Starling's.
    ///   - directory: Its working directory; `nil` keeps Starling's.
    ///   - joiningErrors: Whether its errors go into its output, in the order written (``Finished/errors`` stays empty).
    /// - Throws: ``StartError`` when it cannot be started.
    package static func runToEnd(_ executable: URL, _ arguments: [String], input: Data? = nil, environment: [String: String]? = nil,
                                 directory: URL? = nil, joiningErrors: Bool = false) throws -> Finished {
        let fm = FileManager.default
        let base = fm.temporaryDirectory.appendingPathComponent("starling-child-\(UUID().uuidString)")
        let outputFile = base.appendingPathExtension("out"), errorFile = base.appendingPathExtension("err")
        let inputFile = base.appendingPathExtension("in")
        defer { for file in [outputFile, errorFile, inputFile] { try? fm.removeItem(at: file) } }
        if let input {
            do { try input.write(to: inputFile) } catch { throw StartError(description: "cannot write the input of \(executable.path): \(error)") }
        }
        let child = try ChildProcess(executable, arguments, environment: environment, directory: directory,
                                     input: input == nil ? .null : .file(inputFile),
                                     output: .file(outputFile), errors: joiningErrors ? nil : .file(errorFile))
        let status = child.waitUntilExit()
        return Finished(status: status, output: (try? Data(contentsOf: outputFile)) ?? Data(), errors: (try? Data(contentsOf: errorFile)) ?? Data())
    }
}
