import Foundation
import StarlingRuntime

extension RepoTask {
    /// What a script written for this task must not see: the task folder (its ground truth and
    /// test script), the ground truth and test script wherever they lie, the benchmark folders
    /// that hold every task's ground truth and test scripts (GitTaskBench keeps `groundtruth/`
    /// and `test_scripts/` beside `code_base/`), and the other task folders beside this one.
    ///
    /// A folder is hidden only when it holds none of `visible`; from a ground truth or test
    /// script the climb goes up at most ``secretClimb`` folders and never reaches a top-level
    /// folder, so `/tmp` or a home folder is never covered whole.
    ///
    /// - Parameter visible: What the script needs: the repository, its import roots, the
    ///   script's work folder, the interpreter.
    /// - Returns: Paths to cover, links resolved, none inside another.
    package func secretPaths(visible: [URL]) -> [URL] {
        let needed = visible.map(Self.real)
        func hideable(_ url: URL) -> Bool {
            url.pathComponents.count > 2 && !needed.contains { $0.isInside(url) }
        }
        var secrets: [URL] = []
        for start in [groundtruth, resolve(test.script)].compactMap({ $0 }).map(Self.real) {
            var highest: URL? = hideable(start) ? start : nil
            var current = start
            for _ in 0..<Self.secretClimb {
                current = current.deletingLastPathComponent()
                guard hideable(current) else { break }
                highest = current
            }
            if let highest { secrets.append(highest) }
        }
        let own = Self.real(folder)
        if hideable(own) { secrets.append(own) }
        let siblings = (try? FileManager.default.contentsOfDirectory(at: own.deletingLastPathComponent(), includingPropertiesForKeys: nil)) ?? []
        for sibling in siblings.map(Self.real) where sibling != own
            && FileManager.default.fileExists(atPath: sibling.appendingPathComponent("config.yaml").path) && hideable(sibling) {
            secrets.append(sibling)
        }
        return Self.outermost(secrets)
    }

    /// Folders climbed above a ground truth or test script: `groundtruth/<id>/file` → `groundtruth/`.
    static let secretClimb = 2

    static func real(_ url: URL) -> URL { url.standardizedFileURL.resolvingSymlinksInPath() }

    /// The paths that lie in no other path of the list, each once: covering a folder and then a
    /// file inside it would fail, as the file is gone once its folder is covered.
    static func outermost(_ paths: [URL]) -> [URL] {
        var kept: [URL] = []
        for path in paths.sorted(by: { $0.path.count < $1.path.count }) where !kept.contains(where: { path.isInside($0) }) {
            kept.append(path)
        }
        return kept
    }
}
