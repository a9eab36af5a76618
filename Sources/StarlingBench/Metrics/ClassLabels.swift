/// Label handling shared by the classification metrics: labels read from CSV files are
/// compared by value ("1" and "1.0" are one class), and sorted as `numpy.unique` sorts them
/// (numerically when every label is a number, else by code point), which decides the positive
/// class of binary metrics and the order of kappa's weights.
package enum ClassLabels {
    /// The canonical form of a label: numbers are written in one way, other text is trimmed.
    ///
    /// - Parameter raw: A label as read from a file.
    /// - Returns: The label in canonical form.
    package static func canonical(_ raw: String) -> String {
        let trimmed = raw.trimmingWhitespace()
        // pandas reads these spellings as booleans, so MLE-bench's graders see one value for each.
        if let value = PandasColumn.booleans[trimmed] { return value ? "True" : "False" }
        guard let value = number(trimmed) else { return trimmed }
        if value == value.rounded(), abs(value) < 9.007_199_254_740_992e15 {
            return String(Int64(value))
        }
        return String(value)
    }

    /// Canonical forms of many labels.
    ///
    /// - Parameter raw: Labels as read.
    /// - Returns: Canonical labels, in the same order.
    package static func canonical(_ raw: [String]) -> [String] {
        raw.map(canonical)
    }

    /// Distinct labels in `numpy.unique` order.
    ///
    /// - Parameter labels: Canonical labels.
    /// - Returns: Sorted distinct labels.
    package static func sortedUnique<S: Sequence>(_ labels: S) -> [String] where S.Element == String {
        sorted(Array(Set(labels)))
    }

    /// Labels sorted numerically when all are numbers, else by Unicode code point.
    ///
    /// - Parameter labels: Canonical labels.
    /// - Returns: The sorted labels.
    package static func sorted(_ labels: [String]) -> [String] {
        let numbers = labels.map(number)
        if numbers.allSatisfy({ $0 != nil }) {
            return zip(labels, numbers).sorted { $0.1! < $1.1! }.map(\.0)
        }
        return labels.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    }

    /// The finite number a label spells, if it spells one in decimal notation.
    static func number(_ text: String) -> Double? {
        guard let first = text.utf8.first,
              first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first),
              !text.lowercased().contains("x"),
              let value = Double(text), value.isFinite
        else { return nil }
        return value
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    func trimmingWhitespace() -> String {
        // Fast path: most values read from CSV files have nothing to trim.
        if let first = utf8.first, let last = utf8.last,
           first > 0x20, first < 0x80, last > 0x20, last < 0x80 {
            return self
        }
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }
}
