import Foundation
import StarlingCore

/// Harness score against minutes since the run started, as inline SVG: a dot per scored node,
/// the best score so far as a step line, the task's baseline and reference as dashed lines, and
/// failed scripts as red crosses under the axis.
struct ScoreTimeline {
    /// A point: minutes since the start, the score (nil for a failure), the node id.
    struct Point { var minutes: Double, score: Double?, id: Int }

    var points: [Point]
    var direction: Direction
    var baseline: Double?
    var reference: Double?

    static let width = 1100.0, height = 340.0
    static let left = 70.0, right = 20.0, top = 16.0, bottom = 62.0

    /// Points from nodes: each lands when its script finished (created + ran).
    init(nodes: [Node], start: Date?, direction: Direction, baseline: Double?, reference: Double?) {
        let origin = start ?? nodes.map(\.createdAt).min() ?? Date()
        points = nodes.compactMap { node in
            guard node.stage != .ablation, node.stage != .final, node.status != .pending else { return nil }
            let minutes = max(0, node.createdAt.timeIntervalSince(origin) + (node.executionSeconds ?? 0)) / 60
            if node.status == .succeeded, let score = node.harnessScore, score.isFinite { return Point(minutes: minutes, score: score, id: node.id) }
            if node.status == .failed { return Point(minutes: minutes, score: nil, id: node.id) }
            return nil
        }.sorted { $0.minutes < $1.minutes }
        self.direction = direction
        self.baseline = baseline
        self.reference = reference
    }

    var svg: String {
        let scored = points.compactMap { p in p.score.map { (p.minutes, $0, p.id) } }
        guard !scored.isEmpty || !points.isEmpty else { return "<p class=\"muted\">No script finished.</p>" }
        let values = scored.map(\.1) + [baseline, reference].compactMap { $0 }
        var low = values.min() ?? 0, high = values.max() ?? 1
        if high == low { low -= abs(low) * 0.05 + 0.5; high += abs(high) * 0.05 + 0.5 }
        let pad = (high - low) * 0.06
        low -= pad; high += pad
        let maxMinutes = max(points.map(\.minutes).max() ?? 1, 0.5) * 1.02
        let plotW = Self.width - Self.left - Self.right, plotH = Self.height - Self.top - Self.bottom
        func x(_ m: Double) -> Double { Self.left + m / maxMinutes * plotW }
        func y(_ v: Double) -> Double { Self.top + (1 - (v - low) / (high - low)) * plotH }

        var out = "<svg class=\"chart timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" width=\"\(Int(Self.width))\" font-family=\"system-ui, sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"score against time\">\n"
        out += "<rect x=\"\(f(Self.left))\" y=\"\(f(Self.top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"#fbfcfd\" stroke=\"#dde2ea\"/>\n"
        for tick in AxisTicks.values(low: low, high: high) {
            out += "<line x1=\"\(f(Self.left))\" x2=\"\(f(Self.left + plotW))\" y1=\"\(f(y(tick)))\" y2=\"\(f(y(tick)))\" stroke=\"#eef1f5\"/>"
            out += "<text x=\"\(f(Self.left - 6))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\" fill=\"#5f6b7a\">\(Formatting.score(tick))</text>\n"
        }
        for tick in AxisTicks.values(low: 0, high: maxMinutes, count: 8) {
            out += "<line x1=\"\(f(x(tick)))\" x2=\"\(f(x(tick)))\" y1=\"\(f(Self.top + plotH))\" y2=\"\(f(Self.top + plotH + 4))\" stroke=\"#5f6b7a\"/>"
            out += "<text x=\"\(f(x(tick)))\" y=\"\(f(Self.top + plotH + 16))\" text-anchor=\"middle\" fill=\"#5f6b7a\">\(Formatting.score(tick))</text>\n"
        }
        out += "<text x=\"\(f(Self.left + plotW / 2))\" y=\"\(f(Self.height - 8))\" text-anchor=\"middle\" fill=\"#1d2330\">minutes since the run started (failed scripts marked × below the axis)</text>\n"
        for (label, value, color) in [("baseline", baseline, "#9a6700"), ("reference", reference, "#2f5fb3")] {
            guard let value else { continue }
            out += "<line class=\"\(label)\" x1=\"\(f(Self.left))\" x2=\"\(f(Self.left + plotW))\" y1=\"\(f(y(value)))\" y2=\"\(f(y(value)))\" stroke=\"\(color)\" stroke-dasharray=\"6 4\"/>"
            out += "<text x=\"\(f(Self.left + 6))\" y=\"\(f(y(value) - 4))\" fill=\"\(color)\" stroke=\"#fbfcfd\" stroke-width=\"3\" paint-order=\"stroke\">\(label) \(Formatting.score(value))</text>\n"
        }
        // Best so far, as a step line.
        var best: Double?
        var path = ""
        for (minutes, score, _) in scored {
            if let current = best {
                guard direction.isBetter(score, than: current) else { continue }
                path += " L\(f(x(minutes))),\(f(y(current))) L\(f(x(minutes))),\(f(y(score)))"
            } else {
                path = "M\(f(x(minutes))),\(f(y(score)))"
            }
            best = score
        }
        if let best, !path.isEmpty {
            path += " L\(f(x(maxMinutes))),\(f(y(best)))"
            out += "<path class=\"best-so-far\" d=\"\(path)\" fill=\"none\" stroke=\"#1a7f37\" stroke-width=\"2\"/>\n"
        }
        for (minutes, score, id) in scored {
            out += "<circle cx=\"\(f(x(minutes)))\" cy=\"\(f(y(score)))\" r=\"3.5\" fill=\"#2f5fb3\" fill-opacity=\"0.75\"><title>node \(id): \(Formatting.score(score)) at \(String(format: "%.1f", minutes)) min</title></circle>\n"
        }
        let crossY = Self.top + plotH + 30
        for point in points where point.score == nil {
            let cx = x(point.minutes)
            out += "<path d=\"M\(f(cx - 3)),\(f(crossY - 3)) L\(f(cx + 3)),\(f(crossY + 3)) M\(f(cx + 3)),\(f(crossY - 3)) L\(f(cx - 3)),\(f(crossY + 3))\" stroke=\"#c62828\" stroke-width=\"1.5\"><title>node \(point.id) failed at \(String(format: "%.1f", point.minutes)) min</title></path>\n"
        }
        out += "</svg>"
        return out
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
