import Foundation

/// One model call as accounted.
public struct LLMCallRecord: Sendable, Hashable, Codable {
    /// `provider:model`.
    public var model: String
    /// What the call was for (`coder`, `planner`, ...), when the caller said.
    public var role: String?
    /// Tokens used.
    public var usage: TokenUsage
    /// Seconds the call took.
    public var latency: TimeInterval
    /// Whether the reply came from the cache (it then costs nothing).
    public var fromCache: Bool
    /// Dollars, or `nil` when the model has no price in the table.
    public var cost: Double?
    /// When the call finished.
    public var date: Date
}

/// Totals over many calls.
public struct LLMUsageTotals: Sendable, Hashable, Codable {
    /// Calls made, cache hits included.
    public var calls = 0
    /// Calls answered from the cache.
    public var cacheHits = 0
    /// Tokens of calls that reached a provider.
    public var usage = TokenUsage()
    /// Tokens of replies served from the cache (not paid for).
    public var cachedUsage = TokenUsage()
    /// Seconds spent in calls.
    public var latency: TimeInterval = 0
    /// Dollars for calls whose model has a price.
    public var cost: Double = 0
    /// Calls whose model had no price, so `cost` leaves them out.
    public var unpricedCalls = 0

    /// Creates empty totals.
    public init() {}

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
public actor UsageLedger {
    /// Every call, in order.
    public private(set) var records: [LLMCallRecord] = []
    /// Totals over all calls.
    public private(set) var totals = LLMUsageTotals()
    /// Totals per `provider:model`.
    public private(set) var totalsByModel: [String: LLMUsageTotals] = [:]
    /// The prices that cost is computed from.
    public nonisolated let prices: PriceTable

    /// Creates an empty ledger.
    ///
    /// - Parameter prices: The prices to cost calls with.
    public init(prices: PriceTable) {
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
    public func record(_ response: ChatResponse, model: ModelRef, role: String? = nil) -> LLMCallRecord {
        let cost = response.fromCache ? 0 : prices.cost(of: response.usage, model: model)
        let record = LLMCallRecord(model: model.description, role: role, usage: response.usage, latency: response.latency,
                                   fromCache: response.fromCache, cost: cost, date: Date())
        records.append(record)
        totals.add(record)
        totalsByModel[record.model, default: LLMUsageTotals()].add(record)
        return record
    }
}
