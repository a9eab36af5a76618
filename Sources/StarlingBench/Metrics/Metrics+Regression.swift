import Foundation

extension Metrics {
    /// Root mean squared error (`root_mean_squared_error`).
    ///
    /// - Parameters:
    ///   - truth: True values.
    ///   - predicted: Predicted values.
    /// - Returns: A non-negative error.
    /// - Throws: ``MetricError`` when lengths differ or a value is not finite.
    package static func rmse(truth: [Double], predicted: [Double]) throws -> Double {
        try checkRegression(truth, predicted)
        var sum = 0.0
        for i in truth.indices {
            let d = truth[i] - predicted[i]
            sum += d * d
        }
        return (sum / Double(truth.count)).squareRoot()
    }

    /// Root mean squared logarithmic error (`root_mean_squared_log_error`): RMSE of
    /// `log1p` values.
    ///
    /// - Parameters:
    ///   - truth: True values, all greater than −1.
    ///   - predicted: Predicted values, all greater than −1.
    /// - Returns: A non-negative error.
    /// - Throws: ``MetricError`` when a value is −1 or less, as scikit-learn refuses.
    package static func rmsle(truth: [Double], predicted: [Double]) throws -> Double {
        try checkRegression(truth, predicted)
        if let i = truth.firstIndex(where: { $0 <= -1 }) {
            throw MetricError(.outOfDomain, "true value in row \(i + 1) is \(truth[i]); RMSLE cannot be used when values are -1 or less")
        }
        if let i = predicted.firstIndex(where: { $0 <= -1 }) {
            throw MetricError(.outOfDomain, "prediction in row \(i + 1) is \(predicted[i]); RMSLE cannot be used when values are -1 or less")
        }
        return try rmse(truth: truth.map { log1p($0) }, predicted: predicted.map { log1p($0) })
    }

    /// Mean absolute error (`mean_absolute_error`).
    ///
    /// - Parameters:
    ///   - truth: True values.
    ///   - predicted: Predicted values.
    /// - Returns: A non-negative error.
    /// - Throws: ``MetricError`` when lengths differ or a value is not finite.
    package static func mae(truth: [Double], predicted: [Double]) throws -> Double {
        try checkRegression(truth, predicted)
        var sum = 0.0
        for i in truth.indices { sum += abs(truth[i] - predicted[i]) }
        return sum / Double(truth.count)
    }

    /// Coefficient of determination (`r2_score`). A constant truth gives 1 for a perfect
    /// prediction and 0 otherwise, as scikit-learn's `force_finite` does.
    ///
    /// - Parameters:
    ///   - truth: True values, at least two.
    ///   - predicted: Predicted values.
    /// - Returns: R², at most 1.
    /// - Throws: ``MetricError`` for fewer than two rows, where R² is undefined.
    package static func r2(truth: [Double], predicted: [Double]) throws -> Double {
        try checkRegression(truth, predicted)
        guard truth.count >= 2 else {
            throw MetricError(.undefined, "R² is not defined for fewer than two rows")
        }
        let average = mean(truth)
        var residual = 0.0
        var spread = 0.0
        for i in truth.indices {
            let d = truth[i] - predicted[i]
            residual += d * d
            let s = truth[i] - average
            spread += s * s
        }
        if spread == 0 { return residual == 0 ? 1 : 0 }
        return 1 - residual / spread
    }

    /// Mean over columns of a per-column regression metric (scikit-learn's
    /// `multioutput="uniform_average"`).
    ///
    /// - Parameters:
    ///   - truth: True values column by column.
    ///   - predicted: Predicted values column by column.
    ///   - columnNames: Names used in error messages.
    ///   - metric: The per-column metric, e.g. ``rmsle(truth:predicted:)``.
    /// - Returns: The unweighted mean of the column scores.
    /// - Throws: ``MetricError`` naming the first column that cannot be scored.
    package static func columnMean(
        truth: [[Double]], predicted: [[Double]], columnNames: [String]? = nil,
        _ metric: ([Double], [Double]) throws -> Double
    ) throws -> Double {
        guard truth.count == predicted.count, !truth.isEmpty else {
            throw MetricError(.shapeMismatch, "found \(truth.count) true columns but \(predicted.count) predicted columns")
        }
        var scores: [Double] = []
        for c in truth.indices {
            do {
                scores.append(try metric(truth[c], predicted[c]))
            } catch let error as MetricError {
                throw MetricError(error.code, "column \(columnNames?[c] ?? "\(c + 1)"): \(error.message)")
            }
        }
        return mean(scores)
    }

    static func checkRegression(_ truth: [Double], _ predicted: [Double]) throws {
        try checkPaired(truth.count, predicted.count)
        try checkFinite(truth, "true value")
        try checkFinite(predicted, "prediction")
    }
}
