import Foundation
import StarlingRepo

/// `starling repo graph`: one self-contained HTML page with the module-dependency graph as inline
/// SVG (node size by importance, colour by top-level package, a tooltip per module), the
/// importance tables and the walk's limits. Large repositories show their most important modules
/// (at most ``maxNodes``) and say how many were left out.
package struct ModuleGraphPage: Sendable {
    /// Modules drawn at most; the layout is quadratic in this.
    package static let maxNodes = 400

    let analysis: RepoAnalysis

    /// Creates the page for an analysed repository.
    package init(_ analysis: RepoAnalysis) { self.analysis = analysis }

    /// The page's HTML.
    package var html: String {
        let name = analysis.root.lastPathComponent
        let ranked = analysis.importance.modules.map(\.id)
        let shown = Array(ranked.prefix(Self.maxNodes))
        var body = "<h1>Repository \(name.htmlEscaped)</h1>\n<div class=\"subtitle\">\(analysis.sizeLine.htmlEscaped)<br>\(analysis.callLine.htmlEscaped)</div>\n"
        body += "<section><h2>Module dependencies</h2>"
        if shown.count < ranked.count {
            body += "<p class=\"muted\">The \(shown.count) most important of \(ranked.count) modules are drawn; \(ranked.count - shown.count) are left out of the picture (they are in the table).</p>"
        }
        body += svg(shown) + "</section>\n"
        body += table(title: "Modules by importance", scores: Array(analysis.importance.modules.prefix(40)), path: { analysis.tree.files[$0]?.path ?? "" })
        body += table(title: "Classes by importance", scores: Array(analysis.importance.classes.prefix(30)), path: {
            analysis.tree.entities[$0].map { "\($0.path):\($0.line)" } ?? ""
        })
        var notes = analysis.importance.notes
        notes += analysis.scan.skipped.prefix(30).map { "skipped \($0.path): \($0.reason)" }
        if !analysis.modules.unresolvedRelative.isEmpty { notes.append("relative imports above the top package: " + analysis.modules.unresolvedRelative.prefix(10).joined(separator: "; ")) }
        if !notes.isEmpty {
            body += "<section><h2>Limits of this analysis</h2><ul>" + notes.map { "<li>\($0.htmlEscaped)</li>" }.joined() + "</ul></section>\n"
        }
        return HTMLPage(title: "Repository \(name)", body: body).html
    }

    func table(title: String, scores: [Importance.Score], path: (String) -> String) -> String {
        guard !scores.isEmpty else { return "" }
        var html = "<section><h2>\(title.htmlEscaped)</h2><table><tr><th>name</th><th>where</th><th class=\"num\">score</th><th class=\"num\">PageRank</th><th class=\"num\">in-degree</th><th class=\"num\">betweenness</th><th class=\"num\">size</th><th>entry</th><th>README</th></tr>"
        for score in scores {
            let name = analysis.tree.entities[score.id]?.dotted ?? score.id
            html += "<tr><td><code>\(name.htmlEscaped)</code></td><td>\(path(score.id).htmlEscaped)</td>"
            for value in [score.total, score.pageRank, score.inDegree, score.betweenness, score.size] { html += "<td class=\"num\">\(String(format: "%.3f", value))</td>" }
            html += "<td>\(score.entryPoint ? "yes" : "")</td><td>\(score.readmeMention ? "yes" : "")</td></tr>"
        }
        return html + "</table></section>\n"
    }

    func svg(_ ids: [String]) -> String {
        let width = 1180.0, height = ids.count > 120 ? 900.0 : 640.0
        let positions = layout(ids, width: width, height: height)
        let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        let scores = Dictionary(uniqueKeysWithValues: analysis.importance.modules.map { ($0.id, $0.total) })
        let top = max(scores.values.max() ?? 1, 1e-9)
        let packages = Array(Set(ids.map { String($0.split(separator: ".").first ?? "") })).sorted()
        let palette = ["#2f5fb3", "#1a7f37", "#9a6700", "#c62828", "#8250df", "#0a7a8a", "#bf3989", "#57606a"]
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"module dependency graph\">"
        svg += "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"5\" markerHeight=\"5\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#8895a7\"/></marker></defs>"
        for (from, to) in analysis.modules.edges {
            guard let a = index[from], let b = index[to] else { continue }
            let (x1, y1) = positions[a], (x2, y2) = positions[b]
            svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#8895a7\" stroke-opacity=\"0.35\" marker-end=\"url(#arrow)\"/>", x1, y1, x2, y2)
        }
        for (i, id) in ids.enumerated() {
            let (x, y) = positions[i]
            let weight = (scores[id] ?? 0) / top
            let radius = 3 + 9 * weight
            let package = String(id.split(separator: ".").first ?? "")
            let colour = palette[(packages.firstIndex(of: package) ?? 0) % palette.count]
            let tip = "\(id) — \(analysis.tree.files[id]?.lines ?? 0) lines, score \(String(format: "%.3f", scores[id] ?? 0))"
            svg += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%@\" fill-opacity=\"0.85\"><title>%@</title></circle>", x, y, radius, colour, tip.htmlEscaped)
            if i < 25 || ids.count <= 60 {
                svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#1d2330\">%@</text>", x + radius + 2, y + 3, String(id.split(separator: ".").suffix(2).joined(separator: ".")).htmlEscaped)
            }
        }
        svg += "</svg>"
        if packages.count > 1 {
            svg += "<div class=\"legend\">" + packages.prefix(palette.count).enumerated().map { i, package in
                "<span><span class=\"swatch\" style=\"background:\(palette[i])\"></span>\(package.htmlEscaped)</span>"
            }.joined() + (packages.count > palette.count ? "<span>colours repeat after \(palette.count) packages</span>" : "") + "</div>"
        }
        return svg
    }

    /// Fruchterman–Reingold force layout from a deterministic start (modules of one package start near each other).
    func layout(_ ids: [String], width: Double, height: Double) -> [(Double, Double)] {
        let count = ids.count
        guard count > 0 else { return [] }
        let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        var edges: [(Int, Int)] = []
        for (from, to) in analysis.modules.edges { if let a = index[from], let b = index[to] { edges.append((a, b)) } }
        let sorted = ids.enumerated().sorted { $0.element < $1.element }.map(\.offset)
        var x = [Double](repeating: 0, count: count), y = [Double](repeating: 0, count: count)
        for (rank, node) in sorted.enumerated() {
            let angle = 2 * Double.pi * Double(rank) / Double(count)
            let ring = 0.35 + 0.1 * Double(rank % 3)
            x[node] = width / 2 + cos(angle) * width * ring
            y[node] = height / 2 + sin(angle) * height * ring
        }
        let k = (width * height / Double(count)).squareRoot() * 0.8
        var temperature = width / 10
        let iterations = count > 200 ? 120 : 250
        for _ in 0..<iterations {
            var dx = [Double](repeating: 0, count: count), dy = [Double](repeating: 0, count: count)
            for i in 0..<count {
                for j in (i + 1)..<count where j < count {
                    let ex = x[i] - x[j], ey = y[i] - y[j]
                    let distance = max((ex * ex + ey * ey).squareRoot(), 0.01)
                    let force = k * k / distance
                    dx[i] += ex / distance * force; dy[i] += ey / distance * force
                    dx[j] -= ex / distance * force; dy[j] -= ey / distance * force
                }
            }
            for (a, b) in edges {
                let ex = x[a] - x[b], ey = y[a] - y[b]
                let distance = max((ex * ex + ey * ey).squareRoot(), 0.01)
                let force = distance * distance / k
                dx[a] -= ex / distance * force; dy[a] -= ey / distance * force
                dx[b] += ex / distance * force; dy[b] += ey / distance * force
            }
            for i in 0..<count {
                let length = max((dx[i] * dx[i] + dy[i] * dy[i]).squareRoot(), 0.01)
                x[i] = min(width - 60, max(20, x[i] + dx[i] / length * min(length, temperature)))
                y[i] = min(height - 20, max(20, y[i] + dy[i] / length * min(length, temperature)))
            }
            temperature = max(1, temperature * 0.97)
        }
        return zip(x, y).map { ($0, $1) }
    }
}
