import Foundation
import StarlingRunFolder

/// The command a cluster job runs for a bench cell: `starling bench-cell …` on the worker, which
/// runs (or resumes) the same `starling run …` a local cell runs, checks first that the worker
/// sees the bench folder, and with `--collect` runs in a folder of the worker's own and prints
/// it, archived, at the end of the job's output (``CellArchive``).
package struct CellEntrypoint: Sendable, Hashable {
    /// `starling` as the nodes find it (the same path on every node: a shared install, or the
    /// same checkout and build on each).
    package var starling: String
    /// The wall-clock budget per cell (`20m`).
    package var time: String
    /// The model for every role, when given.
    package var llm: String?
    /// The response cache mode.
    package var cache: String?
    /// The task folder root, when not the bundled suite (an absolute path every node sees).
    package var tasksDir: String?
    /// Further `starling run` options.
    package var extraArguments: [String]

    /// Creates an entrypoint description.
    package init(starling: String, time: String, llm: String? = nil, cache: String? = nil, tasksDir: String? = nil,
                extraArguments: [String] = []) {
        self.starling = starling
        self.time = time
        self.llm = llm
        self.cache = cache
        self.tasksDir = tasksDir
        self.extraArguments = extraArguments
    }

    /// The arguments of `starling bench-cell` for a cell.
    ///
    /// - Parameters:
    ///   - cell: The cell.
    ///   - folder: Its run folder in the bench folder (absolute).
    ///   - collectKey: With `--collect`, the name of the worker's own folder for the cell.
    package func arguments(for cell: BenchCell, folder: URL, collectKey: String?) -> [String] {
        var arguments = ["bench-cell", "--task", cell.task, "--strategy", cell.strategy, "--seed", String(cell.seed),
                         "--time", time, "--out", folder.path]
        if let llm { arguments += ["--llm", llm] }
        if let cache { arguments += ["--cache", cache] }
        if let tasksDir { arguments += ["--tasks-dir", URL(fileURLWithPath: tasksDir).standardizedFileURL.path] }
        if let collectKey { arguments += ["--collect", collectKey] }
        if !extraArguments.isEmpty { arguments += ["--"] + extraArguments }
        return arguments
    }

    /// The shell command line for a cell (Ray runs entrypoints with `/bin/sh -c`).
    package func command(for cell: BenchCell, folder: URL, collectKey: String?) -> String {
        ([starling] + arguments(for: cell, folder: folder, collectKey: collectKey)).map(Self.quote).joined(separator: " ")
    }

    /// A word quoted for the shell: left as it is when it is plain, else in single quotes.
    static func quote(_ word: String) -> String {
        let plain = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_./:=,@+%"))
        if !word.isEmpty, word.unicodeScalars.allSatisfy(plain.contains) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The exit status of `starling bench-cell` when the worker does not see the bench folder.
    package static let folderNotVisibleStatus: Int32 = 97
}
