import StarlingCore

/// Reads numbers from CSV fields the way pandas would: surrounding spaces ignored, `nan` and
/// `inf` recognised (so that they can be refused by name).
enum NumberField {
    static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        return Double(trimmed)
    }
}
