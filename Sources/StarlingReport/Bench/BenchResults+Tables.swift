import Foundation
import StarlingRunFolder

extension BenchResults {
    /// What each strategy name in the tables stands for.
    package static func describe(strategy: String) -> String {
        if let arm = try? BenchArm(strategy), !arm.chosen.isEmpty {
            return describe(strategy: arm.strategy) + "; " + arm.chosen.map(\.summary).joined(separator: "; ")
        }
        return switch strategy {
        case "mle-star": "Starling, MLE-STAR strategy (retrieval, candidates, merge, ablation-guided refinement, ensemble)"
        case "aide": "Starling, AIDE strategy (draft / debug / improve tree search)"
        case "examples": "Starling with no LLM: the retrieved cards' examples, cross-validated and stacked (the control for the model's value)"
        case "aideml": "aideml 0.2.2 unchanged (PyPI `aideml`), same model, files and budget"
        case "aideml-adapter": "aideml + adapter: aideml 0.2.2 behind Starling's proxy, which sends its forced tool calls as JSON-schema requests"
        case "repo": "Starling, repo strategy (repository brief, exploration tools, write / run / fix a script; the task's test script judges)"
        case "repo-no-tools": "Starling, repo strategy with the exploration tools off (repository brief only)"
        default: "strategy \(strategy)"
        }
    }

    /// Column headers of a summary table.
    static func summaryHeaders(withTask: Bool) -> [String] {
        ["strategy"] + (withTask ? ["task"] : []) + [
            "cells", "failed", "valid submission", "above baseline", "gap closed median", "gap closed mean ± SEM",
            "medal (any)", "LLM scripts valid", "model-written submitted", "beats best example", "LLM calls / cell",
            "wall / cell", "tokens / cell", "cost",
        ]
    }

    /// One summary row as plain text cells.
    static func summaryCells(_ group: BenchGroupSummary, withTask: Bool) -> [String] {
        [group.strategy] + (withTask ? [group.task ?? ""] : []) + [
            "\(group.cells)", "\(group.failed)", group.validSubmission.text, group.aboveBaseline.text,
            group.gapClosed.medianText(suffix: "%"),
            group.gapClosed.meanText(suffix: "%") + (group.gapClosed.count > 0 ? " (n=\(group.gapClosed.count))" : ""),
            group.anyMedal.total > 0 ? group.anyMedal.text : "no leaderboard",
            group.llmScriptsValid?.text ?? "—", group.modelWrittenSubmission?.text ?? "—", group.beatsExample?.text ?? "—",
            group.llmCalls?.mean.map { String(format: "%.1f", $0) } ?? "—",
            Formatting.duration(group.wallSeconds.mean),
            group.tokens.mean.map { Formatting.count(Int($0.rounded())) } ?? "—",
            Formatting.dollars(group.costUSD),
        ]
    }

    static let cellHeaders = ["task", "strategy", "seed", "status", "final score", "dev score", "CV score (± SE)", "CV gain over best example",
                              "gap closed", "above baseline",
                              "wall", "nodes", "LLM calls", "LLM scripts written / ran / valid", "identical replies", "repairs",
                              "tokens", "cost", "submitted", "reason"]

    /// One cell as plain text cells.
    static func cellCells(_ result: BenchCellResult) -> [String] {
        [
            result.cell.task, result.cell.strategy, "\(result.cell.seed)", result.status.rawValue,
            Formatting.score(result.finalScore), Formatting.score(result.devScore),
            result.crossValidation.map { String(format: "%.5g ± %.2g", $0.score, $0.standardError) + ($0.method == "nested" ? " (nested)" : "") } ?? "—",
            result.crossValidation.map { c in c.gainOverBestExample.map { $0.text + ($0.beatsNoise ? "" : " (noise)") } ?? (c.bestExampleNodeID != nil ? "is the example" : "—") } ?? "—",
            Formatting.percent(result.gapClosed),
            result.aboveBaseline.map { $0 ? "yes" : "no" } ?? "—", Formatting.duration(result.wallSeconds), "\(result.nodes)",
            "\(result.llmCalls)",
            result.modelWork.map { "\($0.scriptsWritten) / \($0.scriptsRan) / \($0.scriptsValid)" } ?? "—",
            result.modelWork.map { "\($0.identicalReplies)" } ?? "—",
            result.modelWork.map { w in w.repairsByKind.isEmpty ? "0" : w.repairsByKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") } ?? "—",
            Formatting.count(result.tokens), Formatting.dollars(result.costUSD), Self.submitted(result), result.reason ?? "",
        ]
    }

    static let executorHeaders = ["task", "strategy", "seed", "executor", "job", "node", "jobs submitted", "wall", "run's own clock", "overhead"]

    /// Where a cell ran and what the executor added to its run's own clock.
    static func executorCells(_ result: BenchCellResult) -> [String] {
        let placement = result.placement
        return [result.cell.task, result.cell.strategy, "\(result.cell.seed)", placement?.executor ?? "local",
                placement?.jobID ?? "—", placement?.node ?? "this machine", placement.map { "\($0.attempts)" } ?? "—",
                Formatting.duration(result.wallSeconds), result.agentSeconds.map(Formatting.duration) ?? "—",
                result.overheadSeconds.map { String(format: "%.1f s", $0) } ?? "—"]
    }

    /// The executor section: shown when a cell ran on a cluster or the bench measured overheads.
    var executorRows: [[String]]? {
        let shown = cells.filter { $0.placement != nil || $0.overheadSeconds != nil }
        return shown.isEmpty ? nil : shown.map(Self.executorCells)
    }

    /// One line on the executor's overhead: mean and range over the cells that measured it.
    var executorSummary: String {
        let overheads = cells.compactMap(\.overheadSeconds)
        let executor = configuration.executor ?? "local"
        guard let low = overheads.min(), let high = overheads.max() else { return "Executor: \(executor)." }
        let mean = overheads.reduce(0, +) / Double(overheads.count)
        return "Executor: \(executor). Overhead is the cell's wall time minus its run's own clock (process start, "
            + (executor == "ray" ? "job submission, queueing for cores, job start-up and status polling" : "set-up outside the run")
            + String(format: "): mean %.1f s, %.1f–%.1f s over %d cells.", mean, low, high, overheads.count)
    }

    static let repoHeaders = ["strategy", "task", "cells", "process", "pass", "tool calls / cell", "LLM calls / cell", "tokens / cell", "wall / cell"]

    /// One repo-task summary row.
    static func repoCells(_ group: BenchGroupSummary) -> [String] {
        [group.strategy, group.task ?? "all", "\(group.cells)", group.processRate?.text ?? "—", group.passRate?.text ?? "—",
         group.toolCalls?.mean.map { String(format: "%.1f", $0) } ?? "—", group.llmCalls?.mean.map { String(format: "%.1f", $0) } ?? "—",
         group.tokens.mean.map { Formatting.count(Int($0.rounded())) } ?? "—", Formatting.duration(group.wallSeconds.mean)]
    }

    /// The submitted step and who wrote it: `candidate/2 (model, beats example)`.
    static func submitted(_ result: BenchCellResult) -> String {
        guard let step = result.submittedStep else { return "—" }
        guard let work = result.modelWork, let origin = work.submittedOrigin else { return step }
        return "\(step) (\(origin.rawValue)" + (work.beatsBestExample == true ? ", beats example" : "") + ")"
    }

    /// The results as Markdown tables.
    package var markdown: String {
        func table(_ headers: [String], _ rows: [[String]]) -> String {
            func line(_ cells: [String]) -> String {
                "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }.joined(separator: " | ") + " |"
            }
            return ([line(headers), line(headers.map { _ in "---" })] + rows.map(line)).joined(separator: "\n")
        }
        let c = configuration
        var out = """
            # Starling bench: \(c.suite)

            \(Formatting.plural(c.tasks.count, "task")) × \(Formatting.plural(c.strategies.count, "strategy", "strategies")) × \(Formatting.plural(c.seeds, "seed")), \(c.time) per cell, \
            model \(c.llm ?? "default (local)"); \(cells.count) of \(c.cells.count) cells run, \
            \(cells.filter(\.failed).count) failed. Updated \(ISO8601DateFormatter().string(from: updatedAt)).

            Rates count every cell, failed ones included. Gap closed is 100·(score − baseline)/(reference − baseline) \
            over cells with a valid submission; SEM is the standard error of the mean.

            Strategies: \(c.strategies.map { "`\($0)` = \(Self.describe(strategy: $0))" }.joined(separator: "; ")).

            ## Per strategy

            \(table(Self.summaryHeaders(withTask: false), byStrategy.map { Self.summaryCells($0, withTask: false) }))

            ## Per task

            \(table(Self.summaryHeaders(withTask: true), byTask.map { Self.summaryCells($0, withTask: true) }))

            """
        if byStrategy.contains(where: { $0.passRate != nil }) {
            out += "\n## Repo tasks\n\nProcess: the task's test script found a readable output (GitTaskBench's execution completion); pass: it accepted the output.\n\n"
            out += table(Self.repoHeaders, (byStrategy + byTask).filter { $0.passRate != nil }.map(Self.repoCells)) + "\n"
        }
        if let rows = marginalValueRows {
            out += "\n## What the model adds\n\nGap closed by each strategy minus that of its control on the same task: `examples` (the same cards, cross-validation, tuning and stacking with no LLM call), "
                + "or the strategy with an option (`+no-memory`: no lessons from earlier runs); a difference inside the cells' spread is noise, not a win.\n\n"
            out += table(Self.marginalValueHeaders, rows) + "\n\n" + marginalValueSummary + "\n"
        }
        let failed = cells.filter(\.failed)
        if !failed.isEmpty {
            out += "\n## Failed cells\n\n" + table(["cell", "status", "reason", "run folder"],
                                                  failed.map { [$0.cell.label, $0.status.rawValue, $0.reason ?? "", $0.runFolder] }) + "\n"
        }
        out += "\n## Cells\n\n" + table(Self.cellHeaders, cells.map(Self.cellCells)) + "\n"
        if let rows = executorRows {
            out += "\n## Where cells ran\n\n" + executorSummary + "\n\n" + table(Self.executorHeaders, rows) + "\n"
        }
        if !pending.isEmpty {
            out += "\nNot run yet: " + pending.map(\.label).joined(separator: "; ") + "\n"
        }
        return out
    }

    /// Per task and strategy, the median gap closed beside that of its control; `nil` without
    /// a pair of strategy and control.
    var marginalValueRows: [[String]]? {
        let differences = marginalValue
        guard !differences.isEmpty else { return nil }
        return differences.map { [$0.strategy, $0.task, String(format: "%.1f%%", $0.gap), $0.controlName,
                                  String(format: "%.1f%%", $0.control), String(format: "%+.1f", $0.gap - $0.control)] }
    }

    /// The headers of ``marginalValueRows``.
    static let marginalValueHeaders = ["strategy", "task", "gap closed", "against", "its gap closed", "difference"]

    /// Each strategy's median gap closed per task against its controls: `examples` (the same plan
    /// with no LLM call) for every strategy, and `X+option` (a ``BenchArm``) for `X`.
    var marginalValue: [(strategy: String, task: String, gap: Double, controlName: String, control: Double)] {
        func gap(_ strategy: String, _ task: String) -> Double? {
            BenchStatistics(cells.filter { $0.cell.task == task && $0.cell.strategy == strategy }.compactMap(\.gapClosed)).median
        }
        let labels = Set(cells.map(\.cell.strategy))
        var pairs = labels.filter { $0 != "examples" && labels.contains("examples") }.map { ($0, "examples") }
        for label in labels {
            if let of = (try? BenchArm(label))?.controlOf, labels.contains(of) { pairs.append((of, label)) }
        }
        var out: [(String, String, Double, String, Double)] = []
        for task in Array(Set(cells.map(\.cell.task))).sorted() {
            for (strategy, controlName) in pairs.sorted(by: { ($0.1, $0.0) < ($1.1, $1.0) }) {
                if let value = gap(strategy, task), let control = gap(controlName, task) {
                    out.append((strategy, task, value, controlName, control))
                }
            }
        }
        return out
    }

    /// One line per strategy and control: median and mean difference, wins and losses.
    var marginalValueSummary: String {
        let byPair = Dictionary(grouping: marginalValue, by: { "`\($0.strategy)` against `\($0.controlName)`" })
        return byPair.keys.sorted().map { pair in
            let differences = byPair[pair]!.map { $0.gap - $0.control }
            let statistics = BenchStatistics(differences)
            return String(format: "%@: median %+.1f, mean %+.1f points of gap closed over %d tasks; %d better, %d worse.",
                          pair, statistics.median ?? .nan, statistics.mean ?? .nan, differences.count, differences.filter { $0 > 0 }.count, differences.filter { $0 < 0 }.count)
        }.joined(separator: "\n")
    }
}
