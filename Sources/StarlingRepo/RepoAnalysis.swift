import Foundation

/// A repository, understood: its code tree, module and call graphs and importance scores, plus
/// the source text for viewing. Made once per folder by ``analyze(_:scanner:)``; everything after
/// that (briefs, tools, the graph page) reads it and runs nothing.
package struct RepoAnalysis: Sendable {
    /// The repository root.
    package let root: URL
    /// What the scan read.
    package let scan: RepoScan
    package let tree: CodeTree
    package let modules: ModuleGraph
    package let calls: CallGraph
    package let importance: Importance
    /// Seconds the Swift side took to build the graphs and scores.
    package let graphSeconds: Double

    /// Builds the analysis from a finished scan.
    package init(root: URL, scan: RepoScan) {
        let started = Date()
        self.root = root
        self.scan = scan
        tree = CodeTree(scan: scan)
        modules = ModuleGraph(tree: tree)
        calls = CallGraph(tree: tree, modules: modules, builtins: scan.builtins)
        importance = Importance(tree: tree, modules: modules, calls: calls, scan: scan)
        graphSeconds = Date().timeIntervalSince(started)
    }

    /// Scans `folder` and analyses it.
    ///
    /// - Parameters:
    ///   - folder: The repository root.
    ///   - scanner: How the scan runs and what it skips.
    /// - Throws: ``RepoError`` when the folder cannot be scanned.
    package static func analyze(_ folder: URL, scanner: RepoScanner = RepoScanner()) async throws -> RepoAnalysis {
        let scan = try await scanner.scan(folder)
        return RepoAnalysis(root: folder.standardizedFileURL, scan: scan)
    }

    /// Lines of Python parsed.
    package var totalLines: Int { scan.files.reduce(0) { $0 + $1.lines } }

    /// A one-line account of the repository's size and the walk's limits.
    package var sizeLine: String {
        let counts = tree.entities.values.reduce(into: [CodeEntity.Kind: Int]()) { $0[$1.kind, default: 0] += 1 }
        var line = "\(scan.files.count) Python files, \(totalLines) lines, \(counts[.class] ?? 0) classes, "
            + "\((counts[.function] ?? 0) + (counts[.method] ?? 0)) functions and methods"
        if !scan.skipped.isEmpty { line += "; \(scan.skipped.count) paths skipped" }
        return line
    }

    /// A line on how many calls the graph placed.
    package var callLine: String {
        let c = calls.counts
        return "\(c.total) call sites: \(c.resolved) resolved in the repository, \(c.external) to outside libraries, "
            + "\(c.builtin) builtins, \(c.local) to local definitions, \(c.unresolved) unresolved, \(c.dynamic) dynamic"
    }

    /// The source lines `range` (1-based, inclusive) of a file, or the whole file.
    ///
    /// - Throws: ``RepoError`` when the path leaves the repository (`..`, an absolute path
    ///   elsewhere, a link out of it), cannot be read or is binary.
    package func source(of path: String, lines range: ClosedRange<Int>? = nil) throws -> [String] {
        let file = try RepoPath.resolve(path, inside: root)
        let text = try RepoPath.text(of: file, shownAs: path)
        let lines = text.components(separatedBy: "\n")
        guard let range else { return lines }
        let lower = max(1, range.lowerBound), upper = min(lines.count, range.upperBound)
        return lower <= upper ? Array(lines[(lower - 1)...(upper - 1)]) : []
    }
}
