import Foundation

extension CSVTable {
    /// The table as CSV text: LF line ends, fields quoted only when they hold a comma, quote or
    /// line break.
    ///
    /// - Returns: The text, header first.
    package func csvText() -> String {
        var out = ""
        out.reserveCapacity(rowCount * max(1, header.count) * 8)
        Self.appendRecord(header, to: &out)
        for r in 0..<rowCount {
            for c in columns.indices {
                if c > 0 { out.append(",") }
                Self.appendField(columns[c][r], to: &out)
            }
            out.append("\n")
        }
        return out
    }

    /// Writes the table as CSV, creating parent folders as needed.
    ///
    /// - Parameter url: Destination file; replaced if it exists.
    /// - Throws: The file system's error.
    package func write(to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(csvText().utf8).write(to: url, options: .atomic)
    }

    private static func appendRecord(_ fields: [String], to out: inout String) {
        for (c, field) in fields.enumerated() {
            if c > 0 { out.append(",") }
            appendField(field, to: &out)
        }
        out.append("\n")
    }

    private static func appendField(_ field: String, to out: inout String) {
        let needsQuotes = field.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else {
            out.append(field)
            return
        }
        out.append("\"")
        out.append(field.replacingOccurrences(of: "\"", with: "\"\""))
        out.append("\"")
    }
}
