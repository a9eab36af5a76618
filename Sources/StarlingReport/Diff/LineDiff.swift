/// A line diff between two texts: a longest-common-subsequence alignment after stripping the
/// common head and tail (scripts that evolve by edits share most of both), grouped into hunks
/// with context like `diff -u`.
package struct LineDiff: Sendable, Hashable {
    /// One line of the alignment.
    package enum Line: Sendable, Hashable {
        /// In both texts: old and new line numbers (1-based) and the text.
        case same(old: Int, new: Int, text: String)
        /// Only in the old text.
        case removed(old: Int, text: String)
        /// Only in the new text.
        case added(new: Int, text: String)
    }

    /// A run of changed lines with their context.
    package struct Hunk: Sendable, Hashable {
        /// First old line shown (1-based) and how many old lines the hunk covers.
        package var oldStart: Int, oldCount: Int
        /// First new line shown (1-based) and how many new lines the hunk covers.
        package var newStart: Int, newCount: Int
        /// The lines.
        package var lines: [Line]

        /// The `@@ -a,b +c,d @@` header.
        package var header: String { "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@" }
    }

    /// Every line of both texts, aligned.
    package let lines: [Line]

    /// Lines only in the new text.
    package var addedCount: Int { lines.reduce(0) { if case .added = $1 { $0 + 1 } else { $0 } } }
    /// Lines only in the old text.
    package var removedCount: Int { lines.reduce(0) { if case .removed = $1 { $0 + 1 } else { $0 } } }

    /// Diffs two texts line by line.
    ///
    /// - Parameters:
    ///   - old: The earlier text.
    ///   - new: The later text.
    package init(old: String, new: String) {
        lines = Self.align(Self.split(old), Self.split(new))
    }

    /// The changes grouped into hunks with `context` unchanged lines around each.
    ///
    /// - Parameter context: Unchanged lines kept before and after a change.
    /// - Returns: The hunks; empty when the texts are equal.
    package func hunks(context: Int = 3) -> [Hunk] {
        let changed = lines.indices.filter { if case .same = lines[$0] { false } else { true } }
        guard !changed.isEmpty else { return [] }
        var ranges: [ClosedRange<Int>] = []
        for index in changed {
            let range = max(0, index - context)...min(lines.count - 1, index + context)
            if let last = ranges.last, range.lowerBound <= last.upperBound + 1 {
                ranges[ranges.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                ranges.append(range)
            }
        }
        return ranges.map { range in
            let slice = Array(lines[range])
            var oldStart: Int?, newStart: Int?, oldCount = 0, newCount = 0
            for line in slice {
                switch line {
                case .same(let o, let n, _):
                    oldStart = oldStart ?? o; newStart = newStart ?? n; oldCount += 1; newCount += 1
                case .removed(let o, _):
                    oldStart = oldStart ?? o; oldCount += 1
                case .added(let n, _):
                    newStart = newStart ?? n; newCount += 1
                }
            }
            // An empty side starts where its text would be; use the line before the hunk.
            let before = lines[..<range.lowerBound]
            func previousOld() -> Int { before.reversed().lazy.compactMap { line -> Int? in
                switch line { case .same(let o, _, _), .removed(let o, _): o; case .added: nil } }.first ?? 0 }
            func previousNew() -> Int { before.reversed().lazy.compactMap { line -> Int? in
                switch line { case .same(_, let n, _), .added(let n, _): n; case .removed: nil } }.first ?? 0 }
            return Hunk(oldStart: oldStart ?? previousOld(), oldCount: oldCount,
                        newStart: newStart ?? previousNew(), newCount: newCount, lines: slice)
        }
    }

    /// The diff as unified-diff text (no file headers).
    package func unified(context: Int = 3) -> String {
        hunks(context: context).map { hunk in
            ([hunk.header] + hunk.lines.map { line in
                switch line {
                case .same(_, _, let text): " " + text
                case .removed(_, let text): "-" + text
                case .added(_, let text): "+" + text
                }
            }).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    static func split(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var parts = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        if parts.last == "" { parts.removeLast() }
        return parts.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
    }

    static func align(_ a: [String], _ b: [String]) -> [Line] {
        var head = 0
        while head < a.count, head < b.count, a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head, tail < b.count - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        let midA = Array(a[head..<(a.count - tail)]), midB = Array(b[head..<(b.count - tail)])

        var result: [Line] = (0..<head).map { .same(old: $0 + 1, new: $0 + 1, text: a[$0]) }
        let n = midA.count, m = midB.count
        if n * m > 25_000_000 {
            // Too large to align cheaply: show the middle as replaced wholesale.
            result += midA.enumerated().map { .removed(old: head + $0.offset + 1, text: $0.element) }
            result += midB.enumerated().map { .added(new: head + $0.offset + 1, text: $0.element) }
        } else if n > 0 || m > 0 {
            // lcs[i][j]: length of the LCS of midA[i...] and midB[j...], row-major.
            let ids = Self.intern(midA + midB)
            let x = Array(ids[..<n]), y = Array(ids[n...])
            var lcs = [Int32](repeating: 0, count: (n + 1) * (m + 1))
            if n > 0, m > 0 {
                for i in stride(from: n - 1, through: 0, by: -1) {
                    for j in stride(from: m - 1, through: 0, by: -1) {
                        lcs[i * (m + 1) + j] = x[i] == y[j]
                            ? lcs[(i + 1) * (m + 1) + j + 1] + 1
                            : max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1])
                    }
                }
            }
            var i = 0, j = 0
            while i < n || j < m {
                if i < n, j < m, x[i] == y[j] {
                    result.append(.same(old: head + i + 1, new: head + j + 1, text: midA[i])); i += 1; j += 1
                } else if j == m || (i < n && lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
                    result.append(.removed(old: head + i + 1, text: midA[i])); i += 1
                } else {
                    result.append(.added(new: head + j + 1, text: midB[j])); j += 1
                }
            }
        }
        let oldTail = a.count - tail, newTail = b.count - tail
        result += (0..<tail).map { .same(old: oldTail + $0 + 1, new: newTail + $0 + 1, text: a[oldTail + $0]) }
        return result
    }

    private static func intern(_ lines: [String]) -> [Int] {
        var table: [String: Int] = [:]
        return lines.map { line in
            if let id = table[line] { return id }
            table[line] = table.count
            return table.count - 1
        }
    }
}
