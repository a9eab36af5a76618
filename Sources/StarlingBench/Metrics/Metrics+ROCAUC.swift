extension Metrics {
    /// Area under the ROC curve for binary labels (`roc_auc_score`). As in scikit-learn the
    /// positive class is the greater of the two labels, so `scores` must be that class's
    /// probability (for 0/1 labels, of 1).
    ///
    /// - Parameters:
    ///   - truth: True labels, exactly two distinct values.
    ///   - scores: Scores for the positive class, one per label.
    /// - Returns: A value in [0, 1]; tied scores count one half.
    /// - Throws: ``MetricError`` when the truth holds one class or more than two, or a score is
    ///   not finite.
    package static func rocAUC(truth: [String], scores: [Double]) throws -> Double {
        try checkPaired(truth.count, scores.count, "scores")
        return try rocAUC(positives: binaryPositives(truth, metric: "ROC AUC", multiClass: "roc_auc_ovr"), scores: scores)
    }

    /// Area under the ROC curve from membership flags: the Mann–Whitney statistic with
    /// average ranks for ties, which equals scikit-learn's trapezoidal area.
    ///
    /// - Parameters:
    ///   - positives: Whether each row belongs to the positive class.
    ///   - scores: Scores, higher meaning more likely positive.
    /// - Returns: A value in [0, 1].
    /// - Throws: ``MetricError`` when either class is absent or a score is not finite.
    package static func rocAUC(positives: [Bool], scores: [Double]) throws -> Double {
        try checkPaired(positives.count, scores.count, "scores")
        try checkFinite(scores, "score")
        let positiveCount = positives.lazy.filter { $0 }.count
        let negativeCount = positives.count - positiveCount
        guard positiveCount > 0, negativeCount > 0 else {
            throw MetricError(.singleClass, "only one class is present in the true labels; ROC AUC is not defined in that case")
        }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var positiveRankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, scores[order[end + 1]] == scores[order[start]] { end += 1 }
            // Ranks are 1-based; a tie group shares the mean of its ranks.
            let averageRank = Double(start + end + 2) / 2
            for k in start...end where positives[order[k]] { positiveRankSum += averageRank }
            start = end + 1
        }
        let p = Double(positiveCount)
        let n = Double(negativeCount)
        return (positiveRankSum - p * (p + 1) / 2) / (p * n)
    }

    /// Macro-averaged one-vs-rest ROC AUC for multi-class labels
    /// (`roc_auc_score(multi_class="ovr")`). Each row of probabilities must sum to 1, and every
    /// class must occur in the truth, as scikit-learn requires.
    ///
    /// - Parameters:
    ///   - truth: True labels, each one of `classes`.
    ///   - probabilities: One row per label, one column per class in `classes` order.
    ///   - classes: Class names matching the probability columns.
    /// - Returns: Mean of the per-class AUCs.
    /// - Throws: ``MetricError`` for a label outside `classes`, a class absent from the truth,
    ///   or a row that does not sum to 1.
    package static func rocAUCOneVsRest(truth: [String], probabilities: [[Double]], classes: [String]) throws -> Double {
        try checkPaired(truth.count, probabilities.count, "probability rows")
        let t = ClassLabels.canonical(truth)
        let names = ClassLabels.canonical(classes)
        guard Set(names).count == names.count else {
            throw MetricError(.shapeMismatch, "class columns must be unique, found \(preview(names, limit: 20))")
        }
        guard names.count >= 2 else {
            throw MetricError(.tooManyClasses, "one-vs-rest ROC AUC needs at least two class columns")
        }
        if let stray = t.first(where: { !names.contains($0) }) {
            throw MetricError(.outOfDomain, "true label '\(stray)' has no probability column; columns are \(preview(names, limit: 20))")
        }
        for (r, row) in probabilities.enumerated() {
            guard row.count == names.count else {
                throw MetricError(.shapeMismatch, "probability row \(r + 1) has \(row.count) values for \(names.count) classes")
            }
            try checkFinite(row, "probability in row \(r + 1)")
            let sum = row.reduce(0, +)
            // numpy.allclose(1, sum): |sum - 1| <= atol + rtol·|1|.
            guard abs(sum - 1) <= 1e-8 + 1e-5 else {
                throw MetricError(.outOfDomain, "class probabilities must sum to 1 in every row, but row \(r + 1) sums to \(sum)")
            }
        }
        var aucs: [Double] = []
        for (c, name) in names.enumerated() {
            let positives = t.map { $0 == name }
            guard positives.contains(true) else {
                throw MetricError(.singleClass, "class '\(name)' never occurs in the true labels; its one-vs-rest ROC AUC is not defined")
            }
            aucs.append(try rocAUC(positives: positives, scores: probabilities.map { $0[c] }))
        }
        return mean(aucs)
    }

    /// Mean over columns of the binary ROC AUC of each column (multi-label tasks, e.g. one 0/1
    /// answer column per label).
    ///
    /// - Parameters:
    ///   - truth: True labels column by column.
    ///   - scores: Scores column by column, matching `truth`.
    /// - Returns: Mean of the column AUCs.
    /// - Throws: ``MetricError`` naming the first column whose AUC is undefined.
    package static func rocAUCColumnMean(truth: [[String]], scores: [[Double]], columnNames: [String]? = nil) throws -> Double {
        guard truth.count == scores.count, !truth.isEmpty else {
            throw MetricError(.shapeMismatch, "found \(truth.count) true columns but \(scores.count) score columns")
        }
        var aucs: [Double] = []
        for c in truth.indices {
            do {
                aucs.append(try rocAUC(truth: truth[c], scores: scores[c]))
            } catch let error as MetricError {
                let name = columnNames?[c] ?? "\(c + 1)"
                throw MetricError(error.code, "column \(name): \(error.message)")
            }
        }
        return mean(aucs)
    }

    /// Whether each true label is the positive class (the larger of exactly two labels).
    ///
    /// - Parameters:
    ///   - metric: The metric's name, for messages.
    ///   - multiClass: The metric to use instead when there are more classes.
    /// - Throws: ``MetricError`` (`singleClass`, `tooManyClasses`) saying which labels it found.
    static func binaryPositives(_ truth: [String], metric: String, multiClass: String) throws -> [Bool] {
        let t = ClassLabels.canonical(truth)
        let labels = ClassLabels.sortedUnique(t)
        guard labels.count >= 2 else {
            throw MetricError(.singleClass, "only one class (\(preview(labels))) is present in the true labels; \(metric) needs both classes present")
        }
        guard labels.count == 2 else {
            throw MetricError(.tooManyClasses, "\(metric) for binary labels found \(labels.count) classes (\(preview(labels))); use \(multiClass) for multi-class tasks")
        }
        return t.map { $0 == labels[1] }
    }
}
