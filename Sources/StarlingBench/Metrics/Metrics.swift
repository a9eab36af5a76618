/// Metric functions on plain arrays, each written to agree with scikit-learn (to 1e-9) and to
/// refuse the inputs scikit-learn refuses. Classification labels are given as text, read from
/// CSV files, and compared as ``ClassLabels`` describes.
package enum Metrics {
    /// Checks that two arrays pair up and are not empty.
    static func checkPaired(_ a: Int, _ b: Int, _ what: String = "predictions") throws {
        guard a == b else {
            throw MetricError(.shapeMismatch, "found \(a) true values but \(b) \(what)")
        }
        guard a > 0 else {
            throw MetricError(.shapeMismatch, "there are no rows to grade")
        }
    }

    /// Checks that every value is a finite number.
    static func checkFinite(_ values: [Double], _ what: String) throws {
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw MetricError(.notANumber, "\(what) at row \(i + 1) is \(values[i]); every value must be a finite number")
        }
    }

    /// Mean of values, summed in order as numpy does for short arrays.
    static func mean(_ values: [Double]) -> Double {
        values.reduce(0, +) / Double(values.count)
    }
}
