/// One thing wrong with a submission file, located as precisely as possible.
package struct SubmissionProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 1-based line in the submission file, when the problem belongs to one row.
    package var line: Int?
    /// The column concerned, when there is one.
    package var column: String?
    /// What is wrong and what was expected.
    package var message: String

    package var description: String {
        switch (line, column) {
        case let (line?, column?): "line \(line), column '\(column)': \(message)"
        case let (line?, nil): "line \(line): \(message)"
        case let (nil, column?): "column '\(column)': \(message)"
        case (nil, nil): message
        }
    }
}
