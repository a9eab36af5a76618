/// The kind of prediction a task asks for; used to rank model cards and pick prompts.
public enum TaskType: String, Sendable, Hashable, Codable, CaseIterable {
    case binaryClassification = "binary_classification"
    case multiclassClassification = "multiclass_classification"
    case regression
    case text = "text_classification"
    case image = "image_classification"
    case timeSeries = "time_series_forecasting"
}

/// How the harness holds out dev rows from the agent's training data.
public enum DevSplit: String, Sendable, Hashable, Codable, CaseIterable {
    /// Rows chosen at random with a fixed seed.
    case random
    /// The last rows in file order, for time-ordered data.
    case tail
    /// No dev rows: nodes cannot be scored by the harness.
    case none
}
