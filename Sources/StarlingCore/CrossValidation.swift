import Foundation

/// A script's K-fold cross-validated score: one score per fold of the view's training rows,
/// each measured on the rows its fit never saw.
public struct CrossValidation: Sendable, Hashable, Codable {
    /// The score on each fold, fold 0 first; the folds are the same for every node of a run,
    /// so two nodes' scores can be compared fold by fold.
    public var foldScores: [Double]
    /// How the scores were had: `folds` (the script ran on each fold) or `nested` (a stack's
    /// weights chosen on the other folds' out-of-fold predictions, scored on this one).
    public var method: String

    /// Creates a record.
    public init(foldScores: [Double], method: String = "folds") {
        self.foldScores = foldScores
        self.method = method
    }

    /// The run journal's artifact key for node `id`'s cross-validation.
    public static func journalKey(node id: Int) -> String { "cv/\(id)" }

    /// The mean fold score.
    public var mean: Double { foldScores.isEmpty ? .nan : foldScores.reduce(0, +) / Double(foldScores.count) }

    /// The standard error of the mean fold score (sample standard deviation over √K).
    public var standardError: Double { Self.standardError(of: foldScores) }

    /// The gain of `self` over `other`, fold by fold, in the direction of the metric.
    ///
    /// - Returns: `nil` when the two were not scored on the same number of folds.
    public func gain(over other: CrossValidation, direction: Direction) -> PairedGain? {
        guard foldScores.count == other.foldScores.count, !foldScores.isEmpty else { return nil }
        let sign = direction == .higher ? 1.0 : -1.0
        let differences = zip(foldScores, other.foldScores).map { sign * ($0 - $1) }
        return PairedGain(mean: differences.reduce(0, +) / Double(differences.count), standardError: Self.standardError(of: differences),
                          folds: differences.count)
    }

    static func standardError(of values: [Double]) -> Double {
        guard values.count >= 2 else { return .infinity }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        return (variance / Double(values.count)).squareRoot()
    }
}

/// The paired gain of one script over another on the same folds, positive when it is better.
public struct PairedGain: Sendable, Hashable, Codable {
    /// The mean of the fold-by-fold differences (better is positive, whatever the metric's direction).
    public var mean: Double
    /// The standard error of that mean.
    public var standardError: Double
    /// The number of folds.
    public var folds: Int

    /// Whether the gain is larger than its noise: positive and above one standard error of the
    /// paired differences. A change that wins by less is as likely to lose on new rows.
    public var beatsNoise: Bool { mean > 0 && mean > standardError }

    /// `+0.0123 ± 0.0045`.
    public var text: String { String(format: "%+.4g ± %.2g", mean, standardError) }

    /// `beats its noise`, `within noise` or `worse beyond noise`.
    public var verdict: String {
        beatsNoise ? "beats its noise" : mean < 0 && -mean > standardError ? "worse beyond noise" : "within noise"
    }
}
