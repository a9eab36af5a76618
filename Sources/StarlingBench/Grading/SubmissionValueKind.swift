import StarlingCore

/// What a submission's prediction columns hold for a metric; decides how they are validated.
public enum SubmissionValueKind: String, Sendable, Hashable, Codable {
    /// Class labels, any non-empty text.
    case label
    /// Probabilities, finite numbers in [0, 1].
    case probability
    /// Finite numbers.
    case number
    /// Space-separated ranked items (MAP@K); may be empty.
    case itemList
}

extension Metric {
    /// What a submission for this metric holds in its prediction columns.
    public var submissionValueKind: SubmissionValueKind {
        switch self {
        case .accuracy, .balancedAccuracy, .f1Binary, .f1Macro, .f1Micro, .quadraticWeightedKappa: .label
        case .rocAUC, .rocAUCOneVsRest, .rocAUCColumnMean, .logLoss, .multiClassLogLoss: .probability
        case .rmse, .rmsle, .columnMeanRMSLE, .mae, .r2: .number
        case .mapAtK: .itemList
        }
    }

    /// Whether submissions hold one probability column per class (the columns are named after
    /// the classes) rather than one column per target.
    public var predictsClassColumns: Bool {
        self == .rocAUCOneVsRest || self == .multiClassLogLoss
    }
}

/// Reads numbers from CSV fields the way pandas would: surrounding spaces ignored, `nan` and
/// `inf` recognised (so that they can be refused by name).
enum NumberField {
    static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        return Double(trimmed)
    }
}
