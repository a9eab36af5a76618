import Foundation

/// Horizontal stacked bars as inline SVG, one row per label (LLM tokens per role).
struct BarChart {
    /// One bar: its label and segment values, in the order of ``segments``.
    struct Bar { var label: String, values: [Double] }

    /// Segment names and colours.
    var segments: [(name: String, color: String)]
    var bars: [Bar]
    /// How a bar's total is written at its end.
    var format: (Double) -> String

    var svg: String {
        guard !bars.isEmpty else { return "" }
        let width = 760.0, labelW = 110.0, rowH = 26.0, valueW = 110.0
        let height = Double(bars.count) * rowH + 30
        let maxTotal = max(bars.map { $0.values.reduce(0, +) }.max() ?? 1, 1e-12)
        let plotW = width - labelW - valueW
        var out = "<svg class=\"chart bars\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" font-family=\"system-ui, sans-serif\" font-size=\"12\" role=\"img\">\n"
        for (row, bar) in bars.enumerated() {
            let y = Double(row) * rowH + 4
            out += "<text x=\"\(f(labelW - 8))\" y=\"\(f(y + 14))\" text-anchor=\"end\" fill=\"#1d2330\">\(bar.label.htmlEscaped)</text>"
            var x = labelW
            for (index, value) in bar.values.enumerated() where value > 0 {
                let w = value / maxTotal * plotW
                let segment = segments[min(index, segments.count - 1)]
                out += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(max(w, 0.5)))\" height=\"18\" fill=\"\(segment.color)\"><title>\(segment.name.htmlEscaped): \(format(value).htmlEscaped)</title></rect>"
                x += w
            }
            out += "<text x=\"\(f(x + 6))\" y=\"\(f(y + 14))\" fill=\"#5f6b7a\">\(format(bar.values.reduce(0, +)).htmlEscaped)</text>\n"
        }
        var lx = labelW
        let ly = Double(bars.count) * rowH + 14
        for segment in segments {
            out += "<rect x=\"\(f(lx))\" y=\"\(f(ly - 9))\" width=\"10\" height=\"10\" fill=\"\(segment.color)\"/><text x=\"\(f(lx + 14))\" y=\"\(f(ly))\" fill=\"#5f6b7a\">\(segment.name.htmlEscaped)</text>"
            lx += 130
        }
        out += "\n</svg>"
        return out
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
