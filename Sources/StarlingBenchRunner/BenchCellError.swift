/// A cell whose run could not run or did not end, with the reason the tables show.
package struct BenchCellError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    package var reason: String

    /// Creates an error.
    package init(_ reason: String) { self.reason = reason }

    package var description: String { reason }
}
