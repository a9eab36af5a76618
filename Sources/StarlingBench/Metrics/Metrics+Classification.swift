/// How per-class F1 scores are combined, as scikit-learn's `average` argument.
package enum F1Average: String, Sendable, Hashable, Codable, CaseIterable {
    /// F1 of the positive class only; refuses more than two classes.
    case binary
    /// Unweighted mean of the F1 of every class seen in truth or predictions.
    case macro
    /// F1 of the pooled counts, which for single-label data equals accuracy.
    case micro
}

extension Metrics {
    /// Share of rows whose predicted label equals the true label (`accuracy_score`).
    ///
    /// - Parameters:
    ///   - truth: True labels.
    ///   - predicted: Predicted labels, one per true label.
    /// - Returns: A value in [0, 1].
    /// - Throws: ``MetricError`` when the lengths differ or there are no rows.
    package static func accuracy(truth: [String], predicted: [String]) throws -> Double {
        try checkPaired(truth.count, predicted.count)
        let t = ClassLabels.canonical(truth)
        let p = ClassLabels.canonical(predicted)
        var correct = 0
        for i in t.indices where t[i] == p[i] { correct += 1 }
        return Double(correct) / Double(t.count)
    }

    /// Accuracy of labels compared as text, exactly as written (pandas' `astype(str)`: nothing
    /// trimmed, no number read).
    ///
    /// - Parameters:
    ///   - truth: True labels.
    ///   - predicted: Predicted labels, paired with `truth`.
    /// - Returns: The share of equal pairs (0 when there are none).
    package static func textAccuracy(truth: [String], predicted: [String]) -> Double {
        guard !truth.isEmpty, truth.count == predicted.count else { return 0 }
        return Double(zip(truth, predicted).filter { $0 == $1 }.count) / Double(truth.count)
    }

    /// Mean recall over the classes present in the truth (`balanced_accuracy_score`); classes
    /// that only appear among predictions are left out, as scikit-learn does.
    ///
    /// - Parameters:
    ///   - truth: True labels.
    ///   - predicted: Predicted labels.
    /// - Returns: A value in [0, 1].
    /// - Throws: ``MetricError`` when the lengths differ or there are no rows.
    package static func balancedAccuracy(truth: [String], predicted: [String]) throws -> Double {
        try checkPaired(truth.count, predicted.count)
        let t = ClassLabels.canonical(truth)
        let p = ClassLabels.canonical(predicted)
        var support: [String: Int] = [:]
        var hits: [String: Int] = [:]
        for i in t.indices {
            support[t[i], default: 0] += 1
            if t[i] == p[i] { hits[t[i], default: 0] += 1 }
        }
        let recalls = ClassLabels.sorted(Array(support.keys)).map { label in
            Double(hits[label, default: 0]) / Double(support[label]!)
        }
        return mean(recalls)
    }

    /// F1 score (`f1_score`), with a zero score for a class that is never predicted nor true.
    ///
    /// - Parameters:
    ///   - truth: True labels.
    ///   - predicted: Predicted labels.
    ///   - average: How to combine classes.
    ///   - positiveLabel: The positive class for ``F1Average/binary``.
    /// - Returns: A value in [0, 1].
    /// - Throws: ``MetricError`` when lengths differ, or for `binary` when there are more than
    ///   two labels or two labels of which none is `positiveLabel`.
    package static func f1(truth: [String], predicted: [String], average: F1Average, positiveLabel: String = "1") throws -> Double {
        try checkPaired(truth.count, predicted.count)
        let t = ClassLabels.canonical(truth)
        let p = ClassLabels.canonical(predicted)
        let labels = ClassLabels.sortedUnique(t + p)
        var tp: [String: Int] = [:]
        var trueCount: [String: Int] = [:]
        var predictedCount: [String: Int] = [:]
        for i in t.indices {
            trueCount[t[i], default: 0] += 1
            predictedCount[p[i], default: 0] += 1
            if t[i] == p[i] { tp[t[i], default: 0] += 1 }
        }
        func f1(of label: String) -> Double {
            let hits = tp[label, default: 0]
            let fp = predictedCount[label, default: 0] - hits
            let fn = trueCount[label, default: 0] - hits
            let denominator = 2 * hits + fp + fn
            return denominator == 0 ? 0 : Double(2 * hits) / Double(denominator)
        }
        switch average {
        case .binary:
            let positive = ClassLabels.canonical(positiveLabel)
            guard labels.count <= 2 else {
                throw MetricError(.tooManyClasses, "binary F1 needs at most two labels but found \(labels.count) (\(preview(labels))); use f1_macro or f1_micro")
            }
            if labels.count == 2, !labels.contains(positive) {
                throw MetricError(.outOfDomain, "the positive label '\(positive)' is not one of the labels \(preview(labels)); set grader.pos_label")
            }
            return f1(of: positive)
        case .macro:
            return mean(labels.map(f1(of:)))
        case .micro:
            let hits = tp.values.reduce(0, +)
            let wrong = t.count - hits
            let denominator = 2 * hits + 2 * wrong
            return denominator == 0 ? 0 : Double(2 * hits) / Double(denominator)
        }
    }

    /// Cohen's kappa with quadratic weights (`cohen_kappa_score(weights="quadratic")`). Weights
    /// follow the position of each label among the sorted labels seen in either array, as in
    /// scikit-learn, not the label's numeric value.
    ///
    /// - Parameters:
    ///   - truth: True ratings.
    ///   - predicted: Predicted ratings.
    /// - Returns: A value in [-1, 1].
    /// - Throws: ``MetricError`` when lengths differ, or when kappa is undefined (a single
    ///   label overall).
    package static func quadraticWeightedKappa(truth: [String], predicted: [String]) throws -> Double {
        try checkPaired(truth.count, predicted.count)
        let t = ClassLabels.canonical(truth)
        let p = ClassLabels.canonical(predicted)
        let labels = ClassLabels.sortedUnique(t + p)
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        let k = labels.count
        var confusion = [Double](repeating: 0, count: k * k)
        for i in t.indices { confusion[index[t[i]]! * k + index[p[i]]!] += 1 }
        var rowSums = [Double](repeating: 0, count: k)
        var columnSums = [Double](repeating: 0, count: k)
        for a in 0..<k {
            for b in 0..<k {
                rowSums[a] += confusion[a * k + b]
                columnSums[b] += confusion[a * k + b]
            }
        }
        let total = Double(t.count)
        var observed = 0.0
        var expected = 0.0
        for a in 0..<k {
            for b in 0..<k {
                let weight = Double((a - b) * (a - b))
                observed += weight * confusion[a * k + b]
                // scikit-learn's expected matrix is outer(column sums, row sums) / total.
                expected += weight * (columnSums[a] * rowSums[b] / total)
            }
        }
        guard expected != 0 else {
            throw MetricError(.undefined, "quadratic weighted kappa is undefined when truth and predictions hold a single label (\(preview(labels)))")
        }
        return 1 - observed / expected
    }

    /// A short listing of labels for messages.
    static func preview(_ labels: [String], limit: Int = 5) -> String {
        let shown = labels.prefix(limit).map { "'\($0)'" }.joined(separator: ", ")
        return labels.count > limit ? shown + ", …" : shown
    }
}
