import Foundation
import StarlingCore

/// A JSON file holding an array of records (random-acts-of-pizza's `train.json`) as a table, so
/// the agent view can hold dev rows out of it as out of a CSV file. A cell holds a string value
/// as its text and any other value as its JSON text (`true`, `3.5`, `null`, `[1, 2]`), and the
/// table written back gives every record its keys in the file's order.
enum JSONRecords {
    /// The records of `url` as a table (columns in first-seen key order), and the keys whose
    /// values are strings.
    ///
    /// - Throws: ``AgentViewError`` when the file is not a JSON array of objects.
    static func read(_ url: URL) throws -> (table: CSVTable, stringKeys: Set<String>) {
        guard let records = try? JSONDecoder().decode([[String: JSONValue]].self, from: Data(contentsOf: url)) else {
            throw AgentViewError("\(url.path) is not a JSON array of records")
        }
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        // Decoding forgets key order; the order of first appearance in the text keeps it.
        let unique = Set(records.flatMap(\.keys))
        let positions = Dictionary(uniqueKeysWithValues: unique.map { ($0, position(of: $0, in: text)) })
        let keys = unique.sorted { (positions[$0]!, $0) < (positions[$1]!, $1) }
        var stringKeys = Set<String>()
        let columns = keys.map { key in
            records.map { record -> String in
                guard let value = record[key] else { return "null" }
                if case .string(let string) = value { stringKeys.insert(key); return string }
                return fragment(value)
            }
        }
        return (CSVTable(header: keys, columns: columns, source: url.path), stringKeys)
    }

    /// Writes `table` as a JSON array of records.
    static func write(_ table: CSVTable, stringKeys: Set<String>, to url: URL) throws {
        var records: [String] = []
        for r in 0..<table.rowCount {
            let fields = table.header.indices.map { c -> String in
                let value = table.columns[c][r]
                return "\(fragment(.string(table.header[c]))): " + (stringKeys.contains(table.header[c]) ? fragment(.string(value)) : value)
            }
            records.append("    {\n        " + fields.joined(separator: ",\n        ") + "\n    }")
        }
        try Data(("[\n" + records.joined(separator: ",\n") + "\n]\n").utf8).write(to: url)
    }

    /// An answer value as the grader's CSV holds it: JSON booleans as 1 and 0 (pandas' `int(True)`).
    static func answerValue(_ cell: String) -> String {
        switch cell {
        case "true": "1"
        case "false": "0"
        default: cell
        }
    }

    private static func fragment(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    private static func position(of key: String, in text: String) -> Int {
        guard let range = text.range(of: "\"\(key)\"") else { return Int.max }
        return text.distance(from: text.startIndex, to: range.lowerBound)
    }
}
