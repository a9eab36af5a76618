import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A fresh folder for one test, under one root per test process; roots of finished processes
/// are removed when the first folder is made.
struct TemporaryFolder: Sendable {
    let url: URL

    private static let root: URL = {
        let files = FileManager.default
        let base = files.temporaryDirectory
        let prefix = "starling-report-tests-"
        for name in (try? files.contentsOfDirectory(atPath: base.path)) ?? [] where name.hasPrefix(prefix) {
            if let pid = Int32(name.dropFirst(prefix.count)), kill(pid, 0) != 0 {
                try? files.removeItem(at: base.appendingPathComponent(name))
            }
        }
        return base.appendingPathComponent(prefix + String(getpid()))
    }()

    init(_ label: String = "test") throws {
        url = Self.root.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ path: String) -> URL { url.appendingPathComponent(path) }
}

/// How often `needle` occurs in `text`.
func occurrences(of needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
}
