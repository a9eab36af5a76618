import StarlingCore

/// Scores a submission table against an answers table for one task's metric. Rows are matched
/// by id, so row order does not matter.
///
/// Answers hold the id column and, per metric:
/// - label, binary probability, regression and MAP@K metrics: the target columns, by name;
/// - ``Metric/rocAUCOneVsRest`` and ``Metric/multiClassLogLoss``: either one label column or
///   one 0/1 column per class (the submission's class columns);
/// - ``Metric/rocAUCColumnMean``: one 0/1 column per target column.
package struct Grader: Sendable, Hashable {
    /// The metric.
    package var metric: Metric
    /// The column that identifies rows.
    package var idColumn: String
    /// The prediction columns of a submission (class names for per-class probabilities).
    package var targetColumns: [String]
    /// The positive class for binary F1.
    package var positiveLabel: String
    /// How many predictions count for MAP@K.
    package var k: Int?
    /// Row alignment and unscored answers.
    package var rules: SubmissionRules

    /// Creates a grader.
    ///
    /// - Parameters:
    ///   - metric: The metric.
    ///   - idColumn: The id column.
    ///   - targetColumns: Prediction columns.
    ///   - positiveLabel: Positive class for binary F1.
    ///   - k: Cut-off for MAP@K.
    ///   - rules: Row alignment and unscored answers (the other rules are the validator's).
    package init(metric: Metric, idColumn: String, targetColumns: [String], positiveLabel: String = "1", k: Int? = nil,
                rules: SubmissionRules = .strict) {
        self.metric = metric
        self.idColumn = idColumn
        self.targetColumns = targetColumns
        self.positiveLabel = positiveLabel
        self.k = k
        self.rules = rules
    }

    /// Scores `submission` on the rows of `answers`.
    ///
    /// - Parameters:
    ///   - submission: Predictions with the id column and the target columns; may hold more
    ///     rows than `answers` (they are ignored).
    ///   - answers: The true values.
    /// - Returns: The metric's value.
    /// - Throws: ``SubmissionError`` when an answer id has no submission row or a value cannot
    ///   be read, ``GradingError`` when the answers do not fit the task, or a metric refused the
    ///   values.
    package func score(submission: CSVTable, answers allAnswers: CSVTable) throws -> Double {
        let answers = try scoredRows(of: allAnswers)
        if rules.alignment == .position {
            guard submission.rowCount == allAnswers.rowCount else {
                throw SubmissionError(file: submission.source, problems: [SubmissionProblem(message: "has \(submission.rowCount) rows but \(allAnswers.rowCount) are graded, row by row in order")])
            }
            return try scoreAligned(submission.selecting(rows: scoredPositions(of: allAnswers)), answers: answers)
        }
        if rules.alignment == .sorted { return try scoreSorted(submission, answers: answers) }
        guard let answerIDs = answers.column(idColumn) else {
            throw GradingError("\(answers.source): no id column '\(idColumn)'; columns are \(answers.header.joined(separator: ", "))")
        }
        guard let submittedIDs = submission.column(idColumn) else {
            throw SubmissionError(file: submission.source, problems: [SubmissionProblem(line: 1, column: idColumn, message: "the id column is missing")])
        }
        let (submittedKeys, answerKeys) = PandasColumn.comparable(submittedIDs, answerIDs)
        var rowOfID: [String: Int] = [:]
        rowOfID.reserveCapacity(submittedKeys.count)
        for (r, id) in submittedKeys.enumerated() where rowOfID[id] == nil { rowOfID[id] = r }
        var order: [Int] = []
        order.reserveCapacity(answerKeys.count)
        var missing: [SubmissionProblem] = []
        var missingCount = 0
        for id in answerKeys {
            if let r = rowOfID[id] {
                order.append(r)
            } else {
                missingCount += 1
                if missing.count < 10 { missing.append(SubmissionProblem(column: idColumn, message: "id '\(id)' has no row")) }
            }
        }
        if missingCount > 0 { throw SubmissionError(file: submission.source, problems: missing, totalCount: missingCount) }
        return try scoreAligned(submission.selecting(rows: order), answers: answers)
    }

    /// Both sides sorted by id (as pandas sorts: numbers by value, text by code point, missing
    /// last), then graded row by row.
    private func scoreSorted(_ submission: CSVTable, answers: CSVTable) throws -> Double {
        guard submission.rowCount == answers.rowCount else {
            throw SubmissionError(file: submission.source, problems: [SubmissionProblem(message: "has \(submission.rowCount) rows but \(answers.rowCount) are graded")])
        }
        guard let submittedIDs = submission.column(idColumn), let answerIDs = answers.column(idColumn) else {
            throw SubmissionError(file: submission.source, problems: [SubmissionProblem(line: 1, column: idColumn, message: "the id column is missing")])
        }
        func order(_ ids: [String]) -> [Int] {
            let column = PandasColumn(ids)
            return ids.indices.sorted { a, b in
                if column.missing[a] != column.missing[b] { return column.missing[b] }
                if let numbers = column.numbers { return numbers[a] < numbers[b] }
                return ids[a].unicodeScalars.lexicographicallyPrecedes(ids[b].unicodeScalars)
            }
        }
        return try scoreAligned(submission.selecting(rows: order(submittedIDs)), answers: answers.selecting(rows: order(answerIDs)))
    }

    private func scoreAligned(_ aligned: CSVTable, answers: CSVTable) throws -> Double {
        do {
            return try score(aligned: aligned, answers: answers)
        } catch let error as MetricError {
            throw GradingError("\(metric.rawValue) cannot grade \(aligned.source): \(error.message)")
        }
    }

    /// The answer rows that count: all of them, unless ``SubmissionRules/unscoredAnswer`` marks
    /// some as unused.
    private func scoredPositions(of answers: CSVTable) -> [Int] {
        guard let unscored = rules.unscoredAnswer else { return Array(0..<answers.rowCount) }
        let columns = targetColumns.compactMap(answers.column)
        return (0..<answers.rowCount).filter { r in !columns.contains { $0[r] == unscored } }
    }

    private func scoredRows(of answers: CSVTable) throws -> CSVTable {
        guard rules.unscoredAnswer != nil else { return answers }
        let rows = scoredPositions(of: answers)
        guard !rows.isEmpty else {
            throw GradingError("\(answers.source): every answer row holds the unscored value '\(rules.unscoredAnswer!)'; nothing to grade")
        }
        return answers.selecting(rows: rows)
    }

    /// Scores a submission whose rows are already in the answers' order.
    private func score(aligned submission: CSVTable, answers: CSVTable) throws -> Double {
        switch metric {
        case .accuracy:
            let truth = try targetColumns.flatMap { try answerColumn($0, answers) }
            let predicted = try targetColumns.flatMap { name in try labels(name, submission, against: try answerColumn(name, answers)) }
            if rules.labelsAsText {
                return Metrics.textAccuracy(truth: truth.map { PandasColumn.isMissing($0) ? "nan" : $0 }, predicted: predicted)
            }
            let (t, p) = Self.labelsAsPandasReads(truth, predicted)
            return try Metrics.accuracy(truth: t, predicted: p)
        case .balancedAccuracy, .f1Binary, .f1Macro, .f1Micro, .quadraticWeightedKappa:
            let target = try singleTarget()
            let truth = try answerColumn(target, answers)
            let predicted = try labels(target, submission, against: truth)
            switch metric {
            case .balancedAccuracy: return try Metrics.balancedAccuracy(truth: truth, predicted: predicted)
            case .f1Binary: return try Metrics.f1(truth: truth, predicted: predicted, average: .binary, positiveLabel: positiveLabel)
            case .f1Macro: return try Metrics.f1(truth: truth, predicted: predicted, average: .macro)
            case .f1Micro: return try Metrics.f1(truth: truth, predicted: predicted, average: .micro)
            default: return try Metrics.quadraticWeightedKappa(truth: truth, predicted: predicted)
            }
        case .rocAUC, .logLoss:
            let target = try singleTarget()
            let truth = try answerColumn(target, answers)
            let scores = try numbers(target, submission)
            return metric == .rocAUC
                ? try Metrics.rocAUC(truth: truth, scores: scores)
                : try Metrics.logLoss(truth: truth, probabilities: scores)
        case .rocAUCOneVsRest, .multiClassLogLoss:
            let truth = try classLabels(answers)
            let columns = try targetColumns.map { try numbers($0, submission) }
            let rows = (0..<submission.rowCount).map { r in columns.map { $0[r] } }
            return metric == .rocAUCOneVsRest
                ? try Metrics.rocAUCOneVsRest(truth: truth, probabilities: rows, classes: targetColumns)
                : try Metrics.logLoss(truth: truth, probabilities: rows, classes: targetColumns)
        case .rocAUCColumnMean:
            let truth = try targetColumns.map { try answerColumn($0, answers) }
            let scores = try targetColumns.map { try numbers($0, submission) }
            return try Metrics.rocAUCColumnMean(truth: truth, scores: scores, columnNames: targetColumns)
        case .rmse, .rmsle, .columnMeanRMSLE, .mae, .r2:
            let truth = try targetColumns.map { try numbers($0, answers, isAnswer: true) }
            let predicted = try targetColumns.map { try numbers($0, submission) }
            if metric == .rmsle || metric == .columnMeanRMSLE { try refuseNegative(predicted, submission) }
            let perColumn: ([Double], [Double]) throws -> Double = switch metric {
            case .rmse: Metrics.rmse
            case .rmsle, .columnMeanRMSLE: Metrics.rmsle
            case .mae: Metrics.mae
            default: Metrics.r2
            }
            return try Metrics.columnMean(truth: truth, predicted: predicted, columnNames: targetColumns, perColumn)
        case .mapAtK:
            guard let k else { throw GradingError("map_at_k needs grader.k in the task's config.yaml") }
            let target = try singleTarget()
            let actual = try answerColumn(target, answers).map(Metrics.items)
            let predicted = try submissionColumn(target, submission).map(Metrics.items)
            return try Metrics.meanAveragePrecision(actual: actual, predicted: predicted, k: k)
        }
    }

    /// Labels as MLE-bench compares them after `pandas.read_csv`: when both columns read as
    /// numbers they compare by value (`2.0` equals `2`); otherwise as text, every missing-value
    /// spelling becoming `nan` (the text-normalization graders compare `astype(str)`).
    static func labelsAsPandasReads(_ truth: [String], _ predicted: [String]) -> ([String], [String]) {
        let isMissing = PandasColumn.isMissing
        let numeric = (truth + predicted).allSatisfy { isMissing($0) || NumberField.parse($0) != nil }
        func normalise(_ text: String) -> String {
            if isMissing(text) { return "nan" }
            guard numeric, let value = NumberField.parse(text) else { return text }
            return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        }
        return (truth.map(normalise), predicted.map(normalise))
    }

    /// A submission's label column, checked as scikit-learn checks labels after pandas typed
    /// them: no NaN or infinity, no fractions where classes are whole numbers, and text only where
    /// the answers are text (a column pandas reads as text beside numeric answers matches nothing;
    /// MLE-bench then scores 0 or fails, Starling names the value). Booleans beside numbers are 1 and 0.
    private func labels(_ name: String, _ submission: CSVTable, against truth: [String]) throws -> [String] {
        let values = try submissionColumn(name, submission)
        if rules.labelsAsText { return values.map { PandasColumn.isMissing($0) ? "nan" : $0 } }
        let predicted = PandasColumn(values), expected = PandasColumn(truth)
        func refuse(_ r: Int, _ why: String) -> SubmissionError {
            SubmissionError(file: submission.source, problems: [SubmissionProblem(line: submission.lineNumbers[r], column: name, message: "'\(values[r])' \(why)")])
        }
        if let r = predicted.missing.firstIndex(of: true) { throw refuse(r, "is a missing value; every row needs a class label") }
        if expected.kind.isNumeric, predicted.kind == .text,
           let r = PandasColumn.firstTextRow(of: values, booleans: expected.kind == .boolean) {
            throw refuse(r, "is not a number, so pandas reads the whole column as text and no label matches the answers' numeric classes")
        }
        if expected.kind == .text, predicted.kind.isNumeric, let r = values.indices.first {
            throw refuse(r, "and every other label is a number, but the answers' classes are text")
        }
        // numpy compares booleans with numbers as 1 and 0.
        if expected.kind == .boolean, predicted.kind == .integer || predicted.kind == .float, let numbers = predicted.numbers {
            return zip(values, numbers).map { text, value in value == 1 ? "True" : value == 0 ? "False" : text }
        }
        if let numbers = predicted.numbers {
            if let r = numbers.firstIndex(where: { !$0.isFinite }) { throw refuse(r, "is not a finite class label") }
            // scikit-learn calls a label column "continuous" when a value differs from its int64 cast.
            if expected.kind != .float, let r = numbers.firstIndex(where: { $0 != $0.rounded() || abs($0) >= 9.2e18 }) {
                throw refuse(r, "is a fraction; the classes are whole numbers")
            }
            if predicted.kind == .boolean, expected.kind != .boolean { return numbers.map { $0 == 1 ? "1" : "0" } }
        }
        return values
    }

    /// MLE-bench's scikit-learn (1.5.2) refuses RMSLE of any negative prediction; later versions
    /// accept values above -1 (as ``Metrics/rmsle(truth:predicted:)`` does for the agents' own scores).
    private func refuseNegative(_ predicted: [[Double]], _ submission: CSVTable) throws {
        for (c, column) in predicted.enumerated() {
            guard let r = column.firstIndex(where: { $0 < 0 }) else { continue }
            throw SubmissionError(file: submission.source, problems: [SubmissionProblem(
                line: submission.lineNumbers[r], column: targetColumns[c],
                message: "prediction \(column[r]) is negative; RMSLE is graded only on predictions of 0 or more: clip them at 0")])
        }
    }

    private func singleTarget() throws -> String {
        guard targetColumns.count == 1 else {
            throw GradingError("\(metric.rawValue) grades one target column but the task lists \(targetColumns.count): \(targetColumns.joined(separator: ", "))")
        }
        return targetColumns[0]
    }

    private func answerColumn(_ name: String, _ answers: CSVTable) throws -> [String] {
        guard let values = answers.column(name) else {
            throw GradingError("\(answers.source): no answer column '\(name)'; columns are \(answers.header.joined(separator: ", "))")
        }
        return values
    }

    private func submissionColumn(_ name: String, _ submission: CSVTable) throws -> [String] {
        guard let values = submission.column(name) else {
            throw SubmissionError(file: submission.source, problems: [SubmissionProblem(line: 1, column: name, message: "column is missing")])
        }
        return values
    }

    private func numbers(_ name: String, _ table: CSVTable, isAnswer: Bool = false) throws -> [Double] {
        let values = isAnswer ? try answerColumn(name, table) : try submissionColumn(name, table)
        var result: [Double] = []
        result.reserveCapacity(values.count)
        if !isAnswer, let column = PandasColumn.booleanNumbers(values) { return column }
        for (r, text) in values.enumerated() {
            guard let value = NumberField.parse(text), value.isFinite else {
                let problem = SubmissionProblem(line: table.lineNumbers[r], column: name, message: "'\(text)' is not a finite number")
                if isAnswer { throw GradingError("\(table.source): \(problem)") }
                throw SubmissionError(file: table.source, problems: [problem])
            }
            result.append(value)
        }
        return result
    }

    /// True class labels for per-class probability metrics, from a label column or from
    /// one-hot class columns.
    private func classLabels(_ answers: CSVTable) throws -> [String] {
        if targetColumns.allSatisfy({ answers.index(of: $0) != nil }) {
            let columns = try targetColumns.map { try numbers($0, answers, isAnswer: true) }
            return try (0..<answers.rowCount).map { r in
                let hot = columns.indices.filter { columns[$0][r] == 1 }
                guard hot.count == 1, columns.allSatisfy({ $0[r] == 0 || $0[r] == 1 }) else {
                    throw GradingError("\(answers.source):\(answers.lineNumbers[r]): one-hot answers need exactly one 1 among \(targetColumns.joined(separator: ", "))")
                }
                return targetColumns[hot[0]]
            }
        }
        let labelColumns = answers.header.filter { $0 != idColumn }
        guard labelColumns.count == 1 else {
            throw GradingError("\(answers.source): \(metric.rawValue) needs either one label column or the class columns \(targetColumns.joined(separator: ", ")); found \(labelColumns.joined(separator: ", "))")
        }
        return answers.columns[answers.index(of: labelColumns[0])!]
    }
}
