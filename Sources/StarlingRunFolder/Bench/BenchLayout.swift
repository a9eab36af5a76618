import Foundation

/// Where everything of one bench lives:
///
/// ```
/// bench.json                          BenchConfiguration (a resumed bench must match it)
/// results.json                        BenchResults, rewritten after every cell
/// results.md, index.html              the same results as tables and a page
/// runs/<task>/<strategy>/seed-<n>/    one run folder per cell, with bench-cell.json
/// ```
package struct BenchLayout: Sendable, Hashable {
    /// The bench folder.
    package let folder: URL

    /// File names, relative to the bench folder.
    package enum Name {
        package static let configuration = "bench.json"
        package static let results = "results.json"
        package static let markdown = "results.md"
        package static let page = "index.html"
    }

    /// A layout for `folder`.
    package init(_ folder: URL) { self.folder = folder }

    package var configuration: URL { folder.appendingPathComponent(Name.configuration) }
    package var results: URL { folder.appendingPathComponent(Name.results) }
    package var markdown: URL { folder.appendingPathComponent(Name.markdown) }
    package var page: URL { folder.appendingPathComponent(Name.page) }

    /// The run folder of `cell`.
    package func run(_ cell: BenchCell) -> RunLayout { RunLayout(folder.appendingPathComponent(cell.folderPath)) }

    /// The result a cell recorded when it ended (`bench-cell.json`), if it did.
    package func recorded(_ cell: BenchCell) -> BenchCellResult? {
        try? RunLayout.readJSON(BenchCellResult.self, from: run(cell).benchCell)
    }
}
