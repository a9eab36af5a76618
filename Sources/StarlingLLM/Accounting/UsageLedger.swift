import Foundation

/// One model call as accounted.
package struct LLMCallRecord: Sendable, Hashable, Codable {
    /// `provider:model`.
    package var model: String
    /// What the call was for (`coder`, `planner`, ...), when the caller said.
    package var role: String?
    /// Tokens used.
    package var usage: TokenUsage
    /// Seconds the call took.
    package var latency: TimeInterval
    /// Whether the reply came from the cache (it then costs nothing).
    package var fromCache: Bool
    /// Dollars, or `nil` when the model has no price in the table.
    package var cost: Double?
    /// When the call finished.
    package var date: Date
}

/// Totals over many calls.
package struct LLMUsageTotals: Sendable, Hashable, Codable {
    /// Calls made, cache hits included.
    package var calls = 0
    /// Calls answered from the cache.
    package var cacheHits = 0
    /// Tokens of calls that reached a provider.
    package var usage = TokenUsage()
    /// Tokens of replies served from the cache (not paid for).
    package var cachedUsage = TokenUsage()
    /// Seconds spent in calls.
    package var latency: TimeInterval = 0
    /// Dollars for calls whose model has a price.
    package var cost: Double = 0
    /// Calls whose model had no price, so `cost` leaves them out.
    package var unpricedCalls = 0

    /// Creates empty totals.
    package init() {}

    mutating func add(_ record: LLMCallRecord) {
        calls += 1
        latency += record.latency
        if record.fromCache {
            cacheHits += 1
            cachedUsage = cachedUsage + record.usage
            return
        }
        usage = usage + record.usage
        if let cost = record.cost { self.cost += cost } else { unpricedCalls += 1 }
    }
}

/// Accounts for model calls: every call, and totals overall and per model. Shared by the
/// clients of a run; the agent and the journal read it.
package actor UsageLedger {
    /// Every call, in order.
    package private(set) var records: [LLMCallRecord] = []
    /// Totals over all calls.
    package private(set) var totals = LLMUsageTotals()
    /// Totals per `provider:model`.
    package private(set) var totalsByModel: [String: LLMUsageTotals] = [:]
    /// The prices that cost is computed from.
    package nonisolated let prices: PriceTable

    /// Creates an empty ledger.
    ///
    /// - Parameter prices: The prices to cost calls with.
    package init(prices: PriceTable) {
        self.prices = prices
    }

    /// Records one call and returns its record, cost included.
    ///
    /// - Parameters:
    ///   - response: The reply.
    ///   - model: The model called.
    ///   - role: What the call was for.
    /// - Returns: The record stored.
    @discardableResult
    package func record(_ response: ChatResponse, model: ModelRef, role: String? = nil) -> LLMCallRecord {
        let cost = response.fromCache ? 0 : prices.cost(of: response.usage, model: model)
        let record = LLMCallRecord(model: model.description, role: role, usage: response.usage, latency: response.latency,
                                   fromCache: response.fromCache, cost: cost, date: Date())
        records.append(record)
        totals.add(record)
        totalsByModel[record.model, default: LLMUsageTotals()].add(record)
        return record
    }
}
