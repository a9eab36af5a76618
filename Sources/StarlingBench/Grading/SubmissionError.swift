/// A submission that cannot be graded, with the first problems found.
package struct SubmissionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The submission file, or a description of where the table came from.
    package var file: String
    /// The first problems, in file order within each kind of check.
    package var problems: [SubmissionProblem]
    /// How many problems there are in all; more than `problems.count` when the list was cut.
    package var totalCount: Int

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - file: Where the submission came from.
    ///   - problems: Problems to show.
    ///   - totalCount: All problems found; defaults to the number shown.
    package init(file: String, problems: [SubmissionProblem], totalCount: Int? = nil) {
        self.file = file
        self.problems = problems
        self.totalCount = max(totalCount ?? problems.count, problems.count)
    }

    package var description: String {
        var lines = ["\(file): invalid submission (\(totalCount) problem\(totalCount == 1 ? "" : "s"))"]
        lines += problems.map { "  - \($0)" }
        if totalCount > problems.count { lines.append("  … and \(totalCount - problems.count) more") }
        return lines.joined(separator: "\n")
    }
}
