/// One fold of a K-fold split of a view's training rows, held out as the dev rows of a fold view
/// (``AgentViewBuilder/fold``).
public struct DevFold: Sendable, Hashable, Codable {
    /// The fold, from 0.
    public var index: Int
    /// How many folds the training rows are cut into.
    public var count: Int

    /// Fold `index` of `count`.
    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }
}
