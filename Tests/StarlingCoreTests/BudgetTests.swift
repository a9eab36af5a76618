import Testing
@testable import StarlingCore

@Suite struct BudgetTests {
    @Test func aBudgetWithoutLimitsIsNeverExhausted() {
        #expect(Budget().exhausted(by: Spend(elapsedSeconds: 1e9, tokens: Int.max, costUSD: 1e9)) == nil)
    }

    @Test func theFirstLimitReachedStopsTheSearch() {
        let budget = Budget(wallSeconds: 600, maxTokens: 10_000, maxCostUSD: 2, reserveSeconds: 100)
        #expect(budget.exhausted(by: Spend(elapsedSeconds: 499, tokens: 9_999, costUSD: 1.99)) == nil)
        #expect(budget.exhausted(by: Spend(elapsedSeconds: 500)) == "time", "the reserve comes off the wall-clock limit")
        #expect(budget.exhausted(by: Spend(costUSD: 2)) == "cost")
        #expect(budget.exhausted(by: Spend(elapsedSeconds: 550, tokens: 20_000)) == "time", "time is checked first")
    }

    @Test func shortRunsGetShorterScriptsAndASmallerReserve() {
        // 10 minutes: a script may take at most a fifth (120 s), the reserve is a quarter (150 s).
        let timeout = Budget.scriptTimeout(forWall: 600, standard: 600)
        #expect(timeout == 120)
        #expect(Budget.finalRunReserve(wall: 600, scriptTimeout: timeout) == 150)
        // 2 minutes: never under a minute per script.
        #expect(Budget.scriptTimeout(forWall: 120, standard: 600) == 60)
        // 4 hours: the standard timeout, and a reserve of one timeout plus a minute.
        #expect(Budget.scriptTimeout(forWall: 14_400, standard: 600) == 600)
        #expect(Budget.finalRunReserve(wall: 14_400, scriptTimeout: 600) == 660)
    }

    @Test func aNewWallClockLimitResizesTheFinalReserve() {
        // A 10-minute run (scripts up to 120 s, 150 s kept back) resumed with other limits.
        let started = Budget(wallSeconds: 600, scriptTimeoutSeconds: 120, reserveSeconds: 150)
        let shorter = started.withWall(120)
        #expect(shorter.wallSeconds == 120 && shorter.reserveSeconds == 30, "a quarter of 2 minutes, not the old 150 s")
        let longer = started.withWall(3600)
        #expect(longer.reserveSeconds == 180, "one script timeout and a minute")
        #expect(longer.scriptTimeoutSeconds == 120 && longer.maxTokens == started.maxTokens)
        // Resuming with the old limit changes nothing.
        #expect(started.withWall(600) == started)
    }

    @Test func aRunsBudgetIsSizedFromItsWallClockLimitInOnePlace() {
        // What `starling run --time 10m` gets with the settings' 300 s scripts.
        let tenMinutes = Budget.forWall(600, standardScriptTimeout: 300, maxTokens: 5_000)
        #expect(tenMinutes == Budget(wallSeconds: 600, maxTokens: 5_000, scriptTimeoutSeconds: 120, reserveSeconds: 150))
        // A timeout the user set is kept, and the reserve follows it.
        let ownTimeout = Budget.forWall(3_600, standardScriptTimeout: 300, scriptTimeout: 900)
        #expect(ownTimeout.scriptTimeoutSeconds == 900 && ownTimeout.reserveSeconds == 900)
        // No limit: the standard timeout and no reserve.
        let open = Budget.forWall(nil, standardScriptTimeout: 300)
        #expect(open.wallSeconds == nil && open.scriptTimeoutSeconds == 300 && open.reserveSeconds == 0)
        // Sizing a budget twice (the bench sizes the settings, the cell's run sizes them again) changes nothing.
        #expect(Budget.forWall(600, standardScriptTimeout: tenMinutes.scriptTimeoutSeconds) == Budget(wallSeconds: 600, scriptTimeoutSeconds: 120, reserveSeconds: 150))
    }
}
