import Foundation
import StarlingBench
import StarlingRuntime

/// Everything the gym server needs: where tasks and environments live, how scripts run, and
/// its limits.
package struct DojoConfiguration: Sendable {
    /// Address to bind; `127.0.0.1` keeps the server off the network.
    package var host: String
    /// Port to bind; 0 picks a free one (the running server reports it).
    package var port: Int
    /// Where tasks are found.
    package var tasks: TaskStore
    /// Folder for environments: `envs/<id>/` (agent view, scripts, logs, episode records) and
    /// `secrets/<id>/` (dev-row answers, hidden from every script).
    package var workRoot: URL
    /// The sandbox that runs scripts.
    package var sandbox: Sandbox
    /// The interpreter that runs solutions.
    package var python: URL
    /// Cores shared by all executions of all environments.
    package var totalCores: Int
    /// Ceilings on requests and environments.
    package var limits: DojoLimits
    /// The task `/validate` checks against when the request names none.
    package var defaultTask: String?
    /// A bearer token every request must carry; `nil` leaves a loopback server open and makes a
    /// server on any other address generate one (see ``DojoAccess``).
    package var token: String?

    /// Creates a configuration.
    package init(
        host: String = "127.0.0.1", port: Int = 8080, tasks: TaskStore, workRoot: URL, sandbox: Sandbox, python: URL,
        totalCores: Int = ProcessInfo.processInfo.activeProcessorCount, limits: DojoLimits = DojoLimits(), defaultTask: String? = nil,
        token: String? = nil
    ) {
        self.host = host
        self.port = port
        self.tasks = tasks
        self.workRoot = workRoot.standardizedFileURL
        self.sandbox = sandbox
        self.python = python
        self.totalCores = max(1, totalCores)
        self.limits = limits
        self.defaultTask = defaultTask
        self.token = token
    }

    /// `workRoot/envs`.
    package var environmentsFolder: URL { workRoot.appendingPathComponent("envs") }
    /// `workRoot/secrets`, covered in every execution.
    package var secretsFolder: URL { workRoot.appendingPathComponent("secrets") }
}
