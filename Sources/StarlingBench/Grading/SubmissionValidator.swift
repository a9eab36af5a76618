import StarlingCore

/// Checks a submission against the task's sample submission before grading: the same columns,
/// the same ids once each, the right number of rows, and values the metric can use.
package struct SubmissionValidator: Sendable {
    /// The sample submission that fixes columns and ids.
    package var sample: CSVTable
    /// The id column shared by sample and submission.
    package var idColumn: String
    /// The metric, which decides what prediction columns must hold.
    package var metric: Metric
    /// The columns a submission predicts (required under ``SubmissionRules/Columns/required``).
    package var targetColumns: [String]
    /// Which columns are required, id position, range of probabilities.
    package var rules: SubmissionRules
    /// How many problems to report at most; the total is still counted.
    package var problemLimit: Int

    /// Creates a validator.
    ///
    /// - Parameters:
    ///   - sample: The sample submission.
    ///   - idColumn: The id column.
    ///   - metric: The task's metric.
    ///   - targetColumns: The predicted columns (default: every sample column but the id).
    ///   - rules: How strictly to read the submission.
    ///   - problemLimit: Problems listed in an error.
    package init(sample: CSVTable, idColumn: String, metric: Metric, targetColumns: [String]? = nil,
                rules: SubmissionRules = .strict, problemLimit: Int = 10) {
        self.sample = sample
        self.idColumn = idColumn
        self.metric = metric
        self.targetColumns = targetColumns ?? sample.header.filter { $0 != idColumn }
        self.rules = rules
        self.problemLimit = problemLimit
    }

    /// Validates a submission.
    ///
    /// - Parameter submission: The table to check.
    /// - Throws: ``SubmissionError`` listing the first problems, with file lines and columns.
    package func validate(_ submission: CSVTable) throws {
        let (problems, total) = findProblems(in: submission)
        if total > 0 { throw SubmissionError(file: submission.source, problems: problems, totalCount: total) }
    }

    /// All problems of a submission, the first `problemLimit` of them listed.
    ///
    /// - Parameter submission: The table to check.
    /// - Returns: Listed problems and the total count (0 for a valid submission).
    package func findProblems(in submission: CSVTable) -> (problems: [SubmissionProblem], total: Int) {
        var list = ProblemList(limit: problemLimit)
        // Columns: nothing else can be checked reliably until they match.
        guard checkColumns(submission, into: &list) else { return list.result }
        list.nextCheck()
        if submission.rowCount != sample.rowCount {
            list.add(SubmissionProblem(message: "has \(submission.rowCount) rows but the sample submission has \(sample.rowCount)"))
        }
        if rules.alignment == .id {
            guard let sampleIDs = sample.column(idColumn), let ids = submission.column(idColumn) else {
                list.add(SubmissionProblem(column: idColumn, message: "the id column is missing from the sample submission"))
                return list.result
            }
            let (submitted, expected) = PandasColumn.comparable(ids, sampleIDs)
            checkIDs(submitted, expected: expected, submission: submission, into: &list)
        }
        list.nextCheck()
        let parsed = checkValues(submission, into: &list)
        list.nextCheck()
        if let tolerance = metric.facts.rowSumTolerance, parsed.count > 1, list.total == 0 {
            for r in 0..<submission.rowCount {
                let sum = parsed.reduce(0) { $0 + $1[r] }
                if abs(sum - 1) > tolerance {
                    list.add(SubmissionProblem(line: submission.lineNumbers[r], message: "class probabilities sum to \(sum); for \(metric.rawValue) every row must sum to 1 (within \(tolerance))"))
                }
            }
        }
        return list.result
    }

    /// Problems found so far. Each kind of check lists only its first few problems, so that a
    /// flood of id problems cannot hide a NaN further down; all are counted.
    struct ProblemList {
        let limit: Int
        var problems: [SubmissionProblem] = []
        var total = 0
        var listedInCheck = 0
        var perCheck: Int { max(1, limit / 3) }

        init(limit: Int) { self.limit = limit }

        mutating func add(_ problem: SubmissionProblem) {
            total += 1
            if problems.count < limit, listedInCheck < perCheck {
                problems.append(problem)
                listedInCheck += 1
            }
        }

        mutating func nextCheck() { listedInCheck = 0 }

        var result: (problems: [SubmissionProblem], total: Int) { (problems, total) }
    }

    /// The sample's columns, no more and no fewer; `false` when they differ.
    func checkColumns(_ submission: CSVTable, into list: inout ProblemList) -> Bool {
        // A grader that aligns rows by position never reads the id column.
        let expected = rules.columns == .sample ? sample.header
            : (rules.alignment == .position ? [] : [idColumn]) + targetColumns
        let missing = expected.filter { submission.index(of: $0) == nil }
        let extra = rules.columns == .sample ? submission.header.filter { sample.index(of: $0) == nil } : []
        if rules.idFirst, submission.header.first != idColumn {
            list.add(SubmissionProblem(line: 1, column: idColumn, message: "must be the first column (the grader reads the columns after it by position); the first column is '\(submission.header.first ?? "")'"))
        }
        for name in missing { list.add(SubmissionProblem(line: 1, column: name, message: "column is missing; expected columns \(expected.joined(separator: ", "))")) }
        for name in extra { list.add(SubmissionProblem(line: 1, column: name, message: "column is not in the sample submission; expected columns \(expected.joined(separator: ", "))")) }
        return missing.isEmpty && extra.isEmpty && list.total == 0
    }

    /// Each sample id exactly once, nothing else.
    func checkIDs(_ ids: [String], expected sampleIDs: [String], submission: CSVTable, into list: inout ProblemList) {
        list.nextCheck()
        let expectedIDs = Set(sampleIDs)
        var seen: [String: Int] = [:]
        for (r, id) in ids.enumerated() {
            let line = submission.lineNumbers[r]
            if !expectedIDs.contains(id) {
                list.add(SubmissionProblem(line: line, column: idColumn, message: "id '\(id)' is not in the sample submission"))
            } else if let first = seen[id] {
                list.add(SubmissionProblem(line: line, column: idColumn, message: "id '\(id)' repeats line \(first)"))
            } else {
                seen[id] = line
            }
        }
        list.nextCheck()
        if seen.count < expectedIDs.count {
            for (r, id) in sampleIDs.enumerated() where seen[id] == nil {
                list.add(SubmissionProblem(column: idColumn, message: "id '\(id)' (line \(sample.lineNumbers[r]) of the sample submission) has no row"))
            }
        }
    }

    /// The columns whose values are checked: the sample's, or only the targets when the other
    /// columns are not required.
    var valueColumns: [String] {
        rules.columns == .sample ? sample.header.filter { $0 != idColumn } : targetColumns
    }

    /// Every value of the kind the metric reads; returns the numbers of each value column
    /// (empty for label and item-list metrics, NaN where a value is not a number).
    func checkValues(_ submission: CSVTable, into list: inout ProblemList) -> [[Double]] {
        let kind = metric.submissionValueKind
        var parsed: [[Double]] = []
        for name in valueColumns {
            let values = submission.column(name)!
            var numbers: [Double] = []
            if kind == .probability || kind == .number {
                if let column = PandasColumn.booleanNumbers(values) {
                    parsed.append(column)
                    continue
                }
                numbers.reserveCapacity(values.count)
            }
            for (r, text) in values.enumerated() {
                let line = submission.lineNumbers[r]
                switch kind {
                case .label:
                    if !rules.labelsAsText, text.trimmingWhitespace().isEmpty { list.add(SubmissionProblem(line: line, column: name, message: "value is empty; expected a class label")) }
                case .itemList:
                    break
                case .number, .probability:
                    // Where some answer rows are not scored, the grader checks the rows it scores.
                    if rules.unscoredAnswer != nil, PandasColumn.isMissing(text) || PandasColumn.number(text)?.value.isInfinite == true {
                        numbers.append(.nan)
                        continue
                    }
                    guard let value = NumberField.parse(text) else {
                        list.add(SubmissionProblem(line: line, column: name, message: text.isEmpty ? "value is empty; expected a number" : "'\(text)' is not a number"))
                        numbers.append(.nan)
                        continue
                    }
                    numbers.append(value)
                    if value.isNaN {
                        list.add(SubmissionProblem(line: line, column: name, message: "value is NaN; expected a finite number"))
                    } else if value.isInfinite {
                        list.add(SubmissionProblem(line: line, column: name, message: "value is infinite; expected a finite number"))
                    } else if kind == .probability, rules.bounded, value < 0 || value > 1 {
                        list.add(SubmissionProblem(line: line, column: name, message: "probability \(text) lies outside [0, 1]"))
                    }
                }
            }
            parsed.append(numbers)
        }
        return parsed
    }
}
