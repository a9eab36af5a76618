/// Finds a code block an LLM quoted inside a script, tolerating the near-misses small models make
/// (changed indentation, trailing spaces, a dropped or altered line), and splices a replacement in.
package enum CodeBlockMatcher {
    /// A located block.
    package struct Match: Sendable, Hashable {
        /// Line range in the script (0-based, half-open).
        package var lines: Range<Int>
        /// The block as it stands in the script.
        package var text: String
        /// 1 for an exact match (ignoring surrounding whitespace), less for a fuzzy one.
        package var similarity: Double
    }

    /// Locates `block` in `script`.
    ///
    /// - Parameters:
    ///   - block: The quoted block.
    ///   - script: The full script.
    ///   - threshold: The least line-similarity accepted for a fuzzy match.
    /// - Returns: The match, or `nil` when nothing is similar enough.
    package static func locate(_ block: String, in script: String, threshold: Double = 0.75) -> Match? {
        let scriptLines = script.components(separatedBy: "\n")
        let blockLines = block.components(separatedBy: "\n").map(normalize).filter { !$0.isEmpty }
        guard !blockLines.isEmpty, !scriptLines.isEmpty else { return nil }
        let normalized = scriptLines.map(normalize)
        var best: Match?
        let sizes = Set([blockLines.count, blockLines.count - 1, blockLines.count + 1].filter { $0 > 0 })
        for start in normalized.indices where !normalized[start].isEmpty {
            for size in sizes {
                // Window of `size` non-empty lines starting at `start`.
                var end = start
                var window: [String] = []
                while end < normalized.count && window.count < size {
                    if !normalized[end].isEmpty { window.append(normalized[end]) }
                    end += 1
                }
                guard window.count == size else { continue }
                let score = similarity(window, blockLines)
                if score > (best?.similarity ?? 0) {
                    best = Match(lines: start..<end, text: scriptLines[start..<end].joined(separator: "\n"), similarity: score)
                }
            }
        }
        guard let best, best.similarity >= threshold else { return nil }
        return best
    }

    /// Replaces the matched lines with `replacement`, re-indented to the block's indentation.
    ///
    /// - Parameters:
    ///   - match: Where the block is.
    ///   - script: The script.
    ///   - replacement: The new block.
    /// - Returns: The new script.
    package static func splice(_ match: Match, in script: String, with replacement: String) -> String {
        var lines = script.components(separatedBy: "\n")
        let indent = String(lines[match.lines.lowerBound].prefix { $0 == " " || $0 == "\t" })
        let newLines = dedent(replacement).components(separatedBy: "\n").map { $0.isEmpty ? $0 : indent + $0 }
        lines.replaceSubrange(match.lines, with: newLines)
        return lines.joined(separator: "\n")
    }

    static func dedent(_ text: String) -> String {
        let lines = text.components(separatedBy: "\n")
        let margin = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.prefix { $0 == " " || $0 == "\t" }.count }.min() ?? 0
        return lines.map { $0.count >= margin ? String($0.dropFirst(margin)) : $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: "\n").trimmingCharacters(in: .newlines)
    }

    static func normalize(_ line: String) -> String {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// Mean per-line similarity of two equal-or-near-length line lists, in 0...1.
    static func similarity(_ a: [String], _ b: [String]) -> Double {
        let count = max(a.count, b.count)
        var total = 0.0
        for index in 0..<min(a.count, b.count) { total += lineSimilarity(a[index], b[index]) }
        return total / Double(count)
    }

    /// 1 − normalised edit distance over characters.
    static func lineSimilarity(_ a: String, _ b: String) -> Double {
        if a == b { return 1 }
        let x = Array(a), y = Array(b)
        guard !x.isEmpty, !y.isEmpty else { return 0 }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return 1 - Double(previous[y.count]) / Double(max(x.count, y.count))
    }
}
