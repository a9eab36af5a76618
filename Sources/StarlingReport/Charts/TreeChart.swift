import Foundation
import StarlingCore

/// The solution tree as inline SVG: one circle per node, left to right by depth, children
/// stacked under their parent; fill by harness score, failed nodes grey with a red cross, the
/// best node ringed. Each node carries a tooltip with its step, score, plan and error.
struct TreeChart {
    /// The nodes, in any order.
    var nodes: [Node]
    /// Step keys by node id, for tooltips.
    var steps: [Int: String]
    /// Which way the metric improves.
    var direction: Direction
    /// The node to ring.
    var bestID: Int?

    static let columnWidth = 150.0, rowHeight = 24.0, radius = 8.0, margin = 16.0

    /// A node's place in the drawing.
    struct Placement { var x: Double, y: Double, depth: Int }

    /// Positions for every node: depth gives the column, the order of leaves gives the row, a
    /// parent sits level with the middle of its children.
    func layout() -> [Int: Placement] {
        let ids = Set(nodes.map(\.id))
        var children: [Int: [Int]] = [:]
        var roots: [Int] = []
        for node in nodes.sorted(by: { $0.id < $1.id }) {
            if let parent = node.parentID, ids.contains(parent), parent != node.id {
                children[parent, default: []].append(node.id)
            } else {
                roots.append(node.id)
            }
        }
        var placements: [Int: Placement] = [:]
        var nextRow = 0.0
        var visiting = Set<Int>()
        func place(_ id: Int, depth: Int) -> Double {
            visiting.insert(id)
            defer { visiting.remove(id) }
            let kids = (children[id] ?? []).filter { !visiting.contains($0) && placements[$0] == nil }
            let row: Double
            if kids.isEmpty {
                row = nextRow
                nextRow += 1
            } else {
                let rows = kids.map { place($0, depth: depth + 1) }
                row = (rows.first! + rows.last!) / 2
            }
            placements[id] = Placement(x: Self.margin + Self.radius + Double(depth) * Self.columnWidth,
                                       y: Self.margin + Self.radius + row * Self.rowHeight, depth: depth)
            return row
        }
        for root in roots { _ = place(root, depth: 0) }
        // Nodes only reachable through a cycle (never written by Starling, but a journal is data).
        for node in nodes where placements[node.id] == nil { _ = place(node.id, depth: 0) }
        return placements
    }

    /// The SVG element.
    var svg: String {
        guard !nodes.isEmpty else { return "<p class=\"muted\">No nodes were recorded.</p>" }
        let placements = layout()
        let scale = ScoreColorScale(scores: nodes.filter { $0.status == .succeeded }.compactMap(\.harnessScore), direction: direction)
        let maxDepth = placements.values.map(\.depth).max() ?? 0
        let maxY = placements.values.map(\.y).max() ?? 0
        let width = Self.margin * 2 + Self.radius * 2 + Double(maxDepth) * Self.columnWidth + 120
        let height = maxY + Self.radius + Self.margin
        var out = "<svg class=\"chart tree\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"system-ui, sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"solution tree\">\n"
        // Edges first so nodes paint over them.
        out += "<g fill=\"none\" stroke=\"#b8c0cc\" stroke-width=\"1.2\">\n"
        for node in nodes {
            guard let parent = node.parentID, let from = placements[parent], let to = placements[node.id], parent != node.id else { continue }
            let x0 = from.x + Self.radius, x1 = to.x - Self.radius, mid = (x0 + x1) / 2
            out += "<path class=\"edge\" d=\"M\(f(x0)),\(f(from.y)) C\(f(mid)),\(f(from.y)) \(f(mid)),\(f(to.y)) \(f(x1)),\(f(to.y))\"/>\n"
        }
        out += "</g>\n"
        for node in nodes.sorted(by: { $0.id < $1.id }) {
            guard let at = placements[node.id] else { continue }
            out += nodeMarkup(node, at: at, scale: scale)
        }
        out += "</svg>"
        return out
    }

    private func nodeMarkup(_ node: Node, at: Placement, scale: ScoreColorScale?) -> String {
        let classes: String
        var fill = "#ffffff", stroke = "#5f6b7a", dash = ""
        switch node.status {
        case .failed:
            classes = "node failed"; fill = "#c4cad2"; stroke = "#c62828"
        case .pending:
            classes = "node pending"; dash = " stroke-dasharray=\"3 2\""
        case .succeeded:
            classes = "node succeeded"
            if let score = node.harnessScore, let scale { fill = scale.color(score) }
        }
        var tip = "node \(node.id) · \(node.stage.rawValue) · \(steps[node.id] ?? "")\nstatus: \(node.status.rawValue)"
        if let score = node.harnessScore { tip += "\nharness score: \(Formatting.score(score))" }
        if let score = node.selfReportedScore { tip += "\nself-reported: \(Formatting.score(score))" }
        if let seconds = node.executionSeconds { tip += "\nran \(Formatting.duration(seconds))" }
        if !node.plan.isEmpty { tip += "\nplan: \(node.plan.prefix(300))" }
        if let error = node.error { tip += "\nerror: \(error.prefix(300))" }
        var out = "<g class=\"\(classes)\" data-id=\"\(node.id)\"><title>\(tip.htmlEscaped)</title>"
        if node.id == bestID {
            out += "<circle cx=\"\(f(at.x))\" cy=\"\(f(at.y))\" r=\"\(f(Self.radius + 3.5))\" fill=\"none\" stroke=\"#d4a017\" stroke-width=\"3\"/>"
        }
        if node.stage == .final {
            let s = Self.radius * 1.7
            out += "<rect x=\"\(f(at.x - s / 2))\" y=\"\(f(at.y - s / 2))\" width=\"\(f(s))\" height=\"\(f(s))\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"1.5\"\(dash)/>"
        } else {
            out += "<circle cx=\"\(f(at.x))\" cy=\"\(f(at.y))\" r=\"\(f(Self.radius))\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"1.5\"\(dash)/>"
        }
        if node.status == .failed {
            let d = Self.radius * 0.55
            out += "<path d=\"M\(f(at.x - d)),\(f(at.y - d)) L\(f(at.x + d)),\(f(at.y + d)) M\(f(at.x + d)),\(f(at.y - d)) L\(f(at.x - d)),\(f(at.y + d))\" stroke=\"#c62828\" stroke-width=\"2\"/>"
        }
        let score = node.harnessScore.map { " " + Formatting.score($0) } ?? (node.status == .failed ? " failed" : "")
        out += "<text x=\"\(f(at.x + Self.radius + 5))\" y=\"\(f(at.y + 4))\" fill=\"#1d2330\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\" stroke-linejoin=\"round\"><tspan font-weight=\"600\">\(node.id)</tspan><tspan fill=\"#5f6b7a\"> \(node.stage.rawValue)\(score.htmlEscaped)</tspan></text>"
        out += "</g>\n"
        return out
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
