import Foundation

/// Number and duration formats shared by the run report and the bench pages.
package enum Formatting {
    /// A score with five significant digits, or an em dash.
    package static func score(_ value: Double?) -> String {
        guard let value else { return "—" }
        guard value.isFinite else { return String(describing: value) }
        return String(format: "%.5g", value)
    }

    /// A percentage with one decimal, or an em dash.
    package static func percent(_ value: Double?) -> String {
        value.map { String(format: "%.1f%%", $0) } ?? "—"
    }

    /// A share in 0...1 as a whole percentage, or an em dash.
    package static func rate(_ value: Double?) -> String {
        value.map { String(format: "%.0f%%", $0 * 100) } ?? "—"
    }

    /// US dollars with four decimals.
    package static func dollars(_ value: Double) -> String {
        String(format: "$%.4f", value)
    }

    /// An integer with thousands separators (`12,345`).
    package static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// `1 task`, `3 tasks`, `2 strategies`.
    package static func plural(_ count: Int, _ one: String, _ many: String? = nil) -> String {
        "\(count) \(count == 1 ? one : many ?? one + "s")"
    }

    /// A large count in short form: `950`, `19.9k`, `1.25M`.
    package static func compact(_ value: Int) -> String {
        switch abs(value) {
        case ..<1000: "\(value)"
        case ..<1_000_000: String(format: "%.1fk", Double(value) / 1000)
        default: String(format: "%.2fM", Double(value) / 1_000_000)
        }
    }

    /// Seconds as `1h 02m`, `12m 05s` or `42.0 s`.
    package static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "—" }
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let total = Int(seconds.rounded())
        if total < 3600 { return String(format: "%dm %02ds", total / 60, total % 60) }
        return String(format: "%dh %02dm", total / 3600, (total % 3600) / 60)
    }
}
