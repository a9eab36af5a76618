/// How a search runs. Defaults follow the MLE-STAR paper: M=4 retrieved models, T=4 outer
/// refinement rounds, K=4 inner steps, R=5 ensemble rounds, L=2 parallel solution branches.
package struct AgentSettings: Sendable, Hashable, Codable {
    /// Candidate models retrieved and drafted (M).
    package var candidates = 4
    /// Outer refinement rounds per branch: ablation → block → inner loop (T).
    package var refineRounds = 4
    /// Inner steps per outer round: plans tried on the chosen block (K).
    package var innerSteps = 4
    /// Ensemble rounds over the branches' final scripts (R).
    package var ensembleRounds = 5
    /// Parallel solution branches (L).
    package var branches = 2
    /// Steps of the AIDE strategy's tree search.
    package var aideSteps = 20
    /// Debug attempts after a failed script, per step.
    package var debugRounds = 2
    /// Run the LLM data-leakage review of the best script of each branch.
    package var leakageReview = true
    /// Run the data-usage check (files the script never reads).
    package var dataUsageCheck = true
    /// Rerun the final script with shuffled labels to catch leaks the review missed.
    package var labelShuffleCheck = true
    /// Seconds one script may run.
    package var scriptTimeoutSeconds: Double = 300
    /// Memory limit per script in MiB.
    package var scriptMemoryMB = 6144
    /// Cores each script may use.
    package var coresPerScript = 1
    /// Cores all concurrent scripts share.
    package var totalCores = 2
    /// Completion tokens for a code reply.
    package var maxCodeTokens = 2048
    /// Sampling temperature for drafts; plans and fixes use 0.
    package var temperature = 0.0
    /// How the model changes scripts; `auto` is function edits for local models.
    package var editFormat = EditFormat.auto
    /// Exploration tool calls a repository reading may make before code is written.
    package var repoTurns = 6
    /// Scripts a repo task may write (the first and its fixes).
    package var repoAttempts = 4
    /// Folds of the cross-validation every solution gets on the view's training rows (K); 0 or
    /// 1 turns it off, and the hidden dev rows alone decide (the way of runs before it).
    package var cvFolds = 5
    /// Keep and use lessons across runs (``LessonStore`` in Starling's home); off for a control
    /// run that must not learn from, or teach, other runs.
    package var memory = true
    /// Offer the pretrained model zoo to the run's scripts (when installed); off for a control
    /// run that reads images as pixels.
    package var zoo = true
    /// Settings the tuning action tries on the best card example (each a cross-validated node; 0 turns it off).
    package var tuneTrials = 4

    enum CodingKeys: String, CodingKey {
        case candidates, refineRounds, innerSteps, ensembleRounds, branches, aideSteps, debugRounds, leakageReview
        case dataUsageCheck, labelShuffleCheck, scriptTimeoutSeconds, scriptMemoryMB, coresPerScript, totalCores
        case maxCodeTokens, temperature, editFormat, repoTurns, repoAttempts, cvFolds, memory, tuneTrials, zoo
    }

    /// Decodes settings; keys missing from older run files keep their defaults.
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = AgentSettings()
        candidates = try c.decodeIfPresent(Int.self, forKey: .candidates) ?? d.candidates
        refineRounds = try c.decodeIfPresent(Int.self, forKey: .refineRounds) ?? d.refineRounds
        innerSteps = try c.decodeIfPresent(Int.self, forKey: .innerSteps) ?? d.innerSteps
        ensembleRounds = try c.decodeIfPresent(Int.self, forKey: .ensembleRounds) ?? d.ensembleRounds
        branches = try c.decodeIfPresent(Int.self, forKey: .branches) ?? d.branches
        aideSteps = try c.decodeIfPresent(Int.self, forKey: .aideSteps) ?? d.aideSteps
        debugRounds = try c.decodeIfPresent(Int.self, forKey: .debugRounds) ?? d.debugRounds
        leakageReview = try c.decodeIfPresent(Bool.self, forKey: .leakageReview) ?? d.leakageReview
        dataUsageCheck = try c.decodeIfPresent(Bool.self, forKey: .dataUsageCheck) ?? d.dataUsageCheck
        labelShuffleCheck = try c.decodeIfPresent(Bool.self, forKey: .labelShuffleCheck) ?? d.labelShuffleCheck
        scriptTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .scriptTimeoutSeconds) ?? d.scriptTimeoutSeconds
        scriptMemoryMB = try c.decodeIfPresent(Int.self, forKey: .scriptMemoryMB) ?? d.scriptMemoryMB
        coresPerScript = try c.decodeIfPresent(Int.self, forKey: .coresPerScript) ?? d.coresPerScript
        totalCores = try c.decodeIfPresent(Int.self, forKey: .totalCores) ?? d.totalCores
        maxCodeTokens = try c.decodeIfPresent(Int.self, forKey: .maxCodeTokens) ?? d.maxCodeTokens
        temperature = try c.decodeIfPresent(Double.self, forKey: .temperature) ?? d.temperature
        editFormat = try c.decodeIfPresent(EditFormat.self, forKey: .editFormat) ?? d.editFormat
        repoTurns = try c.decodeIfPresent(Int.self, forKey: .repoTurns) ?? d.repoTurns
        repoAttempts = try c.decodeIfPresent(Int.self, forKey: .repoAttempts) ?? d.repoAttempts
        cvFolds = try c.decodeIfPresent(Int.self, forKey: .cvFolds) ?? d.cvFolds
        memory = try c.decodeIfPresent(Bool.self, forKey: .memory) ?? d.memory
        zoo = try c.decodeIfPresent(Bool.self, forKey: .zoo) ?? d.zoo
        tuneTrials = try c.decodeIfPresent(Int.self, forKey: .tuneTrials) ?? d.tuneTrials
    }

    /// Creates settings with the paper's defaults.
    package init() {}
}
