import Foundation
import StarlingRuntime

/// Starts and stops Ray on this machine with the `ray` command of Starling's Ray environment
/// (`starling setup --ray`): a head (with the dashboard, whose Jobs API the bench uses) for
/// trying the Ray executor on one machine, or a worker that joins a head.
package struct RayHead: Sendable {
    /// The Ray environment.
    package var environment: PythonEnvironment

    /// Creates a controller for the Ray environment in `home`.
    package init(home: StarlingHome) {
        environment = PythonEnvironment.ray(in: home)
    }

    /// The `ray` command.
    package var rayCommand: URL { environment.path.appendingPathComponent("bin/ray") }

    /// How a head is started.
    package struct Options: Sendable, Hashable {
        /// The address the dashboard listens on: `127.0.0.1` for this machine only, `0.0.0.0`
        /// when other machines submit benches or join as workers.
        package var dashboardHost = "127.0.0.1"
        /// The dashboard's port (the Jobs API).
        package var dashboardPort = 8265
        /// The port workers join on.
        package var port = 6379
        /// Cores the node offers to jobs; Ray counts them itself when `nil`.
        package var cpus: Int?
        /// Bytes of shared memory for Ray's object store; cells pass no objects, so it is kept small.
        package var objectStoreBytes: Int64 = 200_000_000

        /// Default options.
        package init() {}
    }

    /// Fails with the command to run when the Ray environment is missing.
    package func requireInstalled() throws {
        guard environment.isReady, FileManager.default.isExecutableFile(atPath: rayCommand.path) else {
            throw RayError("the Ray environment is missing or out of date: run `starling setup --ray`")
        }
    }

    /// Starts a head node and waits until its dashboard answers.
    ///
    /// - Returns: The dashboard's address, for `--ray-address`.
    /// - Throws: ``RayError`` with Ray's output when it does not start.
    package func up(_ options: Options = Options(), wait seconds: Double = 90) async throws -> URL {
        try requireInstalled()
        var arguments = ["start", "--head", "--port", String(options.port), "--dashboard-host", options.dashboardHost,
                         "--dashboard-port", String(options.dashboardPort), "--include-dashboard", "true",
                         "--object-store-memory", String(options.objectStoreBytes), "--disable-usage-stats"]
        if let cpus = options.cpus { arguments += ["--num-cpus", String(cpus)] }
        // Ray gives its dashboard 60 s to come up; a loaded 2-core machine needed 70 s.
        let outcome = try await Shell.run(rayCommand.path, arguments, environment: ["RAY_DASHBOARD_STARTUP_TIMEOUT_S": "300"])
        guard outcome.succeeded else {
            let already = outcome.output.contains("already") || outcome.output.contains("in use")
            // A start that failed half-way leaves a GCS server and dashboard behind; an existing head is left alone.
            if !already { _ = try? await Shell.run(rayCommand.path, ["stop", "--force"]) }
            throw RayError("`ray start --head` failed" + (already ? " (a head is already running here: `starling ray down` stops it)" : "")
                           + ": " + outcome.output.split(separator: "\n").filter { $0.contains("ERROR") || $0.contains("rror:") }.suffix(6)
                           .joined(separator: "\n") + "\n" + outcome.output.split(separator: "\n").suffix(4).joined(separator: "\n"))
        }
        let host = options.dashboardHost == "0.0.0.0" ? "127.0.0.1" : options.dashboardHost
        let address = URL(string: "http://\(host):\(options.dashboardPort)")!
        let client = RayJobsClient(address: address, timeout: 5)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try? await client.version()) != nil { return address }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw RayError("Ray started but its dashboard did not answer at \(address.absoluteString) within \(Int(seconds)) s; "
                       + "see /tmp/ray/session_latest/logs/dashboard.log")
    }

    /// Joins this machine to a head as a worker node.
    ///
    /// - Parameters:
    ///   - address: The head's `host:port` (the port given to `up`, 6379 by default).
    ///   - cpus: Cores to offer; Ray counts them when `nil`.
    /// - Throws: ``RayError`` with Ray's output when it cannot join.
    package func join(_ address: String, cpus: Int? = nil) async throws {
        try requireInstalled()
        var arguments = ["start", "--address", address, "--disable-usage-stats", "--object-store-memory", "200000000"]
        if let cpus { arguments += ["--num-cpus", String(cpus)] }
        let outcome = try await Shell.run(rayCommand.path, arguments)
        guard outcome.succeeded else {
            throw RayError("`ray start --address \(address)` failed: " + outcome.output.split(separator: "\n").suffix(8).joined(separator: "\n"))
        }
    }

    /// Stops every Ray process of this machine (head or worker), and the jobs' processes with them.
    ///
    /// - Returns: What Ray printed.
    /// - Throws: ``RayError`` when Ray processes are still running afterwards.
    @discardableResult
    package func down() async throws -> String {
        try requireInstalled()
        var output = try await Shell.run(rayCommand.path, ["stop", "--grace-period", "10"]).output
        if !Self.runningProcesses().isEmpty {
            output += try await Shell.run(rayCommand.path, ["stop", "--force"]).output
        }
        let left = Self.runningProcesses()
        guard left.isEmpty else {
            throw RayError("Ray processes are still running after `ray stop --force`: \(left.prefix(5).joined(separator: "; "))")
        }
        return output
    }

    /// Ray's own processes on this machine (GCS, raylet, dashboard and their helpers), read from
    /// `/proc`, as `pid command` lines.
    package static func runningProcesses() -> [String] {
        let markers = ["gcs_server", "raylet", "ray/dashboard/", "ray.dashboard", "ray-dashboard-", "ray/autoscaler/", "log_monitor.py",
                       "ray::", "ray/_private/"]
        return ProcessTable.entries().filter { entry in markers.contains(where: entry.command.contains) }
            .map { "\($0.pid) \($0.command.prefix(120))" }
    }
}
