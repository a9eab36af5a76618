extension Metrics {
    /// Mean average precision at `k` as Kaggle computes it (`ml_metrics.mapk`): for each row,
    /// the precision at every rank where a new relevant item appears among the first `k`
    /// predictions, summed and divided by `min(|actual|, k)`; a row with no actual items
    /// scores 0.
    ///
    /// - Parameters:
    ///   - actual: Relevant items per row.
    ///   - predicted: Ranked predictions per row.
    ///   - k: How many predictions count.
    /// - Returns: A value in [0, 1].
    /// - Throws: ``MetricError`` when lengths differ or `k` is not positive.
    package static func meanAveragePrecision(actual: [[String]], predicted: [[String]], k: Int) throws -> Double {
        try checkPaired(actual.count, predicted.count)
        guard k > 0 else { throw MetricError(.outOfDomain, "k must be positive, got \(k)") }
        var total = 0.0
        for row in actual.indices {
            let relevant = Set(actual[row])
            let ranked = predicted[row].prefix(k)
            var hits = 0.0
            var score = 0.0
            var seen = Set<String>()
            for (i, item) in ranked.enumerated() {
                guard seen.insert(item).inserted else { continue }
                if relevant.contains(item) {
                    hits += 1
                    score += hits / Double(i + 1)
                }
            }
            if !actual[row].isEmpty { total += score / Double(min(actual[row].count, k)) }
        }
        return total / Double(actual.count)
    }

    /// Splits a space-separated list of items, as MAP@K submissions write them.
    ///
    /// - Parameter text: A field such as `"12 7 3"`.
    /// - Returns: The items, empty for an empty field.
    package static func items(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }
}
