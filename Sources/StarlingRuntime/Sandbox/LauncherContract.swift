import Foundation

/// The control file `sandbox_launcher.py` reads (`control.json`): what to run and how. The keys
/// are the launcher's; optional fields it does not need are left out.
struct LauncherControl: Encodable, Sendable {
    /// The script's absolute path.
    var script: String
    /// Its command-line arguments.
    var arguments: [String]
    /// The working directory.
    var cwd: String
    /// The interpreter.
    var python: String
    /// The script's whole environment (nothing is inherited).
    var environment: [String: String]
    /// Paths mounted read-only (namespaced isolation only).
    var readOnly: [String]
    /// Paths hidden behind empty mounts (namespaced isolation only).
    var hidden: [String]
    /// The memory cgroup to join, when there is one.
    var cgroup: String?
    /// The address-space limit, when no cgroup limits memory.
    var rlimitAsBytes: Int?
    /// Where the launcher writes its ``LauncherReport``.
    var resultPath: String
    /// Seconds after which the launcher kills the script itself, should the watchdog fail.
    var backupDeadlineSeconds: Double

    enum CodingKeys: String, CodingKey {
        case script, arguments, cwd, python, environment, cgroup
        case readOnly = "read_only", hidden
        case rlimitAsBytes = "rlimit_as_bytes"
        case resultPath = "result_path"
        case backupDeadlineSeconds = "backup_deadline_seconds"
    }

    /// Writes the control file, keys sorted.
    func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: url)
    }
}

/// What the launcher reports when the script ended (`result.json`); every field is optional
/// because the launcher writes only what it knows (no exit code after a signal, no usage after
/// a launch error).
struct LauncherReport: Decodable, Sendable {
    var exitCode: Int32?
    var signal: Int32?
    var syntaxError: String?
    var launchError: String?
    var cpuSeconds: Double?
    var peakRSSBytes: Int?

    enum CodingKeys: String, CodingKey {
        case exitCode = "exit_code", signal
        case syntaxError = "syntax_error"
        case launchError = "launch_error"
        case cpuSeconds = "cpu_seconds"
        case peakRSSBytes = "peak_rss_bytes"
    }

    /// The report at `url`; `nil` when the launcher wrote none (it was killed or died) or it is unreadable.
    static func read(from url: URL) -> LauncherReport? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(LauncherReport.self, from: data)
    }
}
