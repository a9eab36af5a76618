import Foundation
import StarlingCore
import Testing
@testable import StarlingDojo

@Suite struct RewardTests {
    let spec = TaskSpec(id: "t", name: "t", metric: .accuracy, direction: .higher, taskType: .binaryClassification, idColumn: "id",
                        targetColumns: ["y"], baseline: RecordedScore(value: 0.5, source: ""), reference: RecordedScore(value: 0.9, source: ""))

    func stages(_ reached: ExecutionStage...) -> StageReport {
        StageReport(reached: Dictionary(uniqueKeysWithValues: reached.map { ($0, 1.0) }))
    }

    @Test func scheduleFollowsTheFurthestStage() {
        #expect(PartialCredit.credit(for: StageReport()) == 0)
        #expect(PartialCredit.credit(for: stages(.dataLoaded)) == 0.1)
        #expect(PartialCredit.credit(for: stages(.dataLoaded, .modelFitted)) == 0.2)
        #expect(PartialCredit.credit(for: stages(.predictionsMade)) == 0.3, "a stage the probe missed costs nothing")
        #expect(PartialCredit.credit(for: stages(.dataLoaded, .submissionWritten)) == 0.4)
        #expect(PartialCredit.credit(for: stages(.submissionWritten, .submissionValid)) == 0.5)
        #expect(PartialCredit.credit(gradedWith: 0) == 0.5)
        #expect(PartialCredit.credit(gradedWith: 1) == 1)
        #expect(PartialCredit.credit(gradedWith: 7) == 1)
        #expect(PartialCredit.credit(gradedWith: .nan) == 0.5)
    }

    @Test func positionsComeFromTheLeaderboardOrTheCalibration() {
        let board = PositionScorer(basis: .leaderboard([0.9, 0.8, 0.7, 0.6]), direction: .higher)
        #expect(board.position(of: 0.95) == 1)
        #expect(board.position(of: 0.75) == 0.5)
        #expect(board.position(of: 0.8) == 0.625, "a tie counts half")
        #expect(board.position(of: 0.1) == 0)
        let lower = PositionScorer(basis: .leaderboard([1, 2, 3, 4]), direction: .lower)
        #expect(lower.position(of: 1.5) == 0.75)
        let calibrated = PositionScorer(basis: PositionScorer.calibrationBasis(spec), direction: .higher)
        #expect(abs(calibrated.position(of: 0.8)! - 0.75) < 1e-12)
        #expect(calibrated.position(of: 0.2) == 0)
        #expect(calibrated.position(of: 0.99) == 1)
        let none = PositionScorer(basis: .none, direction: .higher)
        #expect(none.position(of: 0.8) == nil)
        #expect(!none.isAvailable)
        #expect(none.explanation.contains("calibrate"))
    }

    @Test func rewardTableByModeAndPartialCredit() {
        let positions = PositionScorer(basis: PositionScorer.calibrationBasis(spec), direction: .higher)
        let failing = stages(.dataLoaded, .modelFitted)
        let valid = stages(.submissionWritten, .submissionValid)
        func reward(_ mode: ScoreMode, _ partial: Bool, _ raw: Double?, _ reached: StageReport) -> Double {
            RewardFunction(mode: mode, partialCredit: partial, spec: spec, positions: positions).reward(stages: reached, raw: raw)
        }
        #expect(abs(reward(.position, true, 0.8, valid) - 0.875) < 1e-12)
        #expect(abs(reward(.position, false, 0.8, valid) - 0.75) < 1e-12)
        #expect(reward(.position, true, nil, failing) == 0.2)
        #expect(reward(.position, false, nil, failing) == 0)
        #expect(abs(reward(.gap, false, 1.1, valid) - 1.5) < 1e-12, "gap is unbounded without partial credit: (1.1 − 0.5) / (0.9 − 0.5)")
        #expect(reward(.gap, true, 1.1, valid) == 1)
        #expect(reward(.gap, true, nil, failing) == 0.2)
        #expect(reward(.raw, true, 0.8, valid) == 0.8)
        #expect(reward(.raw, true, nil, failing) == 0, "raw mode gives failures nothing")
        let rmse = TaskSpec(id: "r", name: "r", metric: .rmse, direction: .lower, taskType: .regression, idColumn: "id", targetColumns: ["y"])
        let lowerIsBetter = RewardFunction(mode: .raw, partialCredit: true, spec: rmse, positions: PositionScorer(basis: .none, direction: .lower))
        #expect(lowerIsBetter.reward(stages: valid, raw: 3) == -3, "raw rewards are negated when lower is better")
        let any = RewardFunction(mode: .raw, partialCredit: true, spec: spec, positions: positions)
        #expect(any.partialCredit(stages: failing, raw: nil) == 0.2, "partial credit is reported in every mode")
        #expect(abs(any.partialCredit(stages: valid, raw: 0.8) - 0.875) < 1e-12)
    }
}
