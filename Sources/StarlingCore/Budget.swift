/// Limits on one agent run. `nil` means unlimited for that dimension.
public struct Budget: Sendable, Hashable, Codable {
    /// Wall-clock seconds for the whole run, including the final submission.
    public var wallSeconds: Double?
    /// Prompt plus completion tokens over all LLM calls.
    public var maxTokens: Int?
    /// US dollars over all LLM calls, priced from the price table.
    public var maxCostUSD: Double?
    /// Seconds one generated script may run before it is killed.
    public var scriptTimeoutSeconds: Double
    /// Seconds held back from the search so the final submission always gets written.
    public var reserveSeconds: Double

    /// Creates a budget.
    ///
    /// - Parameters:
    ///   - wallSeconds: Wall-clock limit for the run.
    ///   - maxTokens: Token limit over all LLM calls.
    ///   - maxCostUSD: Spending limit over all LLM calls.
    ///   - scriptTimeoutSeconds: Limit for one script execution.
    ///   - reserveSeconds: Time kept back for the final submission.
    public init(
        wallSeconds: Double? = nil,
        maxTokens: Int? = nil,
        maxCostUSD: Double? = nil,
        scriptTimeoutSeconds: Double = 600,
        reserveSeconds: Double = 0
    ) {
        self.wallSeconds = wallSeconds
        self.maxTokens = maxTokens
        self.maxCostUSD = maxCostUSD
        self.scriptTimeoutSeconds = scriptTimeoutSeconds
        self.reserveSeconds = reserveSeconds
    }

    /// Share of a wall-clock budget one script may take: a short run still fits several scripts.
    public static let scriptShareOfWall = 0.2
    /// The shortest script timeout a budget sets: less would kill ordinary model fits.
    public static let minimumScriptTimeout = 60.0
    /// Share of a wall-clock budget kept back for the final run, before any script has run
    /// (the search later shrinks it to what the best scripts need).
    public static let finalRunShareOfWall = 0.25
    /// Seconds on top of a script timeout the final run may need (grading, the report).
    public static let finalRunMargin = 60.0

    /// The script timeout under a wall-clock budget: `standard`, but at most ``scriptShareOfWall``
    /// of the budget (and at least ``minimumScriptTimeout``).
    public static func scriptTimeout(forWall wallSeconds: Double, standard: Double) -> Double {
        min(standard, max(minimumScriptTimeout, wallSeconds * scriptShareOfWall))
    }

    /// Seconds kept back from the search for the final run: ``finalRunShareOfWall`` of the
    /// budget, at most one script timeout and ``finalRunMargin``.
    public static func finalRunReserve(wall wallSeconds: Double, scriptTimeout: Double) -> Double {
        min(wallSeconds * finalRunShareOfWall, scriptTimeout + finalRunMargin)
    }

    /// The budget of a run under a wall-clock limit (or none): the one place `starling run`, the
    /// bench and the aideml peer size the script timeout and the final reserve (`resume` resizes
    /// them with ``withWall(_:)``).
    ///
    /// - Parameters:
    ///   - wallSeconds: The wall-clock limit; `nil` for none (no reserve).
    ///   - standardScriptTimeout: The settings' script timeout, cut to ``scriptShareOfWall`` of the limit.
    ///   - scriptTimeout: A timeout the user set, taken as it is.
    ///   - maxTokens: Token limit over all LLM calls.
    ///   - maxCostUSD: Spending limit over all LLM calls.
    public static func forWall(_ wallSeconds: Double?, standardScriptTimeout: Double, scriptTimeout: Double? = nil,
                               maxTokens: Int? = nil, maxCostUSD: Double? = nil) -> Budget {
        let timeout = scriptTimeout ?? wallSeconds.map { Self.scriptTimeout(forWall: $0, standard: standardScriptTimeout) } ?? standardScriptTimeout
        let reserve = wallSeconds.map { finalRunReserve(wall: $0, scriptTimeout: timeout) } ?? 0
        return Budget(wallSeconds: wallSeconds, maxTokens: maxTokens, maxCostUSD: maxCostUSD, scriptTimeoutSeconds: timeout, reserveSeconds: reserve)
    }

    /// This budget with a new wall-clock limit (a resumed run's `--time`): the final reserve is
    /// sized for the new limit, as a run started with it would have it.
    public func withWall(_ wallSeconds: Double) -> Budget {
        var budget = self
        budget.wallSeconds = wallSeconds
        budget.reserveSeconds = Self.finalRunReserve(wall: wallSeconds, scriptTimeout: scriptTimeoutSeconds)
        return budget
    }
}

/// What a run has spent so far, compared against a ``Budget``.
public struct Spend: Sendable, Hashable, Codable {
    /// Seconds since the run started.
    public var elapsedSeconds: Double = 0
    /// Tokens used over all LLM calls.
    public var tokens: Int = 0
    /// Dollars spent over all LLM calls.
    public var costUSD: Double = 0

    /// Creates an empty spend record.
    public init(elapsedSeconds: Double = 0, tokens: Int = 0, costUSD: Double = 0) {
        self.elapsedSeconds = elapsedSeconds
        self.tokens = tokens
        self.costUSD = costUSD
    }
}

extension Budget {
    /// Which limit, if any, `spend` has reached. Search stops at the first one; the reserve is
    /// subtracted from the wall-clock limit so the final step still fits.
    ///
    /// - Parameter spend: What the run has used.
    /// - Returns: A short reason such as `"time"`, or `nil` while there is room left.
    public func exhausted(by spend: Spend) -> String? {
        if let wallSeconds, spend.elapsedSeconds >= wallSeconds - reserveSeconds { return "time" }
        if let maxTokens, spend.tokens >= maxTokens { return "tokens" }
        if let maxCostUSD, spend.costUSD >= maxCostUSD { return "cost" }
        return nil
    }
}
