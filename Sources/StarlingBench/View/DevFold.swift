/// One fold of a K-fold split of a view's training rows, held out as the dev rows of a fold view
/// (``AgentViewBuilder/fold``).
///
/// A random fold is every `count`-th row of a seeded shuffle. A forward-chaining fold (``window``
/// set, for time series) is one of `count` consecutive windows at the end of the training rows,
/// fold 0 the earliest: its view trains on the rows before the window only, so no fold sees its
/// own future.
package struct DevFold: Sendable, Hashable, Codable {
    /// The fold, from 0.
    package var index: Int
    /// How many folds the training rows are cut into.
    package var count: Int
    /// Rows per window of a forward-chaining fold; `nil`: a random fold.
    package var window: Int?

    /// Fold `index` of `count`; forward-chaining windows of `window` rows when given.
    package init(index: Int, count: Int, window: Int? = nil) {
        self.index = index
        self.count = count
        self.window = window
    }
}
