import Foundation

extension CSVTable {
    /// Reads a CSV file: comma separated, fields optionally quoted with `"` (a quote inside a
    /// quoted field is doubled), quoted fields may hold commas and line breaks, a UTF-8 byte
    /// order mark is skipped, lines may end in LF, CRLF or CR, and blank lines are skipped.
    ///
    /// - Parameter url: The file to read.
    /// - Returns: The table; the first line is the header.
    /// - Throws: ``CSVError`` naming the file, line and column of the first problem.
    package static func read(contentsOf url: URL) throws -> CSVTable {
        try read(contentsOf: url, dialect: .strict)
    }

    /// Reads a CSV file in a dialect: ``CSVDialect/strict`` (as ``read(contentsOf:)``) or
    /// ``CSVDialect/pandas``, which reads what `pandas.read_csv` reads: a repeated column name
    /// becomes `name.1`, a short row is filled with empty (missing) fields, and a field ends at a
    /// NUL byte.
    ///
    /// - Parameters:
    ///   - url: The file to read.
    ///   - dialect: How forgiving to be.
    /// - Returns: The table; the first line is the header.
    /// - Throws: ``CSVError`` naming the file, line and column of the first problem.
    package static func read(contentsOf url: URL, dialect: CSVDialect) throws -> CSVTable {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw CSVError(file: url.path, line: 0, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(data: data, source: url.path, dialect: dialect)
    }

    /// Parses CSV text with the rules of ``read(contentsOf:)``.
    ///
    /// - Parameters:
    ///   - text: The whole file.
    ///   - source: Name used in error messages.
    /// - Returns: The table.
    /// - Throws: ``CSVError`` at the first problem.
    package static func parse(_ text: String, source: String = "<memory>") throws -> CSVTable {
        try parse(data: Data(text.utf8), source: source)
    }

    /// Parses CSV bytes with the rules of ``read(contentsOf:)``.
    ///
    /// - Parameters:
    ///   - data: UTF-8 bytes of the whole file.
    ///   - source: Name used in error messages.
    /// - Returns: The table.
    /// - Throws: ``CSVError`` at the first problem.
    package static func parse(data: Data, source: String = "<memory>", dialect: CSVDialect = .strict) throws -> CSVTable {
        try data.withUnsafeBytes { raw in
            var parser = CSVParser(bytes: raw.bindMemory(to: UInt8.self), source: source, dialect: dialect)
            return try parser.parse()
        }
    }

    /// Reads only the header line of a CSV file, without reading the rest.
    ///
    /// - Parameter url: The file.
    /// - Returns: Column names.
    /// - Throws: ``CSVError`` when the file cannot be read or its header is malformed.
    package static func readHeader(contentsOf url: URL) throws -> [String] {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw CSVError(file: url.path, line: 0, message: "cannot read the file")
        }
        defer { try? handle.close() }
        var data = Data()
        while true {
            guard let chunk = try handle.read(upToCount: 64 * 1024), !chunk.isEmpty else { break }
            data.append(chunk)
            // A header holding a quoted line break is rare; reading one more chunk past the
            // first newline would not fix it reliably, so parse the whole prefix and trust it.
            if chunk.contains(0x0A) || chunk.contains(0x0D) { break }
        }
        let text = String(decoding: data, as: UTF8.self)
        let firstLine = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .first.map(String.init) ?? ""
        return try parse(firstLine, source: url.path).header
    }
}

/// How forgiving a CSV reader is.
package enum CSVDialect: Sendable, Hashable {
    /// Repeated column names and rows of the wrong length are errors.
    case strict
    /// What `pandas.read_csv` accepts (MLE-bench reads submissions with it): repeated names are
    /// renamed `name.1`, `name.2`; short rows are filled with empty fields; a NUL byte ends its field.
    case pandas
}

/// A single-pass byte-level CSV parser.
struct CSVParser {
    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    let bytes: UnsafeBufferPointer<UInt8>
    let source: String
    let dialect: CSVDialect
    /// The read position, the 1-based line it is on, and where that line starts.
    private var i = 0, line = 1, lineStart = 0
    /// The bytes of the quoted field being read.
    private var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, source: String, dialect: CSVDialect = .strict) {
        self.bytes = bytes
        self.source = source
        self.dialect = dialect
    }

    mutating func parse() throws -> CSVTable {
        let n = bytes.count
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        lineStart = i
        var header: [String]?
        var columns: [[String]] = []
        var lineNumbers: [Int] = []
        var record: [String] = []

        while i < n {
            let first = bytes[i]
            if first == Self.lf || first == Self.cr {
                // Blank line: skipped, as pandas does.
                i += 1
                if first == Self.cr, i < n, bytes[i] == Self.lf { i += 1 }
                line += 1
                lineStart = i
                continue
            }
            let recordLine = line
            try readRecord(into: &record)
            if i < n {
                if bytes[i] == Self.cr {
                    i += 1
                    if i < n, bytes[i] == Self.lf { i += 1 }
                } else {
                    i += 1
                }
                line += 1
                lineStart = i
            }
            if dialect == .pandas { Self.cutAtNUL(&record) }
            if header == nil {
                header = try uniqueNames(record, line: recordLine)
                columns = Array(repeating: [], count: record.count)
            } else {
                if dialect == .pandas, record.count < columns.count {
                    record += Array(repeating: "", count: columns.count - record.count)
                }
                guard record.count == columns.count else {
                    throw CSVError(
                        file: source, line: recordLine,
                        message: "row has \(record.count) fields but the header has \(columns.count); quote fields that contain commas")
                }
                for c in 0..<record.count { columns[c].append(record[c]) }
                lineNumbers.append(recordLine)
            }
        }
        guard let header else {
            throw CSVError(file: source, line: 1, message: "file is empty; expected a header line")
        }
        return CSVTable(header: header, columns: columns, lineNumbers: lineNumbers, source: source)
    }

    /// The header's names; a repeated name is an error, or in the pandas dialect becomes
    /// `name.1` (`name.2`, ...), as `read_csv` renames it.
    private func uniqueNames(_ record: [String], line: Int) throws -> [String] {
        var seen = Set<String>()
        var names: [String] = []
        for (c, name) in record.enumerated() {
            guard seen.contains(name) else {
                seen.insert(name)
                names.append(name)
                continue
            }
            guard dialect == .pandas else {
                throw CSVError(file: source, line: line, message: "column \(c + 1) repeats the name '\(name)' of an earlier column")
            }
            var copy = 1
            while seen.contains("\(name).\(copy)") { copy += 1 }
            seen.insert("\(name).\(copy)")
            names.append("\(name).\(copy)")
        }
        return names
    }

    /// pandas' tokenizer ends a field at a NUL byte.
    private static func cutAtNUL(_ record: inout [String]) {
        for c in record.indices where record[c].utf8.contains(0) {
            record[c] = String(record[c].prefix { $0 != "\0" })
        }
    }

    /// Reads the fields of one record, up to (not past) its line break or the end.
    private mutating func readRecord(into record: inout [String]) throws {
        let n = bytes.count
        record.removeAll(keepingCapacity: true)
        while true {
            if i < n, bytes[i] == Self.quote {
                record.append(try readQuotedField())
                if i >= n { return }
                let b = bytes[i]
                if b == Self.comma {
                    i += 1
                    continue
                }
                if b == Self.lf || b == Self.cr { return }
                throw CSVError(
                    file: source, line: line, column: i - lineStart + 1,
                    message: "unexpected character after a closing quote; quote the whole field and double any quote inside it")
            }
            let start = i
            while i < n {
                let b = bytes[i]
                if b == Self.comma || b == Self.lf || b == Self.cr { break }
                i += 1
            }
            record.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
            guard i < n, bytes[i] == Self.comma else { return }
            i += 1
        }
    }

    /// Reads a quoted field from its opening quote to just past its closing one; line breaks
    /// inside it count as lines, a doubled quote is one quote.
    private mutating func readQuotedField() throws -> String {
        let n = bytes.count
        let openLine = line
        let openColumn = i - lineStart + 1
        i += 1
        scratch.removeAll(keepingCapacity: true)
        while i < n {
            let b = bytes[i]
            if b == Self.quote {
                if i + 1 < n, bytes[i + 1] == Self.quote {
                    scratch.append(Self.quote)
                    i += 2
                    continue
                }
                i += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if b == Self.lf || (b == Self.cr && !(i + 1 < n && bytes[i + 1] == Self.lf)) {
                line += 1
                lineStart = i + 1
            }
            scratch.append(b)
            i += 1
        }
        throw CSVError(
            file: source, line: openLine, column: openColumn,
            message: "quoted field is never closed; a quote inside a quoted field must be doubled (\"\")")
    }
}
