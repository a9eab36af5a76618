/// A metric that cannot be computed on the given values, for the same reasons scikit-learn
/// refuses them.
package struct MetricError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable codes, so callers can react without parsing messages.
    package enum Code: String, Sendable, Hashable, Codable {
        /// The arrays have different lengths or are empty.
        case shapeMismatch
        /// The truth holds a single class where the metric needs two.
        case singleClass
        /// More classes than the metric accepts (binary metric on multi-class labels).
        case tooManyClasses
        /// A value lies outside the metric's domain (negative for RMSLE, outside [0, 1] for a probability).
        case outOfDomain
        /// A value that should be a number is not one, or is NaN or infinite.
        case notANumber
        /// The metric is undefined on this input (R² with one sample, kappa with one label).
        case undefined
    }

    /// Which kind of problem.
    package var code: Code
    /// What is wrong, in the user's terms.
    package var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of problem.
    ///   - message: A readable explanation.
    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { message }
}
