import Foundation

/// Summary statistics over a sample, as the bench tables print them.
package struct BenchStatistics: Sendable, Hashable, Codable {
    /// Sample size.
    package var count: Int
    /// The median, or `nil` for an empty sample.
    package var median: Double?
    /// The mean, or `nil` for an empty sample.
    package var mean: Double?
    /// Standard error of the mean (sample standard deviation over √n), or `nil` below two values.
    package var sem: Double?

    /// Statistics of `values` (NaN and infinities are left out).
    ///
    /// - Parameter values: The sample.
    package init(_ values: [Double]) {
        let sample = values.filter(\.isFinite).sorted()
        count = sample.count
        guard !sample.isEmpty else { return }
        let n = sample.count
        median = n % 2 == 1 ? sample[n / 2] : (sample[n / 2 - 1] + sample[n / 2]) / 2
        let mean = sample.reduce(0, +) / Double(n)
        self.mean = mean
        if n >= 2 {
            let variance = sample.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
            sem = variance.squareRoot() / Double(n).squareRoot()
        }
    }

    /// `mean ± sem` with `digits` decimals (`12.3 ± 4.5`, `12.3` for one value, `—` for none).
    package func meanText(digits: Int = 1, suffix: String = "") -> String {
        guard let mean else { return "—" }
        let format = "%.\(digits)f"
        let head = String(format: format, mean) + suffix
        return sem.map { head + " ± " + String(format: format, $0) + suffix } ?? head
    }

    /// The median with `digits` decimals, or `—`.
    package func medianText(digits: Int = 1, suffix: String = "") -> String {
        median.map { String(format: "%.\(digits)f", $0) + suffix } ?? "—"
    }
}
