import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A fresh folder for one test. Folders live under one root per test process; roots left by
/// earlier processes are removed when the first folder is made, so folders never vanish while
/// a test still uses them (as they could if removal followed the value's lifetime).
package struct TemporaryFolder: Sendable {
    package let url: URL

    private static let root: URL = {
        let files = FileManager.default
        let base = files.temporaryDirectory
        let prefix = "starling-tests-"
        for name in (try? files.contentsOfDirectory(atPath: base.path)) ?? [] where name.hasPrefix(prefix) {
            if let pid = Int32(name.dropFirst(prefix.count)), kill(pid, 0) != 0 {
                try? files.removeItem(at: base.appendingPathComponent(name))
            }
        }
        return base.appendingPathComponent(prefix + String(getpid()))
    }()

    package init(_ label: String = "test") throws {
        url = Self.root.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    package func file(_ path: String) -> URL { url.appendingPathComponent(path) }

    /// Writes `text` to `path` inside the folder, making the folders on the way.
    @discardableResult
    package func write(_ path: String, _ text: String) throws -> URL {
        let target = file(path)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: target)
        return target
    }
}

/// Every regular file under a folder, as paths relative to it.
package func filesUnder(_ folder: URL) -> [String] {
    let base = folder.resolvingSymlinksInPath().path
    let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
    var result: [String] = []
    while let url = walker?.nextObject() as? URL {
        guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
        result.append(String(url.resolvingSymlinksInPath().path.dropFirst(base.count + 1)))
    }
    return result.sorted()
}

/// How often `needle` occurs in `text`.
package func occurrences(of needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
}
