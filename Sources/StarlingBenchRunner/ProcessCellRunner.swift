import Foundation
import StarlingRunFolder
import StarlingRuntime

/// Runs each cell as its own `starling run` process (or `starling resume`, when the folder holds
/// an interrupted run), so a crash in one cell cannot take the bench down and every cell's run
/// folder is an ordinary one. Output goes to `bench.log` in the run folder.
package struct ProcessCellRunner: BenchCellRunner {
    /// The `starling` executable.
    package var executable: URL
    /// The wall-clock budget per cell (`20m`).
    package var time: String
    /// The model for every role, when given.
    package var llm: String?
    /// The LLM response cache mode passed to each run.
    package var cache: String?
    /// The task folder root, when not the bundled suite.
    package var tasksDir: String?
    /// Further `starling run` options, passed as they are.
    package var extraArguments: [String]

    /// Creates a runner.
    package init(executable: URL, time: String, llm: String? = nil, cache: String? = nil, tasksDir: String? = nil, extraArguments: [String] = []) {
        self.executable = executable
        self.time = time
        self.llm = llm
        self.cache = cache
        self.tasksDir = tasksDir
        self.extraArguments = extraArguments
    }

    /// The arguments for a cell: `resume` when the folder holds an unfinished run, else `run`
    /// with the strategy of the cell's ``BenchArm`` and its options' flags.
    package func arguments(for cell: BenchCell, in folder: URL) throws -> [String] {
        let layout = RunLayout(folder)
        if FileManager.default.fileExists(atPath: layout.configuration.path), layout.holdsRun, !layout.hasEnded {
            return ["resume", folder.path]
        }
        let arm: BenchArm
        do { arm = try BenchArm(cell.strategy) } catch { throw BenchCellError("\(error)") }
        var arguments = ["run", cell.task, "--strategy", arm.strategy] + arm.runArguments + ["--time", time, "--out", folder.path]
        if let llm { arguments += ["--llm", llm] }
        if let cache { arguments += ["--cache", cache] }
        if let tasksDir { arguments += ["--tasks-dir", tasksDir] }
        return arguments + extraArguments
    }

    /// Runs `starling run` (or `resume`) for the cell and waits for it; see ``BenchCellRunner``.
    package func run(_ cell: BenchCell, task: BenchTask, in folder: URL) async throws {
        let fm = FileManager.default
        let layout = RunLayout(folder)
        let arguments = try arguments(for: cell, in: folder)
        let logFile = layout.benchLog
        if !fm.fileExists(atPath: logFile.path) { _ = fm.createFile(atPath: logFile.path, contents: nil) }
        do {
            let handle = try FileHandle(forWritingTo: logFile)
            handle.seekToEndOfFile()
            handle.write(Data("$ starling \(arguments.joined(separator: " "))\n".utf8))
            try handle.close()
        }
        let process: ChildProcess
        do {
            process = try ChildProcess(executable, arguments, output: .file(logFile))
        } catch {
            throw BenchCellError("\(error)")
        }
        // A cancelled bench sends SIGINT, which lets the run close its journal; `resume` continues it later.
        let status = await process.exitStatus()
        // `starling run` exits 2 when the run ended without a valid submission: a result, not an error.
        if layout.hasEnded { return }
        let tail = Self.tail(of: logFile, lines: 6)
        throw BenchCellError("starling exited with status \(status) without a summary: \(tail)")
    }

    /// The last lines of a log, joined, for a failure reason.
    static func tail(of file: URL, lines: Int) -> String {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return "(no log)" }
        return tail(of: text, lines: lines)
    }

    /// The last lines of a process's output, joined with ` / ` and cut to 600 characters.
    static func tail(of text: String, lines: Int) -> String {
        let kept = text.split(separator: "\n").suffix(lines).map { $0.trimmingCharacters(in: .whitespaces) }
        return kept.joined(separator: " / ").prefix(600).description
    }
}
