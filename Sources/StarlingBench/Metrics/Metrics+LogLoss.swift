import Foundation

extension Metrics {
    /// The clipping bound scikit-learn uses: machine epsilon of Double.
    static let probabilityEpsilon = Double.ulpOfOne

    /// Binary log loss (`log_loss` with one probability column). The probability is that of
    /// the greater label, probabilities are clipped to [ε, 1−ε] with ε = 2.2e-16, and
    /// natural logarithms are used.
    ///
    /// - Parameters:
    ///   - truth: True labels, exactly two distinct values.
    ///   - probabilities: Probability of the greater label, in [0, 1].
    /// - Returns: Mean negative log-likelihood.
    /// - Throws: ``MetricError`` when the truth holds one class or more than two, or a
    ///   probability lies outside [0, 1].
    package static func logLoss(truth: [String], probabilities: [Double]) throws -> Double {
        try checkPaired(truth.count, probabilities.count, "probabilities")
        try checkProbabilities(probabilities)
        let positives = try binaryPositives(truth, metric: "log loss", multiClass: "multi_class_log_loss with one probability column per class")
        let total = zip(positives, probabilities).reduce(0.0) { $0 - log(clip($1.0 ? $1.1 : 1 - $1.1)) }
        return total / Double(positives.count)
    }

    /// Multi-class log loss (`log_loss(labels=classes)`): probabilities clipped to [ε, 1−ε],
    /// not renormalised (scikit-learn only warns when rows do not sum to 1).
    ///
    /// - Parameters:
    ///   - truth: True labels, each one of `classes`.
    ///   - probabilities: One row per label, one column per class in `classes` order.
    ///   - classes: Class names matching the columns; at least two.
    /// - Returns: Mean negative log-likelihood.
    /// - Throws: ``MetricError`` for a label outside `classes`, fewer than two classes, or a
    ///   probability outside [0, 1].
    package static func logLoss(truth: [String], probabilities: [[Double]], classes: [String]) throws -> Double {
        try checkPaired(truth.count, probabilities.count, "probability rows")
        let names = ClassLabels.canonical(classes)
        guard Set(names).count == names.count else {
            throw MetricError(.shapeMismatch, "class columns must be unique, found \(preview(names, limit: 20))")
        }
        guard names.count >= 2 else {
            throw MetricError(.singleClass, "log loss needs at least two classes, got \(preview(names))")
        }
        let column = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let t = ClassLabels.canonical(truth)
        var total = 0.0
        for (i, label) in t.enumerated() {
            guard let c = column[label] else {
                throw MetricError(.outOfDomain, "true label '\(label)' in row \(i + 1) has no probability column; columns are \(preview(names, limit: 20))")
            }
            let row = probabilities[i]
            guard row.count == names.count else {
                throw MetricError(.shapeMismatch, "probability row \(i + 1) has \(row.count) values for \(names.count) classes")
            }
            try checkProbabilities(row)
            total += -log(clip(row[c]))
        }
        return total / Double(t.count)
    }

    static func clip(_ p: Double) -> Double {
        min(max(p, probabilityEpsilon), 1 - probabilityEpsilon)
    }

    static func checkProbabilities(_ values: [Double]) throws {
        try checkFinite(values, "probability")
        if let bad = values.firstIndex(where: { $0 < 0 || $0 > 1 }) {
            throw MetricError(.outOfDomain, "probability at position \(bad + 1) is \(values[bad]); probabilities must lie in [0, 1]")
        }
    }
}
