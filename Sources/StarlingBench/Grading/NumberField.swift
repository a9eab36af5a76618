import StarlingCore

/// Reads numbers from CSV fields the way pandas would (``PandasColumn/number(_:)``): spaces
/// around ignored, decimal notation and `inf` only (no hexadecimal, no underscores), and pandas'
/// missing-value spellings read as NaN (so that they can be refused by name).
enum NumberField {
    static func parse(_ text: String) -> Double? {
        if PandasColumn.isMissing(text) { return text.trimmingWhitespace().isEmpty ? nil : .nan }
        return PandasColumn.number(text)?.value
    }
}
