import Foundation
import StarlingRuntime

/// Turns a path a model or a user gave into a file inside a folder, refusing every way out:
/// `..` steps, absolute paths elsewhere, and symbolic links whose target lies outside. The
/// folder's own links (a repository unpacked under a linked home) are resolved first, so a
/// path inside it is judged by where it really is.
package enum RepoPath {
    /// The file `path` names inside `root`.
    ///
    /// - Parameters:
    ///   - path: Relative to `root`, or absolute but inside it.
    ///   - root: The folder the path must stay in.
    ///   - label: What the folder is called in the error (`the repository`).
    /// - Returns: The file's URL with every link resolved.
    /// - Throws: ``RepoError`` when the path leaves `root`, saying to give a path relative to it.
    package static func resolve(_ path: String, inside root: URL, label: String = "the repository") throws -> URL {
        let realRoot = root.standardizedFileURL.resolvingSymlinksInPath()
        guard !path.contains("\0") else {
            throw RepoError("'\(path.replacingOccurrences(of: "\0", with: "\\0").prefix(200))' contains a NUL byte: give a plain path relative to \(label)'s root")
        }
        let candidate = path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)
        let real = candidate.standardizedFileURL.resolvingSymlinksInPath()
        guard real.isInside(realRoot) else {
            let how = path.hasPrefix("/") ? "an absolute path" : (path.split(separator: "/").contains("..") ? "a '..' path out of it" : "a link that leads out of it")
            throw RepoError("'\(path.prefix(200))' is outside \(label) (\(how)): give a path relative to its root; nothing outside it can be read")
        }
        return real
    }

    /// The text of a file that was resolved with ``resolve(_:inside:label:)``: UTF-8, else Latin-1.
    ///
    /// - Throws: ``RepoError`` for a file that cannot be read or holds binary data (NUL bytes).
    package static func text(of file: URL, shownAs path: String) throws -> String {
        guard let data = try? Data(contentsOf: file) else {
            throw RepoError("\(path.prefix(200)) cannot be read: list the repository's files with the structure tool")
        }
        if data.prefix(8192).contains(0) {
            throw RepoError("\(path.prefix(200)) is a binary file (\(data.count) bytes), not text: view a source or documentation file instead")
        }
        return String(data: data, encoding: .utf8) ?? String(decoding: data, as: UTF8.self)
    }
}
