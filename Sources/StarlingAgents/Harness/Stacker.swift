import Foundation
import StarlingBench
import StarlingCore

/// Stacking without an LLM: ensemble selection (greedy, with replacement) over the out-of-fold
/// predictions of a run's best scripts, scored by nested cross-validation, and the script that
/// reproduces the blend (`Resources/templates/stack.py`).
package struct Stacker: Sendable {
    /// How members' predictions combine, by what the submission holds.
    package enum Rule: String, Sendable, Codable {
        /// Class labels: a weighted vote; a tie goes to the label voted for first (member order).
        case vote
        /// Numbers and probabilities: a weighted mean.
        case mean
        /// AUC: a weighted mean of ranks scaled to (0, 1], computed within the rows blended.
        case rankMean = "rank_mean"

        /// The rule for a metric; `nil` when its submissions cannot be blended (ranked lists).
        package static func forMetric(_ metric: Metric) -> Rule? {
            switch metric.submissionValueKind {
            case .label: .vote
            case .probability: metric.facts.rankBased ? .rankMean : .mean
            case .number: .mean
            case .itemList: nil
            }
        }
    }

    /// What ensemble selection chose.
    package struct Selection: Sendable, Hashable, Codable {
        /// How often each member was picked (the blend weights before normalising), in member order.
        package var counts: [Int]
        /// Nested cross-validation: fold k's score of the blend whose weights were chosen on
        /// the other folds' rows.
        package var validation: CrossValidation
    }

    /// The members' out-of-fold predictions, rows aligned with `answers`.
    package let members: [CSVTable]
    /// The id column.
    package let idColumn: String
    /// How predictions combine.
    package let rule: Rule
    /// The metric's direction.
    package let direction: Direction
    /// Scores a blend on some rows (indices into the members' rows).
    package let score: @Sendable (CSVTable, [Int]) throws -> Double
    /// Greedy steps at most (each adds one copy of a member).
    package var maxSteps = 12

    private let numbers: [[[Double]]]  // member → prediction column → row

    /// Creates a stacker.
    ///
    /// - Throws: ``AgentError`` when the members' rows or columns differ or a number does not parse.
    package init(members: [CSVTable], idColumn: String, rule: Rule, direction: Direction,
                score: @escaping @Sendable (CSVTable, [Int]) throws -> Double) throws {
        guard let first = members.first else { throw AgentError("a stack needs members") }
        for (m, member) in members.enumerated() where member.header != first.header || member.column(idColumn) != first.column(idColumn) {
            throw AgentError("stack member \(m) does not predict the same rows and columns as member 0")
        }
        self.members = members
        self.idColumn = idColumn
        self.rule = rule
        self.direction = direction
        self.score = score
        if rule == .vote {
            numbers = []
        } else {
            numbers = try members.map { member in
                try member.header.indices.filter { member.header[$0] != idColumn }.map { c in
                    try member.columns[c].map { text in
                        guard let value = Double(text.trimmingCharacters(in: .whitespaces)) else {
                            throw AgentError("stack member prediction '\(text.prefix(40))' is not a number")
                        }
                        return value
                    }
                }
            }
        }
    }

    /// The blend of the members with `weights` on `rows`, as a submission table.
    package func blend(weights: [Double], rows: [Int]) -> CSVTable {
        let header = members[0].header
        let idIndex = members[0].index(of: idColumn)!
        var columns: [[String]] = []
        var predictionColumn = 0
        for c in header.indices {
            if c == idIndex {
                columns.append(rows.map { members[0].columns[c][$0] })
                continue
            }
            switch rule {
            case .vote:
                columns.append(rows.map { r in
                    var labels: [String] = []
                    var totals: [String: Double] = [:]
                    for (m, weight) in weights.enumerated() where weight > 0 {
                        let label = members[m].columns[c][r]
                        if totals[label] == nil { labels.append(label) }
                        totals[label, default: 0] += weight
                    }
                    let best = totals.values.max() ?? 0
                    return labels.first { totals[$0]! >= best - 1e-12 } ?? members[0].columns[c][r]
                })
            case .mean, .rankMean:
                var total = [Double](repeating: 0, count: rows.count)
                let sum = weights.reduce(0, +)
                for (m, weight) in weights.enumerated() where weight > 0 {
                    var values = rows.map { numbers[m][predictionColumn][$0] }
                    if rule == .rankMean { values = Self.ranks(values) }
                    for i in values.indices { total[i] += weight * values[i] }
                }
                columns.append(total.map { String($0 / sum) })
            }
            predictionColumn += 1
        }
        return CSVTable(header: header, columns: columns)
    }

    /// Ensemble selection on `rows`: start from the best single member, then add (with
    /// replacement) the member that most improves the blend's score, until none does.
    ///
    /// - Returns: How often each member was picked.
    package func select(rows: [Int]) throws -> [Int] {
        var counts = [Int](repeating: 0, count: members.count)
        var current: Double?
        for _ in 0..<maxSteps {
            var bestMember: Int?
            var bestScore: Double?
            for m in members.indices {
                var trial = counts
                trial[m] += 1
                let value = try score(blend(weights: trial.map(Double.init), rows: rows), rows)
                if bestScore.map({ direction.isBetter(value, than: $0) }) ?? true {
                    bestMember = m
                    bestScore = value
                }
            }
            guard let bestMember, let bestScore else { break }
            if let current, !direction.isBetter(bestScore, than: current) { break }
            counts[bestMember] += 1
            current = bestScore
        }
        return counts
    }

    /// Chooses weights on all rows and scores the choice by nested cross-validation: for each
    /// fold, weights chosen on the other folds' rows are scored on its rows.
    ///
    /// - Parameter foldOfRow: The fold of each row.
    package func run(foldOfRow: [Int]) throws -> Selection {
        let folds = Set(foldOfRow).sorted()
        var scores: [Double] = []
        for k in folds {
            let inner = foldOfRow.indices.filter { foldOfRow[$0] != k }
            let outer = foldOfRow.indices.filter { foldOfRow[$0] == k }
            let counts = try select(rows: inner)
            scores.append(try score(blend(weights: counts.map(Double.init), rows: outer), outer))
        }
        return Selection(counts: try select(rows: Array(foldOfRow.indices)), validation: CrossValidation(foldScores: scores, method: "nested"))
    }

    /// Ranks (ties averaged) divided by the count, as pandas' `rank(method="average") / n`.
    static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let rank = Double(i + j + 2) / 2
            for k in i...j { ranks[order[k]] = rank / Double(values.count) }
            i = j + 1
        }
        return ranks
    }

    /// The script that reproduces the blend: each member's script runs as it is, and the
    /// submissions are combined with `weights` by `rule`, then recalibrated with `calibration`
    /// when given (see ``Calibrator``).
    ///
    /// - Parameters:
    ///   - members: Each member's node id, weight and script.
    ///   - calibration: A calibration of the blend's probabilities.
    /// - Throws: ``AgentError`` when the template is missing from the bundle.
    package static func script(members: [(node: Int, weight: Double, code: String)], rule: Rule,
                              calibration: Calibrator.Fit? = nil) throws -> String {
        guard let url = Bundle.module.url(forResource: "stack", withExtension: "py", subdirectory: "Resources/templates"),
              let template = try? String(contentsOf: url, encoding: .utf8) else {
            throw AgentError("the stack template Resources/templates/stack.py is missing from the build")
        }
        struct Member: Encodable { var node: Int; var weight: Double; var code: String }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .prettyPrinted]
        let json = String(decoding: try encoder.encode(members.map { Member(node: $0.node, weight: $0.weight, code: $0.code) }), as: UTF8.self)
            .replacingOccurrences(of: "'", with: "\\u0027")  // no quote can close the raw ''' literal
        let calibrationJSON = try calibration.map { String(decoding: try encoder.encode($0), as: UTF8.self) } ?? "null"
        return template.replacingOccurrences(of: "__RULE__", with: rule.rawValue).replacingOccurrences(of: "__CALIBRATION__", with: calibrationJSON)
            .replacingOccurrences(of: "__MEMBERS__", with: json)
    }
}
