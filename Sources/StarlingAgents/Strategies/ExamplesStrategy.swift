import StarlingCore
import StarlingRunFolder

/// The control every agent score stands beside: the retrieved model cards' example scripts,
/// unchanged, cross-validated, the best one tuned, then stacked on their out-of-fold
/// predictions: the same plan and harness as MLE-STAR, with no LLM call. What `mle-star` gains over it is the model's
/// marginal value.
package struct ExamplesStrategy: SearchStrategy {
    package let name = StrategyName.examples.rawValue

    /// Creates the strategy; it reads ``AgentSettings/candidates`` (cards to run).
    package init() {}

    /// Its line in the ``StrategyCatalogue``.
    package static let entry = StrategyCatalogue.Entry(
        name: StrategyName.examples.rawValue, usesModel: false,
        summary: "the control: card examples cross-validated, tuned and stacked, no LLM call") { _ in ExamplesStrategy() }

    package func search(in context: SearchContext) async throws -> Node? {
        let cards = try await context.retrieveCards(limit: context.settings.candidates)
        context.report("card examples, no LLM: " + cards.map(\.name).joined(separator: ", "), kind: .stage)
        _ = try await context.beforeEnsembleStage {
            _ = try await MLESTARStrategy.runExamples(cards, context: context)
            return try await context.tuneBestExample()
        }
        try await context.closingActions()
        return context.bestSolution()
    }
}
