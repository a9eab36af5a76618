import Foundation
import Subprocess
import SystemPackage

/// What the kernel lets Starling do to fence in a script, probed once per process.
///
/// The strongest mode puts the script in fresh PID, mount and network namespaces: killing the
/// namespace's first process takes every descendant with it (even ones that called `setsid`),
/// inputs are remounted read-only, and there is no network. Without namespaces Starling falls
/// back to a process session plus a subreaper, and says why.
package struct SandboxIsolation: Sendable, Hashable, Codable {
    /// The `unshare` arguments placed before the launcher, empty in the fallback mode.
    package var unshareArguments: [String]
    /// Path of `unshare`, when namespaces work.
    package var unsharePath: String?
    /// The memory cgroup parent under which each execution gets its own group, when writable.
    package var cgroupParent: String?
    /// Why a weaker mode was chosen, one line per limitation; empty when nothing is missing.
    package var limitations: [String]

    /// Whether scripts run in their own namespaces (whole-tree kill, read-only inputs, no network).
    package var usesNamespaces: Bool { unsharePath != nil }

    /// A short description for results and reports.
    package var description: String {
        var parts = [usesNamespaces ? "pid+mount+net namespaces" : "process session + subreaper"]
        parts.append(cgroupParent != nil ? "memory cgroup" : "address-space rlimit")
        return parts.joined(separator: ", ")
    }

    /// Probes the kernel: tries `unshare` as the current user, then with a user namespace.
    ///
    /// - Returns: The strongest isolation that works here.
    package static func probe() async -> SandboxIsolation {
        var limitations: [String] = []
        var unsharePath: String?
        var arguments: [String] = []
        let base = ["--pid", "--fork", "--kill-child", "--mount", "--net"]
        if let path = ["/usr/bin/unshare", "/bin/unshare"].first(where: FileManager.default.isExecutableFile) {
            for candidate in [base, ["--user", "--map-root-user"] + base] {
                if await succeeds(path, candidate + ["--", "/bin/true"]) {
                    unsharePath = path
                    arguments = candidate
                    break
                }
            }
            if unsharePath == nil {
                limitations.append(
                    "unshare could not create PID/mount/network namespaces (run as root, or enable unprivileged user namespaces: sysctl kernel.unprivileged_userns_clone=1); scripts keep network access, inputs are protected only by file permissions, and setsid descendants are caught by a subreaper instead of the kernel")
            }
        } else {
            limitations.append("unshare not found (apt-get install util-linux); scripts keep network access and inputs rely on file permissions")
        }
        let cgroup = MemoryCgroup.writableParent()
        if cgroup == nil {
            limitations.append(
                "no writable cgroup-v1 memory controller; memory limits use RLIMIT_AS, which reports allocations over the limit as MemoryError")
        }
        return SandboxIsolation(unshareArguments: arguments, unsharePath: unsharePath, cgroupParent: cgroup, limitations: limitations)
    }

    private static func succeeds(_ path: String, _ arguments: [String]) async -> Bool {
        let result = try? await Subprocess.run(
            .path(FilePath(path)), arguments: Arguments(arguments), output: .discarded, error: .discarded)
        return result?.terminationStatus.isSuccess ?? false
    }
}
