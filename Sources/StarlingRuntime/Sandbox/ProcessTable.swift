import Foundation

/// The processes of this machine as `/proc` lists them (Linux): what a check for leftover
/// processes reads.
package enum ProcessTable {
    /// One process.
    package struct Entry: Sendable, Hashable {
        /// Its id.
        package var pid: Int32
        /// Its command line, arguments joined by spaces.
        package var command: String
    }

    /// Every process with a command line (kernel threads have none), this one included.
    package static func entries() -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { name in
            guard let pid = Int32(name), let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline"), !data.isEmpty else { return nil }
            return Entry(pid: pid, command: String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self))
        }
    }
}
