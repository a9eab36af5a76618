/// How `pandas.read_csv` types one column (its C engine, default `na_values`,
/// `float_precision="round_trip"`, as MLE-bench reads submissions): the whole column is one type,
/// so one stray value changes how every other value of the column is compared.
///
/// - every value an integer (optional sign, digits, spaces around): `int64`;
/// - every value a decimal number, `inf`/`infinity` in any case, or a missing-value spelling: `float64`;
/// - every value `True`/`TRUE`/`true`/`False`/`FALSE`/`false`: `bool`;
/// - anything else: text (`object`), the values kept as written, missing spellings becoming NaN.
///
/// Hexadecimal (`0x1`), underscores (`1_0`), decimal commas and numbers that overflow a double
/// (`1e400`) are text to pandas, so they are text here too.
package struct PandasColumn: Sendable, Hashable {
    /// The column's type.
    package enum Kind: String, Sendable, Hashable {
        case integer, float, boolean, text

        /// Whether numpy compares the values as numbers.
        package var isNumeric: Bool { self != .text }
    }

    /// The type.
    package let kind: Kind
    /// The values as numbers (booleans as 1 and 0, missing values as NaN); `nil` for text.
    package let numbers: [Double]?
    /// Which rows hold a missing-value spelling.
    package let missing: [Bool]

    /// Types a column.
    ///
    /// - Parameter values: The column's fields as read from the file.
    package init(_ values: [String]) {
        missing = values.map(Self.isMissing)
        var integers = true
        var decimals = true
        var booleans = !values.isEmpty
        var numbers: [Double] = []
        numbers.reserveCapacity(values.count)
        for (r, text) in values.enumerated() {
            if missing[r] {
                integers = false
                booleans = false
                numbers.append(.nan)
                continue
            }
            if booleans, Self.booleans[text] == nil { booleans = false }
            if decimals, let parsed = Self.number(text) {
                numbers.append(parsed.value)
                if !parsed.isInteger { integers = false }
            } else {
                decimals = false
                integers = false
            }
        }
        if booleans {
            kind = .boolean
            self.numbers = values.map { Self.booleans[$0]! ? 1 : 0 }
        } else if decimals {
            kind = integers ? .integer : .float
            self.numbers = numbers
        } else {
            kind = .text
            self.numbers = nil
        }
    }

    /// pandas' default spellings of a missing value (`read_csv`'s `na_values`).
    package static let missingSpellings: Set<String> = [
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
        "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
    ]

    /// The spellings pandas reads as booleans (when the whole column is made of them).
    package static let booleans: [String: Bool] = [
        "True": true, "TRUE": true, "true": true, "False": false, "FALSE": false, "false": false,
    ]

    /// A column pandas reads as booleans, as 1s and 0s; `nil` for any other column.
    package static func booleanNumbers(_ values: [String]) -> [Double]? {
        guard booleans[values.first ?? ""] != nil else { return nil }  // the common case, without a pass over the column
        let column = PandasColumn(values)
        return column.kind == .boolean ? column.numbers : nil
    }

    /// Whether pandas reads `text` as a missing value.
    package static func isMissing(_ text: String) -> Bool { missingSpellings.contains(text) }

    /// The number `text` spells to pandas' tokenizer, and whether it is an integer; `nil` when
    /// pandas would read it as text.
    package static func number(_ text: String) -> (value: Double, isInteger: Bool)? {
        var bytes = Substring(text).utf8[...]
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        guard !bytes.isEmpty else { return nil }
        var body = bytes
        var negative = false
        if let sign = body.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            body.removeFirst()
        }
        let word = String(decoding: body, as: UTF8.self).lowercased()
        if word == "inf" || word == "infinity" { return (negative ? -.infinity : .infinity, false) }
        guard let shape = decimalShape(body) else { return nil }
        guard let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite else { return nil }
        return (value, shape == .integer && abs(value) < 9.2e18)
    }

    private enum Shape { case integer, decimal }

    /// `digits [. digits] [(e|E) [sign] digits]`, at least one digit before the exponent.
    private static func decimalShape(_ body: Substring.UTF8View.SubSequence) -> Shape? {
        var digits = 0
        var shape = Shape.integer
        var index = body.startIndex
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        while index < body.endIndex, isDigit(body[index]) { digits += 1; index = body.index(after: index) }
        if index < body.endIndex, body[index] == UInt8(ascii: ".") {
            shape = .decimal
            index = body.index(after: index)
            while index < body.endIndex, isDigit(body[index]) { digits += 1; index = body.index(after: index) }
        }
        guard digits > 0 else { return nil }
        if index < body.endIndex, body[index] == UInt8(ascii: "e") || body[index] == UInt8(ascii: "E") {
            shape = .decimal
            index = body.index(after: index)
            if index < body.endIndex, body[index] == UInt8(ascii: "+") || body[index] == UInt8(ascii: "-") {
                index = body.index(after: index)
            }
            var exponentDigits = 0
            while index < body.endIndex, isDigit(body[index]) { exponentDigits += 1; index = body.index(after: index) }
            guard exponentDigits > 0 else { return nil }
        }
        return index == body.endIndex ? shape : nil
    }

    /// Two id columns as numpy compares them: when pandas reads both as numbers, by value
    /// (`3.0`, `03` and ` 3 ` are the id `3`), else as written.
    ///
    /// - Parameters:
    ///   - ids: One side's ids.
    ///   - reference: The other side's.
    /// - Returns: Both, in a form where equal strings mean equal ids.
    package static func comparable(_ ids: [String], _ reference: [String]) -> ([String], [String]) {
        let left = PandasColumn(ids), right = PandasColumn(reference)
        guard left.kind == .integer || left.kind == .float, right.kind == .integer || right.kind == .float,
              let a = left.numbers, let b = right.numbers else { return (ids, reference) }
        func text(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 9.2e18 ? String(Int64(value)) : String(value)
        }
        return (a.map(text), b.map(text))
    }

    /// The first row whose value is neither a number nor missing (nor, with `booleans`, a
    /// boolean): in a column pandas reads as text, the value to name in an error (a `True` among
    /// numbers makes the column text too).
    package static func firstTextRow(of values: [String], booleans allowed: Bool = false) -> Int? {
        values.indices.first { r in
            !isMissing(values[r]) && number(values[r]) == nil && !(allowed && booleans[values[r]] != nil)
        }
    }
}
