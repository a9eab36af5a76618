public import StarlingCore

/// How the submitted script was chosen by cross-validation, for the summary and the report:
/// its fold score with an interval, its paired gain over the best unchanged card example, and
/// whether it won by more than its noise over the runner-up.
public struct CrossValidatedChoice: Sendable, Hashable, Codable {
    /// K.
    public var folds: Int
    /// The submitted node's mean fold score.
    public var score: Double
    /// Its standard error.
    public var standardError: Double
    /// `folds`, or `nested` for a stack.
    public var method: String
    /// The best cross-validated unchanged card example, when there is one.
    public var bestExampleNodeID: Int?
    /// The submitted node's paired gain over that example (`nil` when it is that example).
    public var gainOverBestExample: PairedGain?
    /// The next best cross-validated solution.
    public var runnerUpNodeID: Int?
    /// The submitted node's paired gain over the runner-up.
    public var gainOverRunnerUp: PairedGain?

    /// Creates a record.
    public init(folds: Int, score: Double, standardError: Double, method: String, bestExampleNodeID: Int? = nil,
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
    public var withinNoiseOfRunnerUp: Bool { gainOverRunnerUp.map { !$0.beatsNoise } ?? false }

    /// One line for people: `0.85121 ± 0.0031 (5-fold CV); over the best card example (node 2) +0.004 ± 0.002; ...`.
    public var line: String {
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
