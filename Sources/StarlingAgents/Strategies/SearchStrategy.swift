import StarlingCore

/// A search over solution scripts. Strategies are values; the journal's node tree is their shared
/// state, so any strategy can be resumed and reported the same way.
package protocol SearchStrategy: Sendable {
    /// The name used on the command line and in reports, e.g. `"mle-star"`.
    var name: String { get }

    /// Searches until done or out of budget.
    ///
    /// - Parameter context: The shared search core.
    /// - Returns: The best solution found, or `nil` when none worked.
    /// - Throws: Cancellation, or errors that make the search impossible.
    func search(in context: SearchContext) async throws -> Node?
}
