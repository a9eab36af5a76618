import Testing
@testable import StarlingCore

@Suite struct DirectionTests {
    @Test func higherPrefersLargerScores() {
        #expect(Direction.higher.isBetter(0.9, than: 0.8))
        #expect(!Direction.higher.isBetter(0.8, than: 0.8))
        #expect(Direction.higher.best(of: [0.1, .nan, 0.7, 0.3]) == 0.7)
    }

    @Test func lowerPrefersSmallerScores() {
        #expect(Direction.lower.isBetter(0.1, than: 0.2))
        #expect(Direction.lower.best(of: [0.5, 0.2, .nan, 0.9]) == 0.2)
        #expect(Direction.lower.best(of: []) == nil)
    }

    @Test func gapClosedWorksForBothDirections() {
        var spec = TaskSpec(id: "t", name: "t", metric: .rmse, direction: .lower, taskType: .regression,
                            idColumn: "id", targetColumns: ["y"],
                            baseline: RecordedScore(value: 10, source: "test"),
                            reference: RecordedScore(value: 6, source: "test"))
        #expect(spec.gapClosed(by: 8) == 50)
        #expect(spec.gapClosed(by: 12) == -50)
        spec.metric = .accuracy
        spec.direction = .higher
        spec.baseline = RecordedScore(value: 0.5, source: "test")
        spec.reference = RecordedScore(value: 0.9, source: "test")
        #expect(abs(spec.gapClosed(by: 0.8)! - 75) < 1e-9)
        spec.reference = RecordedScore(value: 0.5, source: "test")
        #expect(spec.gapClosed(by: 0.8) == nil)
    }

    @Test func budgetKeepsTheReserve() {
        let budget = Budget(wallSeconds: 100, maxTokens: 1000, reserveSeconds: 20)
        #expect(budget.exhausted(by: Spend(elapsedSeconds: 79)) == nil)
        #expect(budget.exhausted(by: Spend(elapsedSeconds: 80)) == "time")
        #expect(budget.exhausted(by: Spend(elapsedSeconds: 1, tokens: 1000)) == "tokens")
    }
}
