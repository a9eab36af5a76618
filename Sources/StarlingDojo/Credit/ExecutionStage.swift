/// How far a script got, in the order a working solution passes through the stages. The first
/// three are seen inside the script's process by the stage probe; the last two are checked by
/// the harness after the run.
package enum ExecutionStage: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// A data file under `input/` (not the sample submission or the description) was opened
    /// for reading, or a polars/pyarrow reader was called.
    case dataLoaded = "data_loaded"
    /// `fit`/`partial_fit` ran on an object that can predict, or `lightgbm.train`,
    /// `xgboost.train` or `torch.Tensor.backward` ran.
    case modelFitted = "model_fitted"
    /// `predict`, `predict_proba`, `predict_log_proba` or `decision_function` ran on such an object.
    case predictionsMade = "predictions_made"
    /// `submission/submission.csv` exists after the run.
    case submissionWritten = "submission_written"
    /// The submission passed validation against the sample submission.
    case submissionValid = "submission_valid"

    /// The stage's position in the order above.
    package var rank: Int { Self.allCases.firstIndex(of: self)! }

    package static func < (lhs: ExecutionStage, rhs: ExecutionStage) -> Bool { lhs.rank < rhs.rank }
}
