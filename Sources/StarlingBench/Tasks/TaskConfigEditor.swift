import Foundation
import StarlingCore

/// Rewrites single blocks of a `config.yaml` in place, keeping every other line (comments,
/// order, formatting) as written, which a YAML round trip would lose.
package struct TaskConfigEditor: Sendable {
    /// The config text being edited.
    package private(set) var text: String

    /// Creates an editor.
    ///
    /// - Parameter text: Contents of a `config.yaml`.
    package init(text: String) {
        self.text = text
    }

    /// Replaces `scores:` with calibrated baseline and reference scores.
    ///
    /// - Parameters:
    ///   - baseline: The baseline's score.
    ///   - reference: The reference's score.
    package mutating func setScores(baseline: RecordedScore, reference: RecordedScore) {
        let lines = ["scores:"] + [("baseline", baseline), ("reference", reference)].flatMap { name, score in
            ["  \(name):", "    value: \(Self.number(score.value))", "    source: \(Self.quoted(score.source))"]
        }
        replaceBlock(path: ["scores"], with: lines)
    }

    /// Replaces `prepare.checksums:` with the given digests, sorted by path.
    ///
    /// - Parameter checksums: SHA-256 digests keyed by path relative to `prepared/`.
    package mutating func setChecksums(_ checksums: [String: String]) {
        let lines = ["checksums:"] + checksums.keys.sorted().map { "  \(Self.quoted($0)): \(checksums[$0]!)" }
        replaceBlock(path: ["prepare", "checksums"], with: lines)
    }

    /// Replaces the block of a key (the key's line and every following line indented deeper,
    /// or blank) with `lines`, given at indentation 0 and shifted to the key's indentation.
    /// A missing key is added at the end of its parent, a missing parent at the end of the file.
    ///
    /// - Parameters:
    ///   - path: Keys from the top level down, e.g. `["prepare", "checksums"]`.
    ///   - lines: The new block, starting with `key:`.
    package mutating func replaceBlock(path: [String], with lines: [String]) {
        var all = text.components(separatedBy: "\n")
        if all.last == "" { all.removeLast() }
        var range = 0..<all.count
        var indent = 0
        for (depth, key) in path.enumerated() {
            guard let start = Self.keyLine(key, in: all, range: range, indent: indent) else {
                // Insert what is missing from here down at the end of the current block.
                var insertion = lines
                for parent in path[depth..<(path.count - 1)].reversed() {
                    insertion = ["\(parent):"] + insertion.map { "  " + $0 }
                }
                let at = Self.blockEnd(in: all, range: range)
                all.insert(contentsOf: insertion.map { String(repeating: " ", count: indent) + $0 }, at: at)
                text = all.joined(separator: "\n") + "\n"
                return
            }
            let end = Self.blockEnd(in: all, range: (start + 1)..<range.upperBound, deeperThan: indent)
            if depth == path.count - 1 {
                all.replaceSubrange(start..<end, with: lines.map { String(repeating: " ", count: indent) + $0 })
                text = all.joined(separator: "\n") + "\n"
                return
            }
            range = (start + 1)..<end
            indent = range.lazy.compactMap { Self.indentation(all[$0]) }.first ?? indent + 2
        }
    }

    /// The line holding `key:` at exactly `indent` spaces within `range`.
    private static func keyLine(_ key: String, in lines: [String], range: Range<Int>, indent: Int) -> Int? {
        range.first { i in
            let line = lines[i]
            guard indentation(line) == indent else { return false }
            let body = line.dropFirst(indent)
            return body.hasPrefix(key + ":") || body.hasPrefix("\"\(key)\":") || body.hasPrefix("'\(key)':")
        }
    }

    /// The first line after `range.lowerBound` that is not blank or comment and is indented
    /// `deeperThan` or less; trailing blank lines stay outside the block.
    private static func blockEnd(in lines: [String], range: Range<Int>, deeperThan indent: Int = -1) -> Int {
        var end = range.lowerBound
        for i in range {
            guard let level = indentation(lines[i]) else { continue }
            if level <= indent { break }
            end = i + 1
        }
        if indent < 0 { return range.upperBound }
        return end
    }

    /// Leading spaces of a line that holds content, `nil` for blank and comment-only lines.
    private static func indentation(_ line: String) -> Int? {
        let spaces = line.prefix { $0 == " " }.count
        let rest = line.dropFirst(spaces)
        if rest.isEmpty || rest.hasPrefix("#") { return nil }
        return spaces
    }

    static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : ".nan"
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
