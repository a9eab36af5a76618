/// The partial-credit schedule: how much an execution earns for how far it got, so that an
/// almost working program earns more than one that fails at loading its data.
///
/// | furthest stage reached | credit |
/// | --- | --- |
/// | none (syntax error, crash before reading `input/`) | 0.0 |
/// | data loaded | 0.1 |
/// | model fitted | 0.2 |
/// | predictions made | 0.3 |
/// | submission written | 0.4 |
/// | submission valid | 0.5 |
/// | graded | 0.5 + 0.5 × score, the score mapped into [0, 1] |
///
/// Credit follows the furthest stage, not the sum: a stage the probe missed (a custom training
/// loop) costs nothing once a later stage is reached. A graded submission always earns at least
/// 0.5, more than any failing script.
package enum PartialCredit {
    /// Credit for each stage, in stage order.
    package static let stageCredit: [ExecutionStage: Double] = [
        .dataLoaded: 0.1, .modelFitted: 0.2, .predictionsMade: 0.3, .submissionWritten: 0.4, .submissionValid: 0.5,
    ]

    /// Credit for an execution that was not graded.
    ///
    /// - Parameter stages: The stages it reached.
    /// - Returns: The credit of the furthest stage, 0 when none.
    package static func credit(for stages: StageReport) -> Double {
        stages.furthest.flatMap { stageCredit[$0] } ?? 0
    }

    /// Credit for a graded execution.
    ///
    /// - Parameter unitScore: The score mapped into [0, 1] (a position score); clipped.
    /// - Returns: `0.5 + 0.5 × unitScore`.
    package static func credit(gradedWith unitScore: Double) -> Double {
        0.5 + 0.5 * min(1, max(0, unitScore.isNaN ? 0 : unitScore))
    }
}
