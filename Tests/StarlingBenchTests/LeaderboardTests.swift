import Foundation
import StarlingTestSupport
@testable import StarlingBench
import StarlingCore
import Testing

@Suite struct LeaderboardTests {
    /// A leaderboard of `n` teams where the team at position p (1 = best) scored n − p + 1.
    func board(_ n: Int, direction: Direction = .higher) -> Leaderboard {
        let scores = (1...n).map { Double(direction == .higher ? n - $0 + 1 : $0) }
        return Leaderboard(scores: scores.reversed(), direction: direction)
    }

    /// The score at a 1-based position of ``board(_:direction:)``.
    func at(_ position: Int, of n: Int) -> Double { Double(n - position + 1) }

    @Test("Kaggle's progression rules for each leaderboard size, as MLE-bench applies them",
          arguments: [(10, 1, 2, 4), (99, 9, 19, 39), (150, 10, 30, 60), (500, 11, 50, 100), (2000, 14, 100, 200)])
    func thresholdPositions(n: Int, gold: Int, silver: Int, bronze: Int) {
        let thresholds = board(n).thresholds()
        #expect(thresholds.gold == at(gold, of: n))
        #expect(thresholds.silver == at(silver, of: n))
        #expect(thresholds.bronze == at(bronze, of: n))
        #expect(thresholds.median == Double(n + 1) / 2)
    }

    @Test func medalsAreExclusiveAndReachingAThresholdCounts() {
        let thresholds = MedalThresholds(gold: 0.9, silver: 0.8, bronze: 0.7, median: 0.6)
        #expect(thresholds.medals(for: 0.9, direction: .higher) == (true, false, false, true))
        #expect(thresholds.medals(for: 0.85, direction: .higher) == (false, true, false, true))
        #expect(thresholds.medals(for: 0.7, direction: .higher) == (false, false, true, true))
        #expect(thresholds.medals(for: 0.6, direction: .higher) == (false, false, false, false))
        let errors = MedalThresholds(gold: 0.1, silver: 0.2, bronze: 0.3, median: 0.5)
        #expect(errors.medals(for: 0.15, direction: .lower) == (false, true, false, true))
        #expect(errors.medals(for: 0.5, direction: .lower) == (false, false, false, false))
    }

    @Test func readsLeaderboardFilesAndSortsBestFirst() throws {
        let folder = try TemporaryFolder()
        let url = try folder.write("leaderboard.csv", "teamName,score\nb,0.30\na,0.10\nc,0.20\nd,\n")
        let lower = try Leaderboard.read(contentsOf: url, direction: .lower)
        #expect(lower.scores == [0.1, 0.2, 0.3])
        #expect(lower.thresholds().gold == 0.1)
        #expect(try Leaderboard.read(contentsOf: url, direction: .higher).scores == [0.3, 0.2, 0.1])
        let broken = try folder.write("bad.csv", "team,points\na,1\n")
        #expect(throws: GradingError.self) { try Leaderboard.read(contentsOf: broken, direction: .higher) }
    }

    @Test func lowerIsBetterFollowsMLEBenchsFirstVersusLastRule() {
        #expect(Leaderboard.isLowerBetter(writtenScores: [0.1, 0.5, 0.9]))
        #expect(!Leaderboard.isLowerBetter(writtenScores: [0.9, 0.5, 0.1]))
    }
}
