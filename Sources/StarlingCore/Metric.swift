/// The metrics Starling can grade. Raw values follow MLE-bench grader names where one exists.
///
/// What Starling knows of a metric besides its scorer is one row of ``facts``: adding a metric
/// is a new case here, its row (the switch has no `default:`, so the compiler asks for it) and
/// its scorer (`Grader` in StarlingBench; `tasks/tools/score.py` for the cross-check).
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

    /// The metric's row of the table.
    public var facts: MetricFacts {
        switch self {
        case .accuracy:
            MetricFacts(.higher, .label, aliases: ["multi_class_classification_accuracy", "categorization_accuracy", "classification_accuracy"])
        case .balancedAccuracy:
            MetricFacts(.higher, .label, weighsClassesEqually: true)
        case .f1Binary:
            MetricFacts(.higher, .label, weighsClassesEqually: true, taskType: .binaryClassification, aliases: ["f1_score"])
        case .f1Macro:
            MetricFacts(.higher, .label, weighsClassesEqually: true, taskType: .multiclassClassification, aliases: ["macro_f1", "f1_macro_score"])
        case .f1Micro:
            MetricFacts(.higher, .label, taskType: .multiclassClassification, aliases: ["micro_f1"])
        case .rocAUC:
            MetricFacts(.higher, .probability, rankBased: true, taskType: .binaryClassification, overSeveralColumns: .rocAUCColumnMean,
                        aliases: ["auc", "auc_roc", "roc_auc_score", "area_under_roc_curve"])
        case .rocAUCOneVsRest:
            // Rows of class probabilities must sum to 1, so blends average the probabilities, not ranks.
            MetricFacts(.higher, .probability, classColumns: true, rowSumTolerance: 1e-8 + 1e-5, taskType: .multiclassClassification,
                        aliases: ["multiclass_roc_auc", "roc_auc_multiclass"])
        case .rocAUCColumnMean:
            MetricFacts(.higher, .probability, rankBased: true, taskType: .multiclassClassification,
                        aliases: ["column_wise_roc_auc", "mean_column_wise_roc_auc", "mean_columnwise_roc_auc", "multi_label_roc_auc"])
        case .logLoss:
            MetricFacts(.lower, .probability, rewardsCalibration: true, taskType: .binaryClassification, overSeveralColumns: .multiClassLogLoss,
                        aliases: ["logloss", "binary_log_loss", "binary_logloss"])
        case .multiClassLogLoss:
            MetricFacts(.lower, .probability, classColumns: true, rewardsCalibration: true, rowSumTolerance: 1e-6 + 1e-5,
                        taskType: .multiclassClassification,
                        aliases: ["multi_class_logloss", "multiclass_log_loss", "multiclass_logloss", "categorical_cross_entropy"])
        case .rmse:
            MetricFacts(.lower, .number, taskType: .regression, aliases: ["root_mean_squared_error"])
        case .rmsle:
            MetricFacts(.lower, .number, taskType: .regression, overSeveralColumns: .columnMeanRMSLE,
                        aliases: ["root_mean_squared_log_error", "root_mean_squared_logarithmic_error"])
        case .columnMeanRMSLE:
            MetricFacts(.lower, .number, taskType: .regression, aliases: ["mean_columnwise_rmsle", "column_wise_rmsle", "mean_column_wise_rmsle"])
        case .mae:
            MetricFacts(.lower, .number, taskType: .regression, aliases: ["mean_absolute_error"])
        case .r2:
            MetricFacts(.higher, .number, taskType: .regression, aliases: ["r2_score"])
        case .quadraticWeightedKappa:
            MetricFacts(.higher, .label, taskType: .multiclassClassification, aliases: ["qwk", "quadratic_kappa", "cohen_kappa_quadratic"])
        case .mapAtK:
            MetricFacts(.higher, .itemList, taskType: .multiclassClassification, aliases: ["map@k", "mapk", "map_k", "mean_average_precision_at_k"])
        }
    }

    /// The usual direction for this metric. Tasks still state theirs; this is only used to
    /// check that a task's stated direction is not a typo.
    public var conventionalDirection: Direction { facts.direction }

    /// What a submission for this metric holds in its prediction columns.
    public var submissionValueKind: SubmissionValueKind { facts.values }

    /// Whether submissions hold one probability column per class (the columns are named after
    /// the classes) rather than one column per target.
    public var predictsClassColumns: Bool { facts.classColumns }

    /// Whether the metric weighs every class alike whatever its size (so a model fitted for plain
    /// accuracy underrates the small ones, and reweighting the classes is the first decision to try).
    public var weighsClassesEqually: Bool { facts.weighsClassesEqually }

    /// The metric a grader name stands for: the raw value or one of the aliases, after
    /// lower-casing and reading spaces and dashes as `_` (`Log Loss`, `auc-roc`).
    public init?(graderName: String) {
        let key = graderName.lowercased().map { "- ".contains($0) ? "_" : $0 }.reduce(into: "") { $0.append($1) }
        guard let metric = Metric(rawValue: key) ?? Metric.allCases.first(where: { $0.facts.aliases.contains(key) }) else { return nil }
        self = metric
    }
}

/// What a submission's prediction columns hold for a metric; decides how they are validated,
/// blended and asked for.
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

/// One row of the metric table (``Metric/facts``): everything but the scorer.
public struct MetricFacts: Sendable, Hashable {
    /// The direction that is better.
    public var direction: Direction
    /// What the prediction columns hold.
    public var values: SubmissionValueKind
    /// One probability column per class (named after the classes) instead of one per target.
    public var classColumns: Bool
    /// Every class weighs alike whatever its size: class weighting is the first decision to try.
    public var weighsClassesEqually: Bool
    /// Only the order of the predictions counts: blends average ranks.
    public var rankBased: Bool
    /// Calibrated probabilities score better: a recalibration on out-of-fold predictions may pay.
    public var rewardsCalibration: Bool
    /// How far a row of class probabilities may sum from 1, as `numpy.isclose(sum, 1)` sees it
    /// (atol + rtol·1), for the metrics whose grader checks it: one-vs-rest ROC AUC with numpy's
    /// defaults (1e-8, 1e-5); multi-class log loss with MLE-bench's `atol=1e-6` (dog-breed, leaf
    /// and spooky reject such rows rather than renormalising them). `nil`: rows are not checked.
    public var rowSumTolerance: Double?
    /// The task type the metric implies; `nil`: binary or multi-class by the number of labels.
    public var taskType: TaskType?
    /// The metric a grader means by this one over several target columns; `nil`: this one.
    public var overSeveralColumns: Metric?
    /// Other names graders give it (lower-case, `_` for spaces and dashes).
    public var aliases: [String]

    /// A row; only what differs from the common case is given.
    public init(_ direction: Direction, _ values: SubmissionValueKind, classColumns: Bool = false, weighsClassesEqually: Bool = false,
                rankBased: Bool = false, rewardsCalibration: Bool = false, rowSumTolerance: Double? = nil, taskType: TaskType? = nil,
                overSeveralColumns: Metric? = nil, aliases: [String] = []) {
        self.direction = direction
        self.values = values
        self.classColumns = classColumns
        self.weighsClassesEqually = weighsClassesEqually
        self.rankBased = rankBased
        self.rewardsCalibration = rewardsCalibration
        self.rowSumTolerance = rowSumTolerance
        self.taskType = taskType
        self.overSeveralColumns = overSeveralColumns
        self.aliases = aliases
    }
}
