import Foundation
import StarlingRunFolder

extension BenchResults {
    /// Writes `results.json`, `results.md` and `index.html` into the bench folder.
    ///
    /// - Throws: When a file cannot be written.
    package func write(to layout: BenchLayout) throws {
        try writeJSON(to: layout)
        try markdown.write(to: layout.markdown, atomically: true, encoding: .utf8)
        try html.write(to: layout.page, atomically: true, encoding: .utf8)
    }

    /// The bench index page: summaries, a gap-closed strip chart, failed cells with their
    /// reasons, and every cell linked to its run report.
    package var html: String {
        let c = configuration
        let table = Self.htmlTable
        let strategyRows = byStrategy.map { Self.summaryCells($0, withTask: false).map(\.htmlEscaped) }
        let taskRows = byTask.map { Self.summaryCells($0, withTask: true).map(\.htmlEscaped) }
        let pendingBlock = pending.isEmpty ? "" : "<p class=\"muted\">Not run yet: \(pending.map(\.label).joined(separator: "; ").htmlEscaped)</p>"
        let body = """
            <h1>Starling bench: \(c.suite.htmlEscaped)</h1>
            <div class="subtitle">\(Formatting.plural(c.tasks.count, "task")) × \(Formatting.plural(c.strategies.count, "strategy", "strategies")) × \(Formatting.plural(c.seeds, "seed")) · \(c.time.htmlEscaped) per cell ·
            model \((c.llm ?? "default (local)").htmlEscaped) · \(cells.count) of \(c.cells.count) cells run, \(cells.filter(\.failed).count) failed ·
            updated \(RunReport.stamp(updatedAt)) UTC</div>
            <section><h2>Per strategy</h2>
            <ul class="muted">\(c.strategies.map { "<li><b>\($0.htmlEscaped)</b>: \(Self.describe(strategy: $0).htmlEscaped)</li>" }.joined())</ul>
            <p class="muted">Rates count every cell, failed ones included. Gap closed is 100·(score − baseline)/(reference − baseline) over cells with a valid submission, as median and mean ± standard error.</p>
            \(table(Self.summaryHeaders(withTask: false), strategyRows, 1..<99))
            \(gapChart)
            </section>
            \(repoSection)
            \(marginalValueSection)
            <section><h2>Per task</h2>
            \(table(Self.summaryHeaders(withTask: true), taskRows, 2..<99))
            </section>
            <section><h2>Failed cells</h2>
            \(failedCellsHTML)
            </section>
            <section><h2>Cells</h2>
            \(table(Array(Self.cellHeaders.dropLast()) + ["run", "reason"], cellRowsHTML, 4..<18))
            \(pendingBlock)
            </section>
            \(executorSection)
            """
        return HTMLPage(title: "Starling bench: \(c.suite)", body: body).html
    }

    /// An HTML table of escaped cells; the columns in `numeric` are right-aligned.
    static func htmlTable(_ headers: [String], _ rows: [[String]], _ numeric: Range<Int>) -> String {
        let head = headers.enumerated().map { "<th\(numeric.contains($0.offset) ? " class=\"num\"" : "")>\($0.element.htmlEscaped)</th>" }.joined()
        let body = rows.map { row in
            "<tr>" + row.enumerated().map { "<td\(numeric.contains($0.offset) ? " class=\"num\"" : "")>\($0.element)</td>" }.joined() + "</tr>"
        }.joined(separator: "\n")
        return "<table class=\"bench\"><tr>\(head)</tr>\n\(body)</table>"
    }

    /// Every cell's row: its status as a badge, a link to its report and why it failed.
    var cellRowsHTML: [[String]] {
        cells.map { result -> [String] in
            var row = Self.cellCells(result).map(\.htmlEscaped)
            row[3] = result.failed ? "<span class=\"badge bad\">\(row[3])</span>" : "<span class=\"badge good\">\(row[3])</span>"
            row.removeLast()
            let link = result.report.map { "<a href=\"\($0.htmlEscaped)\">report</a>" } ?? "<span class=\"muted\">no report</span>"
            row.append(link)
            row.append(result.reason.map { "<span class=\"bad reason\">\($0.htmlEscaped)</span>" } ?? "")
            return row
        }
    }

    /// One line per failed cell with its reason and report, or a note that none failed.
    var failedCellsHTML: String {
        let failed = cells.filter(\.failed)
        return failed.isEmpty ? "<div class=\"ok\">No cell failed.</div>" : failed.map { result in
            "<div class=\"flag\"><b>\(result.cell.label.htmlEscaped)</b> — \(result.status.rawValue): \((result.reason ?? "").htmlEscaped)"
                + (result.report.map { " (<a href=\"\($0.htmlEscaped)\">report</a>)" } ?? "") + "</div>"
        }.joined(separator: "\n")
    }

    /// Pass rates of repo tasks; empty without them.
    var repoSection: String {
        let repoGroups = (byStrategy + byTask).filter { $0.passRate != nil }
        return repoGroups.isEmpty ? "" : """
            <section><h2>Repo tasks</h2>
            <p class="muted">Process: the task's test script found a readable output (GitTaskBench's execution completion); pass: it accepted the output.</p>
            \(Self.htmlTable(Self.repoHeaders, repoGroups.map(Self.repoCells), 2..<99))
            </section>
            """
    }

    /// Where the cells ran, with a cluster executor; empty otherwise.
    var executorSection: String {
        executorRows.map { rows in
            """
            <section><h2>Where cells ran</h2>
            <p class="muted">\(executorSummary.htmlEscaped)</p>
            \(Self.htmlTable(Self.executorHeaders, rows.map { $0.map(\.htmlEscaped) }, 6..<99))
            </section>
            """
        } ?? ""
    }

    /// Each strategy against its controls; empty without a pair.
    var marginalValueSection: String {
        marginalValueRows.map { rows in
            """
            <section><h2>What the model adds</h2>
            <p class="muted">Gap closed by each strategy minus that of its control on the same task: <b>examples</b> (the same cards, cross-validation, tuning and stacking with no LLM call), or the strategy with an option (<b>+no-memory</b>: no lessons from earlier runs); a difference inside the cells' spread is noise, not a win.</p>
            \(Self.htmlTable(Self.marginalValueHeaders, rows.map { $0.map(\.htmlEscaped) }, 4..<99))
            <p>\(marginalValueSummary.replacingOccurrences(of: "`", with: "").htmlEscaped.replacingOccurrences(of: "\n", with: "<br>"))</p>
            </section>
            """
        } ?? ""
    }

    /// Gap closed per cell, one strip per strategy; failed cells as red crosses at the left.
    var gapChart: String {
        let strategies = configuration.strategies
        let values = cells.compactMap(\.gapClosed)
        guard !cells.isEmpty else { return "" }
        let low = min(0, values.min() ?? 0), high = max(100, values.max() ?? 100)
        let width = 900.0, left = 120.0, right = 20.0, rowH = 34.0, top = 10.0
        let height = top + Double(strategies.count) * rowH + 40
        let plotW = width - left - right
        func x(_ v: Double) -> Double { left + (v - low) / (high - low) * plotW }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var out = "<svg class=\"chart gap\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" font-family=\"system-ui, sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"gap closed per cell\">\n"
        let axisY = top + Double(strategies.count) * rowH
        for tick in AxisTicks.values(low: low, high: high, count: 6) {
            out += "<line x1=\"\(f(x(tick)))\" x2=\"\(f(x(tick)))\" y1=\"\(f(top))\" y2=\"\(f(axisY))\" stroke=\"\(tick == 0 || tick == 100 ? "#9aa3ad" : "#eef1f5")\"/>"
            out += "<text x=\"\(f(x(tick)))\" y=\"\(f(axisY + 14))\" text-anchor=\"middle\" fill=\"#5f6b7a\">\(Int(tick))%</text>\n"
        }
        out += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(axisY + 32))\" text-anchor=\"middle\">gap closed per cell (0% = baseline, 100% = reference; × = failed cell)</text>\n"
        for (row, strategy) in strategies.enumerated() {
            let y = top + Double(row) * rowH + rowH / 2
            out += "<text x=\"\(f(left - 10))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(strategy.htmlEscaped)</text>"
            for result in cells where result.cell.strategy == strategy {
                let tip = "\(result.cell.label): \(result.gapClosed.map { String(format: "%.1f%%", $0) } ?? result.status.rawValue)".htmlEscaped
                if let gap = result.gapClosed {
                    out += "<circle cx=\"\(f(x(gap)))\" cy=\"\(f(y))\" r=\"5\" fill=\"#2f5fb3\" fill-opacity=\"0.7\"><title>\(tip)</title></circle>"
                } else if result.failed {
                    let cx = left - 0.0 + 6
                    out += "<path d=\"M\(f(cx - 4)),\(f(y - 4)) L\(f(cx + 4)),\(f(y + 4)) M\(f(cx + 4)),\(f(y - 4)) L\(f(cx - 4)),\(f(y + 4))\" stroke=\"#c62828\" stroke-width=\"2\"><title>\(tip)</title></path>"
                }
            }
            out += "\n"
        }
        return out + "</svg>"
    }
}
