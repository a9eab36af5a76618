import Foundation

/// A cgroup-v1 memory group made for one execution: the kernel enforces the limit on the whole
/// process tree, and the OOM counter tells a memory kill apart from any other SIGKILL.
struct MemoryCgroup {
    let path: String

    /// The caller's own memory cgroup folder when Starling may create groups under it.
    static func writableParent() -> String? {
        guard let lines = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8) else { return nil }
        for line in lines.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, fields[1].split(separator: ",").contains("memory") else { continue }
            let parent = "/sys/fs/cgroup/memory" + fields[2]
            let probe = parent + "/starling-probe-\(getpid())"
            if mkdir(probe, 0o755) == 0 || errno == EEXIST {
                rmdir(probe)
                return parent
            }
        }
        return nil
    }

    /// Creates a group with a memory limit (and the same swap-inclusive limit where supported).
    init(parent: String, name: String, limitBytes: Int) throws {
        path = parent + "/" + name
        guard mkdir(path, 0o755) == 0 else {
            throw SandboxError(code: .cgroup, message: "could not create cgroup \(path): \(String(cString: strerror(errno)))")
        }
        try write("memory.limit_in_bytes", String(limitBytes))
        try? write("memory.memsw.limit_in_bytes", String(limitBytes))
    }

    /// Whether the kernel's OOM killer fired inside this group.
    var oomKilled: Bool {
        guard let text = try? String(contentsOfFile: path + "/memory.oom_control", encoding: .utf8) else { return false }
        for line in text.split(separator: "\n") where line.hasPrefix("oom_kill ") {
            return Int(line.split(separator: " ").last ?? "0") ?? 0 > 0
        }
        return false
    }

    /// Peak memory charged to the group, page cache included.
    var peakBytes: Int? {
        (try? String(contentsOfFile: path + "/memory.max_usage_in_bytes", encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Removes the group; retries briefly because the kernel frees it only after every member exited.
    func remove() {
        for _ in 0..<50 {
            if rmdir(path) == 0 || errno == ENOENT { return }
            usleep(20_000)
        }
    }

    private func write(_ file: String, _ value: String) throws {
        do {
            try value.write(toFile: path + "/" + file, atomically: false, encoding: .utf8)
        } catch {
            throw SandboxError(code: .cgroup, message: "could not set \(file) in \(path): \(error.localizedDescription)")
        }
    }
}
