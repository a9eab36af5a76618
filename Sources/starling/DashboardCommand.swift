import ArgumentParser
import Foundation
import StarlingBench
import StarlingDashboard

/// `starling dashboard [RUNS_DIR]`: runs followed live in a browser.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Serve a page that follows runs while they work: the tree growing, score against time, what each waits for, every node's prompt, reply, code, log and diffs.",
        discussion: """
            RUNS_DIR is a run folder or a folder with runs below it (runs/, a bench's folder). The page reads \
            the run folders as they are written and changes nothing. `starling run … --serve` serves the same \
            page for the run it starts.
            """
    )

    @Argument(help: "A run folder, or a folder with run folders below it.")
    var runsDir = "runs"

    @Option(help: "Port to bind; 0 picks a free one.")
    var port = 8765

    @Option(help: "Address to bind; the page has no token, so keep 127.0.0.1 unless the port is firewalled.")
    var host = "127.0.0.1"

    @OptionGroup var location: TaskLocation

    func run() async throws {
        let root = URL(fileURLWithPath: runsDir).standardizedFileURL
        guard FileManager.default.fileExists(atPath: root.path) else { throw ValidationError("\(runsDir) does not exist") }
        let server = DashboardServer(root: root, tasks: location.store, host: host, port: port)
        let host = self.host
        try await server.run { port in
            FileHandle.standardOutput.write(Data("dashboard   http://\(host):\(port)/  (Ctrl-C stops it)\n".utf8))
        }
    }

    /// Runs `body` while the dashboard of `folder` serves on `port` of the loopback.
    static func serving(_ folder: URL, tasks: TaskStore, port: Int, _ body: () async throws -> Void) async throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let server = DashboardServer(root: folder.standardizedFileURL, tasks: tasks, port: port)
        let serving = Task {
            do {
                try await server.run { port in
                    FileHandle.standardError.write(Data("dashboard   http://127.0.0.1:\(port)/run?run=.  (the run, live)\n".utf8))
                }
            } catch {
                // The run goes on without it; say why (a port in use, most often).
                FileHandle.standardError.write(Data("dashboard   not served on port \(port): \(error) — the run goes on; `starling dashboard \(folder.path) --port 0` serves it\n".utf8))
            }
        }
        defer { serving.cancel() }
        try await body()
    }
}
