import Foundation
import StarlingCore
import StarlingBench
import StarlingStore
import StarlingRunFolder

/// The HTML report of one run: final grade and leak flags, the solution tree, score against
/// time, ablation summaries, the diff from the first working script to the final one, LLM use
/// per role, and every node. One self-contained file; all text from the run is escaped.
package struct RunReport: Sendable {
    /// The run folder's contents.
    package var run: RunFolder

    /// Creates a report of a run folder already read.
    package init(run: RunFolder) { self.run = run }

    /// Reads a run folder and writes its report.
    ///
    /// - Parameters:
    ///   - folder: The run folder.
    ///   - output: Where to write (default `folder/report.html`).
    /// - Returns: The file written.
    /// - Throws: ``RunFolderError`` when the folder cannot be read, ``RunReportError`` when the
    ///   file cannot be written.
    @discardableResult
    package static func write(folder: URL, to output: URL? = nil, tasks: TaskStore? = nil) throws -> URL {
        let report = RunReport(run: try RunFolder(folder: folder, tasks: tasks))
        let file = output ?? RunLayout(folder).report
        do {
            try report.html.write(to: file, atomically: true, encoding: .utf8)
        } catch {
            throw RunReportError("cannot write \(file.path): \(error)")
        }
        return file
    }

    /// The whole page.
    package var html: String {
        let title = "Starling run \(run.run?.id ?? run.folder.lastPathComponent)"
        let body = [header, outcome, repoSection, treeSection, timelineSection, ablationSection, diffSection, llmSection, exchangeSection, nodeTable, eventSection]
            .joined(separator: "\n")
        return HTMLPage(title: title, body: body).html
    }

    // MARK: Sections

    var header: String {
        let record = run.run
        var facts: [String] = []
        if let record {
            facts.append("status \(record.status.htmlEscaped)")
            facts.append("started \(Self.stamp(record.startedAt)) UTC")
        }
        if let metric = run.metric { facts.append("metric \(metric.htmlEscaped) (\(run.direction.rawValue) is better)") }
        if !run.models.isEmpty {
            facts.append("models " + run.models.sorted { $0.key < $1.key }.map { "\($0.key.htmlEscaped) = \($0.value.htmlEscaped)" }.joined(separator: ", "))
        }
        let id = record?.id ?? run.folder.lastPathComponent
        facts.insert("run <b>\(id.htmlEscaped)</b> in \(run.folder.path.htmlEscaped)", at: 0)
        let heading = record.map { "\($0.taskID) · \($0.strategy)" } ?? id
        return """
            <h1>\(heading.htmlEscaped)</h1>
            <div class="subtitle">\(facts.joined(separator: " · "))</div>
            """
    }

    var outcome: String {
        """
            <section id="outcome"><h2>Outcome</h2>
            <div class="cards">\((scoreCards + workCards).joined())</div>
            \(leakFlagsHTML)
            \(gradeTableHTML)
            </section>
            """
    }

    /// One outcome card: a label, a value (styled `good` or `bad`) and a note.
    static func card(_ label: String, _ value: String, _ note: String = "", _ cls: String = "") -> String {
        "<div class=\"card\"><div class=\"label\">\(label)</div><div class=\"value \(cls)\">\(value)</div><div class=\"note\">\(note)</div></div>"
    }

    /// The outcome's cards for the submission, its scores, medal and time.
    var scoreCards: [String] {
        let summary = run.summary
        let grade = run.grade
        var cards: [String] = []
        func card(_ label: String, _ value: String, _ note: String = "", _ cls: String = "") { cards.append(Self.card(label, value, note, cls)) }
        let valid = summary?.validSubmission ?? grade?.validSubmission
        card("submission", valid == true ? "valid" : valid == false ? "none" : "—",
             grade?.error.map { $0.prefix(160).htmlEscaped } ?? "", valid == true ? "good" : valid == false ? "bad" : "")
        card("final score", Formatting.score(summary?.finalScore ?? grade?.score), "real test rows")
        card("dev score", Formatting.score(summary?.devScore), summary?.bestNodeID.map { "node \($0), hidden dev rows" } ?? "hidden dev rows")
        if let choice = summary?.crossValidation {
            var notes: [String] = []
            if let gain = choice.gainOverBestExample, let id = choice.bestExampleNodeID {
                notes.append("over the best card example (node \(id)): \(gain.text)\(gain.beatsNoise ? "" : ", within noise")")
            }
            if let gain = choice.gainOverRunnerUp, let id = choice.runnerUpNodeID {
                notes.append("over the runner-up (node \(id)): \(gain.text)\(gain.beatsNoise ? "" : ", within noise")")
            }
            card(choice.method == "nested" ? "nested CV score" : "CV score", String(format: "%.5g ± %.2g", choice.score, choice.standardError),
                 "\(choice.folds) folds of the training rows; " + notes.joined(separator: "; ").htmlEscaped, choice.withinNoiseOfRunnerUp ? "" : "good")
        }
        card("baseline", Formatting.score(run.baseline))
        card("reference", Formatting.score(run.reference))
        let gap = summary?.gapClosed ?? grade?.gapClosed
        card("gap closed", Formatting.percent(gap), "baseline → reference", gap.map { $0 > 0 ? "good" : "bad" } ?? "")
        if let grade, grade.goldThreshold != nil {
            let medal = grade.medal ?? "none"
            card("medal", medal, "median \(Formatting.score(grade.medianThreshold)): \(grade.aboveMedian ? "above" : "not above")", grade.anyMedal ? "good" : "")
        }
        card("time", Formatting.duration(summary?.elapsedSeconds ?? run.recordedSeconds),
             summary.map { "stopped: \($0.stopReason.prefix(80).htmlEscaped)" } ?? "so far; the run did not finish")
        return cards
    }

    /// The outcome's cards for the model's calls and its own work.
    var workCards: [String] {
        let summary = run.summary
        var cards: [String] = []
        func card(_ label: String, _ value: String, _ note: String = "", _ cls: String = "") { cards.append(Self.card(label, value, note, cls)) }
        let tokens = run.calls.reduce(0) { $0 + $1.promptTokens + $1.completionTokens }
        card("LLM tokens", Formatting.compact(tokens), "\(Formatting.plural(run.calls.count, "call")), \(Formatting.dollars(run.calls.reduce(0) { $0 + $1.costUSD }))")
        card("nodes", "\(run.nodes.count)", "\(run.nodes.filter { $0.node.status == .failed }.count) failed")
        // The model's own work, measured from the journal so an unfinished run shows it too.
        let work = summary?.modelWork ?? ModelWork.measure(nodes: run.nodes.map(\.node), events: run.events, calls: run.calls,
                                                            submitted: run.bestNodeID, direction: run.direction,
                                                            elapsedSeconds: summary?.elapsedSeconds ?? run.recordedSeconds ?? 0)
        var notes = ["\(work.scriptsRan) ran"]
        if work.identicalReplies > 0 { notes.append("\(work.identicalReplies) identical replies caught") }
        if work.editsRejected > 0 { notes.append("\(work.editsRejected) edits re-asked") }
        if !work.repairsByKind.isEmpty { notes.append("repairs: " + work.repairsByKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")) }
        if work.repairNodes > 0 { notes.append("\(work.repairNodesValid)/\(work.repairNodes) repaired nodes valid") }
        card("LLM-written scripts", "\(work.scriptsValid) / \(work.scriptsWritten) valid", notes.joined(separator: "; "),
             work.scriptsWritten > 0 && work.scriptsValid * 2 >= work.scriptsWritten ? "good" : "")
        let origin: String = switch work.submittedOrigin {
        case .model?: "model-written"
        case .repair?: "model-written, repaired"
        case .example?: "card example"
        case .stack?: "stack (blend chosen on out-of-fold predictions)"
        case .decision?: "calibrated for the metric (no LLM)"
        case .tuning?: "tuned settings (no LLM)"
        case nil: summary?.fallback == nil ? "—" : "sample submission (fallback)"
        }
        card("submitted script", origin, work.bestExampleDevScore.map { "best unchanged example on dev rows: \(Formatting.score($0))" + (work.beatsBestExample == true ? "; beaten" : "") } ?? "\(work.examplesRun) card examples run",
             work.beatsBestExample == true ? "good" : "")
        card("LLM pace", String(format: "%.1f calls/min", work.llmCallsPerMinute), "waiting on the model \(Int((work.llmWaitShare * 100).rounded()))% of the wall time")
        return cards
    }

    /// The leak flags, or why there are none.
    var leakFlagsHTML: String {
        let summary = run.summary
        let leaks = run.leakFlags
        if let strategy = summary?.strategy ?? run.run?.strategy, StrategyName(rawValue: strategy)?.isStarling == false {
            return "<div class=\"muted\">A peer agent's run: Starling's leakage review and label-shuffle check did not run on it.</div>"
        } else if leaks.isEmpty {
            return "<div class=\"ok\">No leak flags: the leakage review and label-shuffle check raised nothing\(summary == nil ? " (the run did not finish, so the final checks may not have run)" : "").</div>"
        } else {
            return "<h3 class=\"bad\">Leak flags</h3>" + leaks.map { "<div class=\"flag leak\">\($0.htmlEscaped)</div>" }.joined()
        }
    }

    /// `final/grade.json` as a folded table; empty before grading.
    var gradeTableHTML: String {
        guard let grade = run.grade else { return "" }
        let rows: [(String, String)] = [
            ("competition", grade.competitionID), ("score", Formatting.score(grade.score)),
            ("valid submission", "\(grade.validSubmission)"), ("lower is better", "\(grade.isLowerBetter)"),
            ("gold / silver / bronze threshold", [grade.goldThreshold, grade.silverThreshold, grade.bronzeThreshold].map(Formatting.score).joined(separator: " / ")),
            ("median threshold", Formatting.score(grade.medianThreshold)),
            ("medals", "gold \(grade.goldMedal), silver \(grade.silverMedal), bronze \(grade.bronzeMedal), above median \(grade.aboveMedian)"),
            ("gap closed", Formatting.percent(grade.gapClosed)), ("graded", Self.stamp(grade.createdAt) + " UTC"),
            ("submission", grade.submissionPath),
        ] + (grade.error.map { [("error", $0)] } ?? [])
        return "<details><summary>final/grade.json</summary><table>"
            + rows.map { "<tr><th>\($0.0.htmlEscaped)</th><td>\($0.1.htmlEscaped)</td></tr>" }.joined() + "</table></details>"
    }

    var treeSection: String {
        let steps = Dictionary(run.nodes.map { ($0.node.id, $0.stepKey) }, uniquingKeysWith: { a, _ in a })
        let chart = TreeChart(nodes: run.nodes.map(\.node), steps: steps, direction: run.direction, bestID: run.bestNodeID)
        let legend = """
            <div class="legend">
            <span><span class="swatch" style="background:\(ScoreColorScale.color(at: 0))"></span>worst score</span>
            <span><span class="swatch" style="background:\(ScoreColorScale.color(at: 0.5))"></span>middle</span>
            <span><span class="swatch" style="background:\(ScoreColorScale.color(at: 1))"></span>best score</span>
            <span><span class="swatch" style="background:#c4cad2;border-color:#c62828"></span>failed (×)</span>
            <span><span class="swatch" style="background:#fff"></span>ran, not scored (ablation)</span>
            <span><span class="swatch" style="background:#fff;border-radius:0"></span>final rerun on all rows</span>
            <span><span class="swatch" style="background:#fff;border:3px solid #d4a017"></span>best / submitted</span>
            </div>
            """
        return """
            <section id="tree"><h2>Solution tree</h2>
            <p class="muted">Each node is one script; an edge leads from the script it was derived from. Hover a node for its step, score, plan and error.</p>
            \(legend)
            <div class="scroll">\(chart.svg)</div>
            </section>
            """
    }

    var timelineSection: String {
        let chart = ScoreTimeline(nodes: run.nodes.map(\.node), start: run.startedAt, direction: run.direction,
                                  baseline: run.baseline, reference: run.reference)
        return """
            <section id="timeline"><h2>Score against time</h2>
            <p class="muted">Harness score on the hidden dev rows of each script when it finished (\(run.direction.rawValue) is better); the green line is the best so far.</p>
            \(chart.svg)
            </section>
            """
    }

    var ablationSection: String {
        guard !run.ablationSummaries.isEmpty || !run.refinementBlocks.isEmpty else {
            return "<section id=\"ablations\"><h2>Ablation studies</h2><p class=\"muted\">No ablation study was summarised in this run.</p></section>"
        }
        var out = "<section id=\"ablations\"><h2>Ablation studies</h2>"
        let blocks = Dictionary(run.refinementBlocks.map { (String($0.key.dropLast("/block".count)), $0) }, uniquingKeysWith: { a, _ in a })
        var shown = Set<String>()
        for note in run.ablationSummaries {
            let step = String(note.key.dropLast("/ablation-summary".count))
            shown.insert(step)
            out += "<h3>\(step.htmlEscaped)</h3><pre class=\"text\">\(note.text.htmlEscaped)</pre>"
            if let block = blocks[step] { out += blockMarkup(block) }
        }
        for (step, block) in blocks.sorted(by: { $0.key < $1.key }) where !shown.contains(step) {
            out += "<h3>\(step.htmlEscaped)</h3>" + blockMarkup(block)
        }
        return out + "</section>"
    }

    private func blockMarkup(_ block: RunFolder.Note) -> String {
        "<details><summary>block chosen for refinement\(block.plan.map { ": " + String($0.prefix(140)).htmlEscaped } ?? "")</summary>"
            + (block.plan.map { "<pre class=\"text\">\($0.htmlEscaped)</pre>" } ?? "")
            + "<pre class=\"text\">\(block.text.htmlEscaped)</pre></details>"
    }

    var diffSection: String {
        guard let first = run.firstWorkingNode, let final = run.finalScript else {
            return "<section id=\"diff\"><h2>From the first working script to the final one</h2><p class=\"muted\">No script worked, so there is nothing to compare.</p></section>"
        }
        let diff = LineDiff(old: first.code, new: final.code)
        let body = diff.hunks(context: 3).isEmpty
            ? "<p>The final script is the first working script, unchanged.</p>"
            : Self.diffTable(diff)
        return """
            <section id="diff"><h2>From the first working script to the final one</h2>
            <p>node \(first.id) (\(first.stage.rawValue), score \(Formatting.score(first.harnessScore))) → \(final.label.htmlEscaped):
            <span class="good">+\(diff.addedCount)</span> <span class="bad">−\(diff.removedCount)</span> lines</p>
            \(body)
            <details><summary>final script</summary><pre class="text">\(final.code.htmlEscaped)</pre></details>
            </section>
            """
    }

    /// A line diff as the report shows it: hunks of added (green) and removed (red) lines with
    /// both sides' line numbers.
    package static func diffTable(_ diff: LineDiff) -> String {
        var rows = ""
        for hunk in diff.hunks(context: 3) {
            rows += "<tr class=\"hunk\"><td class=\"ln\"></td><td class=\"ln\"></td><td>\(hunk.header)</td></tr>\n"
            for line in hunk.lines {
                switch line {
                case .same(let o, let n, let text):
                    rows += "<tr><td class=\"ln\">\(o)</td><td class=\"ln\">\(n)</td><td> \(text.htmlEscaped)</td></tr>\n"
                case .removed(let o, let text):
                    rows += "<tr class=\"del\"><td class=\"ln\">\(o)</td><td class=\"ln\"></td><td>-\(text.htmlEscaped)</td></tr>\n"
                case .added(let n, let text):
                    rows += "<tr class=\"add\"><td class=\"ln\"></td><td class=\"ln\">\(n)</td><td>+\(text.htmlEscaped)</td></tr>\n"
                }
            }
        }
        return "<div class=\"scroll\"><table class=\"diff\">\(rows)</table></div>"
    }

    var llmSection: String {
        guard !run.calls.isEmpty else {
            return "<section id=\"llm\"><h2>LLM calls</h2><p class=\"muted\">No LLM call was recorded.</p></section>"
        }
        struct Totals { var calls = 0, cached = 0, prompt = 0, completion = 0, cost = 0.0, latency = 0.0, models = Set<String>() }
        var byRole: [String: Totals] = [:]
        for call in run.calls {
            var t = byRole[call.role, default: Totals()]
            t.calls += 1; t.cached += call.cacheHit ? 1 : 0; t.prompt += call.promptTokens; t.completion += call.completionTokens
            t.cost += call.costUSD; t.latency += call.latencySeconds; t.models.insert(call.model)
            byRole[call.role] = t
        }
        let roles = byRole.keys.sorted()
        var rows = ""
        var all = Totals()
        for role in roles {
            let t = byRole[role]!
            all.calls += t.calls; all.cached += t.cached; all.prompt += t.prompt; all.completion += t.completion
            all.cost += t.cost; all.latency += t.latency; all.models.formUnion(t.models)
            rows += row(role, t.models.sorted().joined(separator: ", "), t.calls, t.cached, t.prompt, t.completion, t.cost, t.latency)
        }
        rows += row("all", "", all.calls, all.cached, all.prompt, all.completion, all.cost, all.latency, bold: true)
        func row(_ role: String, _ models: String, _ calls: Int, _ cached: Int, _ prompt: Int, _ completion: Int, _ cost: Double, _ latency: Double, bold: Bool = false) -> String {
            let open = bold ? "<b>" : "", close = bold ? "</b>" : ""
            return "<tr><td>\(open)\(role.htmlEscaped)\(close)</td><td>\(models.htmlEscaped)</td><td class=\"num\">\(calls)</td><td class=\"num\">\(cached)</td>"
                + "<td class=\"num\">\(Formatting.count(prompt))</td><td class=\"num\">\(Formatting.count(completion))</td>"
                + "<td class=\"num\">\(Formatting.dollars(cost))</td><td class=\"num\">\(Formatting.duration(latency))</td>"
                + "<td class=\"num\">\(calls > 0 ? String(format: "%.1f s", latency / Double(calls)) : "—")</td></tr>\n"
        }
        let chart = BarChart(segments: [("prompt tokens", "#7aa2e3"), ("completion tokens", "#2f5fb3")],
                             bars: roles.map { BarChart.Bar(label: $0, values: [Double(byRole[$0]!.prompt), Double(byRole[$0]!.completion)]) },
                             format: { Formatting.count(Int($0)) + " tok" })
        return """
            <section id="llm"><h2>LLM calls and cost per role</h2>
            <table><tr><th>role</th><th>model</th><th class="num">calls</th><th class="num">cached</th><th class="num">prompt tokens</th><th class="num">completion tokens</th><th class="num">cost</th><th class="num">waiting</th><th class="num">mean latency</th></tr>
            \(rows)</table>
            \(chart.svg)
            </section>
            """
    }

    var nodeTable: String {
        guard !run.nodes.isEmpty else { return "" }
        var rows = ""
        for entry in run.nodes {
            let node = entry.node
            let cls = node.status == .failed ? " class=\"failed\"" : ""
            let status = node.status == .failed ? "<span class=\"badge bad\">failed</span>" : node.status == .succeeded ? "<span class=\"badge good\">ok</span>" : "<span class=\"badge\">\(node.status.rawValue)</span>"
            let detail = node.error.map { "<span class=\"bad\">\(String($0.prefix(240)).htmlEscaped)</span>" } ?? String(node.plan.prefix(240)).htmlEscaped
            rows += "<tr\(cls)><td class=\"num\">\(node.id)\(node.id == run.bestNodeID ? " ★" : "")</td><td class=\"num\">\(node.parentID.map(String.init) ?? "")</td>"
                + "<td>\(node.stage.rawValue)</td><td><code>\(entry.stepKey.htmlEscaped)</code></td><td>\(status)</td>"
                + "<td class=\"num\">\(Formatting.score(node.harnessScore))</td><td class=\"num\">\(Formatting.score(node.selfReportedScore))</td>"
                + "<td class=\"num\">\(Formatting.duration(node.executionSeconds))</td><td>\(detail)</td></tr>\n"
        }
        return """
            <section id="nodes"><h2>Nodes</h2>
            <details open><summary>\(run.nodes.count) nodes (plan, or error for a failed script)</summary>
            <table><tr><th class="num">id</th><th class="num">parent</th><th>stage</th><th>step</th><th>status</th><th class="num">harness</th><th class="num">self-reported</th><th class="num">ran</th><th>plan / error</th></tr>
            \(rows)</table></details>
            </section>
            """
    }

    /// The repository reading: every exploration tool call with its target, whether it was
    /// answered, the model's reason and the answer (folded), and a repo task's verdict.
    var repoSection: String {
        struct Call: Decodable { var turn: Int; var tool: String; var target: String; var thought: String; var ok: Bool; var output: String }
        let calls = run.events.filter { $0.eventKind == .tool }.compactMap { try? JSONDecoder().decode(Call.self, from: Data($0.message.utf8)) }
        let outcome = run.summary?.repo
        guard !calls.isEmpty || outcome != nil else { return "" }
        var html = "<section id=\"repository\"><h2>Repository</h2>"
        if let outcome {
            html += "<div class=\"\(outcome.result ? "ok" : "flag")\">\(outcome.repository.htmlEscaped): test script process <b>\(outcome.process ? "yes" : "no")</b>, result <b>\(outcome.result ? "pass" : "fail")</b> — \(outcome.comments.htmlEscaped); \(outcome.attempts) scripts; tools \(outcome.toolsOn ? "on" : "off")</div>"
        }
        if calls.isEmpty {
            html += "<p class=\"muted\">No exploration tool calls.</p>"
        } else {
            html += "<p>\(calls.count) exploration tool calls (\(calls.filter(\.ok).count) answered).</p><table><tr><th class=\"num\">turn</th><th>tool</th><th>target</th><th>answered</th><th>why / answer</th></tr>"
            for call in calls {
                html += "<tr\(call.ok ? "" : " class=\"failed\"")><td class=\"num\">\(call.turn)</td><td><code>\(call.tool.htmlEscaped)</code></td><td><code>\(call.target.htmlEscaped)</code></td><td>\(call.ok ? "yes" : "no")</td>"
                html += "<td>\(call.thought.htmlEscaped)<details><summary>answer (\(call.output.split(separator: "\n").count) lines)</summary><pre class=\"text\">\(call.output.htmlEscaped)</pre></details></td></tr>"
            }
            html += "</table>"
        }
        return html + "</section>"
    }

    var eventSection: String {
        let notable = run.events.filter { $0.eventKind != .node && $0.eventKind != .tool }
        guard !notable.isEmpty else { return "" }
        let origin = run.startedAt ?? notable[0].at
        let rows = notable.map { event in
            let cls = (event.eventKind == .warning || event.eventKind == .leakWarning) ? " class=\"failed\"" : ""
            return "<tr\(cls)><td class=\"num\">\(String(format: "%.1f", event.at.timeIntervalSince(origin) / 60))</td><td>\(event.kind.htmlEscaped)</td><td>\(event.message.htmlEscaped)</td></tr>"
        }.joined(separator: "\n")
        return """
            <section id="events"><h2>Events</h2>
            <details><summary>\(notable.count) events (stages, checks, warnings)</summary>
            <table><tr><th class="num">min</th><th>kind</th><th>message</th></tr>\(rows)</table></details>
            </section>
            """
    }

    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: date)
    }
}
