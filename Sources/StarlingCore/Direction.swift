/// Which way a metric improves. Always read from the task, never guessed from the metric name.
public enum Direction: String, Sendable, Hashable, Codable, CaseIterable {
    /// Larger scores are better (accuracy, AUC, F1).
    case higher
    /// Smaller scores are better (RMSE, log loss, MAE).
    case lower

    /// Whether `candidate` is strictly better than `incumbent` in this direction.
    ///
    /// - Parameters:
    ///   - candidate: The score being considered.
    ///   - incumbent: The score to beat.
    /// - Returns: `true` when `candidate` improves on `incumbent`.
    public func isBetter(_ candidate: Double, than incumbent: Double) -> Bool {
        switch self {
        case .higher: candidate > incumbent
        case .lower: candidate < incumbent
        }
    }

    /// The best of several scores in this direction, or `nil` for an empty list.
    ///
    /// - Parameter scores: Scores to compare; NaN values are ignored.
    /// - Returns: The best finite-or-infinite non-NaN score.
    public func best(of scores: [Double]) -> Double? {
        scores.filter { !$0.isNaN }.reduce(nil) { best, score in
            guard let best else { return score }
            return isBetter(score, than: best) ? score : best
        }
    }
}
