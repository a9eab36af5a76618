import Foundation
import StarlingCore
import StarlingLLM
import StarlingStore

/// The budget of a running search: what has been spent (time over all sessions, tokens and cost
/// from the journal), whether a limit is reached, and how much time the final step needs.
package final class RunBudget: Sendable {
    /// The limits.
    package let budget: Budget
    let journal: Journal
    let direction: Direction
    private let started: ContinuousClock.Instant
    private let priorSeconds: Double
    /// Whether the model answers; a model that does not ends the search like a spent budget.
    let reachability: ModelReachability?

    /// The final reserve is `reserveRunFactor` runs of the slowest of the best solutions plus
    /// `reserveOverheadSeconds`: the final rerun trains on a fifth more rows than the scored run,
    /// and the label-shuffle check runs it once more.
    static let reserveRunFactor = 2.5
    static let reserveOverheadSeconds = 20.0
    /// Never less than this, so a fast script still has room for grading and the report.
    static let minimumReserveSeconds = 30.0
    /// How many of the best solutions the final step may try (``FinalSubmission/maxCandidates``).
    static let finalCandidates = FinalSubmission.maxCandidates

    /// Creates the budget of a search that started now, after `priorSeconds` in earlier sessions.
    package init(budget: Budget, journal: Journal, direction: Direction, priorSeconds: Double = 0, reachability: ModelReachability? = nil) {
        self.reachability = reachability
        self.budget = budget
        self.journal = journal
        self.direction = direction
        self.started = .now
        self.priorSeconds = priorSeconds
    }

    /// Seconds spent on the run, earlier sessions included.
    package var elapsedSeconds: Double { priorSeconds + started.duration(to: .now).seconds }

    /// What has been spent.
    package func spend() -> Spend {
        let totals = (try? journal.llmTotals()) ?? LLMTotals()
        return Spend(elapsedSeconds: elapsedSeconds, tokens: totals.promptTokens + totals.completionTokens, costUSD: totals.costUSD)
    }

    /// The limit reached, if any. The wall-clock limit keeps back ``finalReserveSeconds``, not
    /// the budget's fixed reserve. A model that does not answer (``ModelReachability``) ends
    /// the search too: every later step would only wait for calls that fail.
    package func exhausted() -> String? {
        if let verdict = reachability?.unreachable { return verdict }
        var budget = self.budget
        budget.reserveSeconds = finalReserveSeconds
        return budget.exhausted(by: spend())
    }

    /// Seconds kept back for the final rerun and the label-shuffle check. Until a solution has
    /// run, the budget's reserve; then what the slowest of the best solutions needs (see
    /// ``reserveRunFactor``), never more than the budget's reserve. A 10-minute run of scripts
    /// that take 6 s keeps 35 s back, not 150 s.
    package var finalReserveSeconds: Double {
        let solutions = Self.solutions(in: journal)
        let ranked = solutions.sorted { direction.isBetter($0.harnessScore!, than: $1.harnessScore!) }
        // A stack may be submitted whatever its dev score (solutions rank by cross-validation),
        // and its final run runs every member.
        let stacks = solutions.filter { $0.origin == .stack || $0.origin == .decision }
        guard let slowest = (ranked.prefix(Self.finalCandidates) + stacks).compactMap(\.executionSeconds).max() else { return budget.reserveSeconds }
        return min(budget.reserveSeconds, max(Self.minimumReserveSeconds, Self.reserveRunFactor * slowest + Self.reserveOverheadSeconds))
    }

    /// Seconds the search may still run under the wall-clock limit (`nil` without one).
    package var searchSecondsLeft: Double? {
        budget.wallSeconds.map { $0 - finalReserveSeconds - elapsedSeconds }
    }

    /// Succeeded, scored nodes that are solutions (not ablation studies).
    static func solutions(in journal: Journal) -> [Node] {
        ((try? journal.nodes()) ?? []).map(\.node).filter { $0.status == .succeeded && $0.harnessScore != nil && $0.stage != .ablation }
    }
}
