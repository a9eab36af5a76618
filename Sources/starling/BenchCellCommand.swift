import ArgumentParser
import Foundation
import StarlingBenchRunner
import StarlingRunFolder

/// `starling bench-cell`: what a cluster job runs for one bench cell. Runs (or resumes) the
/// cell's `starling run` exactly as the local executor does, printing the run's output as it
/// comes. Hidden: `starling bench --executor ray` writes these command lines.
struct BenchCellCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-cell",
        abstract: "Run one bench cell on a cluster node (used by `starling bench --executor ray`).",
        shouldDisplay: false
    )

    @Option(help: "The task id.") var task: String
    @Option(help: "The strategy.") var strategy: String
    @Option(help: "The seed number.") var seed = 1
    @Option(help: "Wall-clock budget, e.g. 20m.") var time: String
    @Option(help: "The cell's run folder in the bench folder.") var out: String
    @Option(help: "Model for every role.") var llm: String?
    @Option(help: "LLM response cache mode.") var cache: String?
    @Option(help: "Folder of task folders.") var tasksDir: String?
    @Option(help: "Run in a folder of this node's own under this name, and print it archived at the end.") var collect: String?
    @Argument(parsing: .postTerminator, help: "Further `starling run` options.") var extra: [String] = []

    func run() async throws {
        let cell = BenchCell(task: task, strategy: strategy, seed: seed)
        let host = ProcessInfo.processInfo.hostName
        let folder: URL
        if let collect {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("starling-cells").appendingPathComponent(collect)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } else {
            folder = URL(fileURLWithPath: out)
            guard FileManager.default.fileExists(atPath: RunLayout(folder).cellToken.path) else {
                FileHandle.standardError.write(Data(("starling bench-cell: node \(host) does not see the bench folder \(folder.path) "
                    + "(the bench's \(RunLayout.Name.cellToken) is not there): put the bench folder on storage every node mounts, "
                    + "or run the bench with --collect\n").utf8))
                throw ExitCode(CellEntrypoint.folderNotVisibleStatus)
            }
        }
        print("starling bench-cell: \(cell.label) on \(host) in \(folder.path)")
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        let runner = ProcessCellRunner(executable: executable, time: time, llm: llm, cache: cache, tasksDir: tasksDir, extraArguments: extra)
        let logFile = RunLayout(folder).benchLog
        let start = (try? FileManager.default.attributesOfItem(atPath: logFile.path)[.size] as? Int) ?? 0
        let echo = Task { await Self.follow(logFile, from: start) }
        var failure: String?
        do {
            try await runner.run(cell, task: BenchTask(id: task, metric: "", direction: .higher), in: folder)
        } catch let error as BenchCellError {
            failure = error.reason
        }
        echo.cancel()
        _ = await echo.value
        if collect != nil {
            print(try CellArchive.pack(folder), terminator: "")
            // An ended run is in the job's output now; an unfinished one stays for a job resubmitted to this node.
            if RunLayout(folder).hasEnded { try? FileManager.default.removeItem(at: folder) }
        }
        if let failure {
            FileHandle.standardError.write(Data("starling bench-cell: \(failure)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// Prints what is appended to `file` until cancelled, then the rest.
    static func follow(_ file: URL, from start: Int) async {
        var offset = UInt64(start)
        func flush() {
            guard let handle = try? FileHandle(forReadingFrom: file) else { return }
            defer { try? handle.close() }
            try? handle.seek(toOffset: offset)
            if let data = try? handle.readToEnd(), !data.isEmpty {
                FileHandle.standardOutput.write(data)
                offset += UInt64(data.count)
            }
        }
        while !Task.isCancelled {
            flush()
            try? await Task.sleep(for: .seconds(1))
        }
        flush()
    }
}
