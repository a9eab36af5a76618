import StarlingCore

/// Checks a submission against the task's sample submission before grading: the same columns,
/// the same ids once each, the right number of rows, and values the metric can use.
public struct SubmissionValidator: Sendable {
    /// The sample submission that fixes columns and ids.
    public var sample: CSVTable
    /// The id column shared by sample and submission.
    public var idColumn: String
    /// The metric, which decides what prediction columns must hold.
    public var metric: Metric
    /// How many problems to report at most; the total is still counted.
    public var problemLimit: Int

    /// Creates a validator.
    ///
    /// - Parameters:
    ///   - sample: The sample submission.
    ///   - idColumn: The id column.
    ///   - metric: The task's metric.
    ///   - problemLimit: Problems listed in an error.
    public init(sample: CSVTable, idColumn: String, metric: Metric, problemLimit: Int = 10) {
        self.sample = sample
        self.idColumn = idColumn
        self.metric = metric
        self.problemLimit = problemLimit
    }

    /// Validates a submission.
    ///
    /// - Parameter submission: The table to check.
    /// - Throws: ``SubmissionError`` listing the first problems, with file lines and columns.
    public func validate(_ submission: CSVTable) throws {
        let (problems, total) = findProblems(in: submission)
        if total > 0 { throw SubmissionError(file: submission.source, problems: problems, totalCount: total) }
    }

    /// All problems of a submission, the first `problemLimit` of them listed.
    ///
    /// - Parameter submission: The table to check.
    /// - Returns: Listed problems and the total count (0 for a valid submission).
    public func findProblems(in submission: CSVTable) -> (problems: [SubmissionProblem], total: Int) {
        var problems: [SubmissionProblem] = []
        var total = 0
        // Each kind of check lists only its first few problems, so that a flood of id problems
        // cannot hide a NaN further down.
        var listedInCheck = 0
        let perCheck = max(1, problemLimit / 3)
        func add(_ problem: SubmissionProblem) {
            total += 1
            if problems.count < problemLimit, listedInCheck < perCheck {
                problems.append(problem)
                listedInCheck += 1
            }
        }
        func nextCheck() { listedInCheck = 0 }

        // Columns: nothing else can be checked reliably until they match.
        let expected = sample.header
        let missing = expected.filter { submission.index(of: $0) == nil }
        let extra = submission.header.filter { sample.index(of: $0) == nil }
        if !missing.isEmpty || !extra.isEmpty {
            for name in missing { add(SubmissionProblem(line: 1, column: name, message: "column is missing; expected columns \(expected.joined(separator: ", "))")) }
            for name in extra { add(SubmissionProblem(line: 1, column: name, message: "column is not in the sample submission; expected columns \(expected.joined(separator: ", "))")) }
            return (problems, total)
        }

        nextCheck()
        if submission.rowCount != sample.rowCount {
            add(SubmissionProblem(message: "has \(submission.rowCount) rows but the sample submission has \(sample.rowCount)"))
        }

        // Ids: each sample id exactly once, nothing else.
        guard let sampleIDs = sample.column(idColumn), let ids = submission.column(idColumn) else {
            add(SubmissionProblem(column: idColumn, message: "the id column is missing from the sample submission"))
            return (problems, total)
        }
        nextCheck()
        let expectedIDs = Set(sampleIDs)
        var seen: [String: Int] = [:]
        for (r, id) in ids.enumerated() {
            let line = submission.lineNumbers[r]
            if !expectedIDs.contains(id) {
                add(SubmissionProblem(line: line, column: idColumn, message: "id '\(id)' is not in the sample submission"))
            } else if let first = seen[id] {
                add(SubmissionProblem(line: line, column: idColumn, message: "id '\(id)' repeats line \(first)"))
            } else {
                seen[id] = line
            }
        }
        nextCheck()
        if seen.count < expectedIDs.count {
            for (r, id) in sampleIDs.enumerated() where seen[id] == nil {
                add(SubmissionProblem(column: idColumn, message: "id '\(id)' (line \(sample.lineNumbers[r]) of the sample submission) has no row"))
            }
        }

        // Values.
        nextCheck()
        let valueColumns = expected.filter { $0 != idColumn }
        let kind = metric.submissionValueKind
        var parsed: [[Double]] = []
        for name in valueColumns {
            let values = submission.column(name)!
            var numbers: [Double] = []
            if kind == .probability || kind == .number { numbers.reserveCapacity(values.count) }
            for (r, text) in values.enumerated() {
                let line = submission.lineNumbers[r]
                switch kind {
                case .label:
                    if text.trimmingWhitespace().isEmpty { add(SubmissionProblem(line: line, column: name, message: "value is empty; expected a class label")) }
                case .itemList:
                    break
                case .number, .probability:
                    guard let value = NumberField.parse(text) else {
                        add(SubmissionProblem(line: line, column: name, message: text.isEmpty ? "value is empty; expected a number" : "'\(text)' is not a number"))
                        numbers.append(.nan)
                        continue
                    }
                    numbers.append(value)
                    if value.isNaN {
                        add(SubmissionProblem(line: line, column: name, message: "value is NaN; expected a finite number"))
                    } else if value.isInfinite {
                        add(SubmissionProblem(line: line, column: name, message: "value is infinite; expected a finite number"))
                    } else if kind == .probability, value < 0 || value > 1 {
                        add(SubmissionProblem(line: line, column: name, message: "probability \(text) lies outside [0, 1]"))
                    }
                }
            }
            parsed.append(numbers)
        }
        nextCheck()
        if metric == .rocAUCOneVsRest, total == 0 {
            for r in 0..<submission.rowCount {
                let sum = parsed.reduce(0) { $0 + $1[r] }
                if abs(sum - 1) > 1e-8 + 1e-5 {
                    add(SubmissionProblem(line: submission.lineNumbers[r], message: "class probabilities sum to \(sum); for one-vs-rest ROC AUC every row must sum to 1"))
                }
            }
        }
        return (problems, total)
    }
}
