import StarlingCore

/// How the submitted script was chosen by cross-validation, for the summary and the report:
/// its fold score with an interval, its paired gain over the best unchanged card example, and
/// whether it won by more than its noise over the runner-up.
package struct CrossValidatedChoice: Sendable, Hashable, Codable {
    /// K.
    package var folds: Int
    /// The submitted node's mean fold score.
    package var score: Double
    /// Its standard error.
    package var standardError: Double
    /// `folds`, or `nested` for a stack.
    package var method: String
    /// The best cross-validated unchanged card example, when there is one.
    package var bestExampleNodeID: Int?
    /// The submitted node's paired gain over that example (`nil` when it is that example).
    package var gainOverBestExample: PairedGain?
    /// The next best cross-validated solution.
    package var runnerUpNodeID: Int?
    /// The submitted node's paired gain over the runner-up.
    package var gainOverRunnerUp: PairedGain?

    /// Creates a record.
    package init(folds: Int, score: Double, standardError: Double, method: String, bestExampleNodeID: Int? = nil,
                gainOverBestExample: PairedGain? = nil, runnerUpNodeID: Int? = nil, gainOverRunnerUp: PairedGain? = nil) {
        self.folds = folds
        self.score = score
        self.standardError = standardError
        self.method = method
        self.bestExampleNodeID = bestExampleNodeID
        self.gainOverBestExample = gainOverBestExample
        self.runnerUpNodeID = runnerUpNodeID
        self.gainOverRunnerUp = gainOverRunnerUp
    }

    /// Whether the choice over the runner-up was within noise (a coin toss on new rows).
    package var withinNoiseOfRunnerUp: Bool { gainOverRunnerUp.map { !$0.beatsNoise } ?? false }

    /// One line for people: `0.85121 ± 0.0031 (5-fold CV); over the best card example (node 2) +0.004 ± 0.002; ...`.
    package var line: String {
        var parts = [String(format: "%.5g ± %.2g (%d-fold %@)", score, standardError, folds, method == "nested" ? "nested CV" : "CV")]
        if let gain = gainOverBestExample, let id = bestExampleNodeID {
            parts.append("over the best card example (node \(id)) \(gain.text)\(gain.beatsNoise ? "" : ", within noise")")
        } else if bestExampleNodeID != nil {
            parts.append("it is the best card example")
        }
        if let gain = gainOverRunnerUp, let id = runnerUpNodeID {
            parts.append("over the runner-up (node \(id)) \(gain.text)" + (gain.beatsNoise ? "" : ": WITHIN NOISE, the choice is a coin toss on new rows"))
        }
        return parts.joined(separator: "; ")
    }
}
