/// A share of cells: how many of how many.
package struct BenchRate: Sendable, Hashable, Codable {
    /// Cells where the thing happened.
    package var hits: Int
    /// Cells where it could be judged.
    package var total: Int

    /// `hits / total`, or `nil` when nothing could be judged.
    package var value: Double? { total > 0 ? Double(hits) / Double(total) : nil }

    /// `67% (2/3)`, or `—` when nothing could be judged.
    package var text: String {
        guard let value else { return "—" }
        return String(format: "%.0f%% (%d/%d)", value * 100, hits, total)
    }
}
