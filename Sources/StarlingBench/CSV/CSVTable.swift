import Foundation

/// A CSV file held in memory column by column, with the file line of every row so that
/// errors about a row can point into the file.
package struct CSVTable: Sendable, Hashable {
    /// Column names from the first line.
    package private(set) var header: [String]
    /// Field values, `columns[c][r]` for column `c` and row `r`.
    package private(set) var columns: [[String]]
    /// 1-based file line on which each row starts (the header is line 1).
    package private(set) var lineNumbers: [Int]
    /// Where the table came from, for error messages.
    package var source: String

    /// Number of data rows (the header is not a row).
    package var rowCount: Int { lineNumbers.count }

    /// Creates a table from rows.
    ///
    /// - Parameters:
    ///   - header: Column names.
    ///   - rows: Field values row by row; every row must have one value per column.
    ///   - source: Name used in error messages.
    /// - Throws: ``CSVError`` when a row has the wrong number of fields.
    package init(header: [String], rows: [[String]], source: String = "<memory>") throws {
        self.header = header
        self.source = source
        var columns = [[String]](repeating: [], count: header.count)
        for c in columns.indices { columns[c].reserveCapacity(rows.count) }
        for (r, row) in rows.enumerated() {
            guard row.count == header.count else {
                throw CSVError(
                    file: source, line: r + 2,
                    message: "row has \(row.count) fields but the header has \(header.count)")
            }
            for (c, value) in row.enumerated() { columns[c].append(value) }
        }
        self.columns = columns
        self.lineNumbers = rows.indices.map { $0 + 2 }
    }

    /// Creates a table from columns that all have the same length.
    ///
    /// - Parameters:
    ///   - header: Column names.
    ///   - columns: One array of values per column.
    ///   - lineNumbers: File lines of the rows; consecutive lines from 2 when `nil`.
    ///   - source: Name used in error messages.
    package init(header: [String], columns: [[String]], lineNumbers: [Int]? = nil, source: String = "<memory>") {
        precondition(header.count == columns.count, "one column per header name")
        let count = columns.first?.count ?? 0
        precondition(columns.allSatisfy { $0.count == count }, "columns of equal length")
        self.header = header
        self.columns = columns
        self.lineNumbers = lineNumbers ?? (0..<count).map { $0 + 2 }
        self.source = source
    }

    /// Index of the column called `name`, or `nil`.
    ///
    /// - Parameter name: Column name, matched exactly.
    /// - Returns: The first column with that name.
    package func index(of name: String) -> Int? {
        header.firstIndex(of: name)
    }

    /// Values of the column called `name`, or `nil` when there is none.
    ///
    /// - Parameter name: Column name.
    /// - Returns: The column's values in row order.
    package func column(_ name: String) -> [String]? {
        index(of: name).map { columns[$0] }
    }

    /// Values of one row.
    ///
    /// - Parameter row: 0-based row index.
    /// - Returns: One value per column.
    package func row(_ row: Int) -> [String] {
        columns.map { $0[row] }
    }

    /// A table of the given rows, in the given order, keeping their file lines.
    ///
    /// - Parameter rows: 0-based row indices; may repeat or reorder.
    /// - Returns: The selected rows.
    package func selecting(rows: [Int]) -> CSVTable {
        CSVTable(
            header: header,
            columns: columns.map { column in rows.map { column[$0] } },
            lineNumbers: rows.map { lineNumbers[$0] },
            source: source)
    }

    /// A table of the named columns only, in the given order.
    ///
    /// - Parameter names: Columns to keep.
    /// - Returns: The projected table.
    /// - Throws: ``CSVError`` naming the first column that does not exist.
    package func selecting(columns names: [String]) throws -> CSVTable {
        let indices = try names.map { name in
            guard let i = index(of: name) else {
                throw CSVError(file: source, line: 1, message: "no column '\(name)'; columns are \(header.joined(separator: ", "))")
            }
            return i
        }
        return CSVTable(header: names, columns: indices.map { columns[$0] }, lineNumbers: lineNumbers, source: source)
    }

    /// Appends a row.
    ///
    /// - Parameter values: One value per column.
    package mutating func append(row values: [String]) {
        precondition(values.count == header.count, "one value per column")
        for c in columns.indices { columns[c].append(values[c]) }
        lineNumbers.append((lineNumbers.last ?? 1) + 1)
    }

    /// Replaces the values of one column.
    ///
    /// - Parameters:
    ///   - name: An existing column.
    ///   - values: New values, one per row.
    package mutating func replaceColumn(_ name: String, with values: [String]) {
        guard let i = index(of: name) else { preconditionFailure("no column \(name)") }
        precondition(values.count == rowCount, "one value per row")
        columns[i] = values
    }
}
