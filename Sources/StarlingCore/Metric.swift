/// The metrics Starling can grade. Raw values follow MLE-bench grader names where one exists.
public enum Metric: String, Sendable, Hashable, Codable, CaseIterable {
    case accuracy
    case balancedAccuracy = "balanced_accuracy"
    case f1Binary = "f1"
    case f1Macro = "f1_macro"
    case f1Micro = "f1_micro"
    case rocAUC = "roc_auc"
    case rocAUCOneVsRest = "roc_auc_ovr"
    case rocAUCColumnMean = "roc_auc_column_mean"
    case logLoss = "log_loss"
    case multiClassLogLoss = "multi_class_log_loss"
    case rmse
    case rmsle
    case columnMeanRMSLE = "column_mean_rmsle"
    case mae
    case r2
    case quadraticWeightedKappa = "quadratic_weighted_kappa"
    case mapAtK = "map_at_k"

    /// The usual direction for this metric. Tasks still state theirs; this is only used to
    /// check that a task's stated direction is not a typo.
    public var conventionalDirection: Direction {
        switch self {
        case .logLoss, .multiClassLogLoss, .rmse, .rmsle, .columnMeanRMSLE, .mae: .lower
        default: .higher
        }
    }

    /// Whether the metric weighs every class alike whatever its size (so a model fitted for plain
    /// accuracy underrates the small ones, and reweighting the classes is the first decision to try).
    public var weighsClassesEqually: Bool {
        switch self {
        case .balancedAccuracy, .f1Macro, .f1Binary: true
        default: false
        }
    }
}
