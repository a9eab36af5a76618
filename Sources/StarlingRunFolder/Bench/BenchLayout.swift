import Foundation

/// Where everything of one bench lives:
///
/// ```
/// bench.json                          BenchConfiguration (a resumed bench must match it)
/// results.json                        BenchResults, rewritten after every cell
/// results.md, index.html              the same results as tables and a page
/// runs/<task>/<strategy>/seed-<n>/    one run folder per cell, with bench-cell.json
/// ```
public struct BenchLayout: Sendable, Hashable {
    /// The bench folder.
    public let folder: URL

    /// File names, relative to the bench folder.
    public enum Name {
        public static let configuration = "bench.json"
        public static let results = "results.json"
        public static let markdown = "results.md"
        public static let page = "index.html"
    }

    /// A layout for `folder`.
    public init(_ folder: URL) { self.folder = folder }

    public var configuration: URL { folder.appendingPathComponent(Name.configuration) }
    public var results: URL { folder.appendingPathComponent(Name.results) }
    public var markdown: URL { folder.appendingPathComponent(Name.markdown) }
    public var page: URL { folder.appendingPathComponent(Name.page) }

    /// The run folder of `cell`.
    public func run(_ cell: BenchCell) -> RunLayout { RunLayout(folder.appendingPathComponent(cell.folderPath)) }

    /// The result a cell recorded when it ended (`bench-cell.json`), if it did.
    public func recorded(_ cell: BenchCell) -> BenchCellResult? {
        try? RunLayout.readJSON(BenchCellResult.self, from: run(cell).benchCell)
    }
}
