import Foundation
import StarlingBench
import StarlingCore

/// A decision for the metric, with no LLM call: for log loss, the probabilities of a script are
/// recalibrated on its out-of-fold predictions. One probability column (binary) takes Platt's
/// form on the logit, `sigmoid(slope × logit(p) + shift)`; several (one per class) take a
/// temperature, `p_c^slope` normalised over the row. Probabilities are first kept inside
/// [``floor``, 1 − ``floor``], so a script's hard 0 or 1 costs at most −log(floor), not the
/// grader's 36 nats. The fit is scored by nested cross-validation, as a stack's weights are.
package struct Calibrator: Sendable {
    /// Fitted settings (`shift` is unused with several columns).
    package struct Fit: Sendable, Hashable, Codable {
        package var slope: Double
        package var shift: Double

        /// The identity (clipping alone).
        package static let identity = Fit(slope: 1, shift: 0)

        /// `slope 0.81, shift −0.05`.
        package var text: String { String(format: "slope %.3g, shift %+.3g", slope, shift) }
    }

    /// The lowest probability a calibrated prediction takes.
    package static let floor = 1e-6

    /// The script's out-of-fold predictions (probabilities), rows aligned with the answers.
    package let predictions: CSVTable
    /// The id column.
    package let idColumn: String
    /// Scores a calibrated table on some rows (indices into the predictions' rows); lower is better.
    package let score: @Sendable (CSVTable, [Int]) throws -> Double

    private let values: [[Double]]  // prediction column → row

    /// Whether `metric`'s predictions can be recalibrated (log loss, binary or multi-class).
    package static func applies(to metric: Metric) -> Bool { metric.facts.rewardsCalibration }

    /// Creates a calibrator.
    ///
    /// - Throws: ``AgentError`` when a prediction is not a number.
    package init(predictions: CSVTable, idColumn: String, score: @escaping @Sendable (CSVTable, [Int]) throws -> Double) throws {
        self.predictions = predictions
        self.idColumn = idColumn
        self.score = score
        values = try predictions.header.indices.filter { predictions.header[$0] != idColumn }.map { c in
            try predictions.columns[c].map { text in
                guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                    throw AgentError("out-of-fold probability '\(text.prefix(40))' is not a number")
                }
                return value
            }
        }
        guard !values.isEmpty else { throw AgentError("the out-of-fold predictions have no probability column") }
    }

    /// The predictions of `rows` with `fit` applied, as a submission table.
    package func apply(_ fit: Fit, rows: [Int]) -> CSVTable {
        let clipped = values.map { column in rows.map { min(max(column[$0], Self.floor), 1 - Self.floor) } }
        var calibrated: [[Double]]
        if clipped.count == 1 {
            calibrated = [clipped[0].map { p in 1 / (1 + exp(-(fit.slope * log(p / (1 - p)) + fit.shift))) }]
        } else {
            calibrated = clipped.map { $0.map { pow($0, fit.slope) } }
            for r in rows.indices {
                let total = calibrated.reduce(0) { $0 + $1[r] }
                for c in calibrated.indices { calibrated[c][r] /= total }
            }
        }
        var columns: [[String]] = []
        var next = 0
        for c in predictions.header.indices {
            if predictions.header[c] == idColumn {
                columns.append(rows.map { predictions.columns[c][$0] })
            } else {
                columns.append(calibrated[next].map { String($0) })
                next += 1
            }
        }
        return CSVTable(header: predictions.header, columns: columns)
    }

    /// The fit with the lowest score on `rows`: golden-section searches of the slope (on a log
    /// scale, 0.2–5) and, with one column, the shift (−3–3), in turn, twice.
    package func fit(rows: [Int]) throws -> Fit {
        var best = Fit.identity
        var bestScore = try score(apply(best, rows: rows), rows)
        for _ in 0..<(values.count == 1 ? 2 : 1) {
            let shift = best.shift
            let slope = exp(try Self.minimise(in: log(0.2)...log(5)) { try score(apply(Fit(slope: exp($0), shift: shift), rows: rows), rows) })
            var candidate = Fit(slope: slope, shift: shift)
            if values.count == 1 {
                candidate.shift = try Self.minimise(in: -3...3) { try score(apply(Fit(slope: slope, shift: $0), rows: rows), rows) }
            }
            let value = try score(apply(candidate, rows: rows), rows)
            if value < bestScore {
                (best, bestScore) = (candidate, value)
            }
        }
        return best
    }

    /// Fits on all rows and scores the fitting by nested cross-validation: fold k's score is that
    /// of a fit made on the other folds' rows.
    ///
    /// - Parameter foldOfRow: The fold of each row.
    package func run(foldOfRow: [Int]) throws -> (fit: Fit, validation: CrossValidation) {
        var scores: [Double] = []
        for k in Set(foldOfRow).sorted() {
            let inner = foldOfRow.indices.filter { foldOfRow[$0] != k }
            let outer = foldOfRow.indices.filter { foldOfRow[$0] == k }
            scores.append(try score(apply(fit(rows: inner), rows: outer), outer))
        }
        return (try fit(rows: Array(foldOfRow.indices)), CrossValidation(foldScores: scores, method: "nested"))
    }

    /// The argument of the least value of `f` on `range` by golden-section search (30 steps).
    static func minimise(in range: ClosedRange<Double>, _ f: (Double) throws -> Double) throws -> Double {
        let ratio = (5.0.squareRoot() - 1) / 2
        var (a, b) = (range.lowerBound, range.upperBound)
        var c = b - ratio * (b - a), d = a + ratio * (b - a)
        var fc = try f(c), fd = try f(d)
        for _ in 0..<30 {
            if fc < fd {
                (b, d, fd) = (d, c, fc)
                c = b - ratio * (b - a)
                fc = try f(c)
            } else {
                (a, c, fc) = (c, d, fd)
                d = a + ratio * (b - a)
                fd = try f(d)
            }
        }
        return (a + b) / 2
    }
}
