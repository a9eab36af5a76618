import Foundation
import StarlingBench
import StarlingCore
import StarlingRunFolder
import StarlingRuntime

/// K-fold cross-validation of scripts over the agent view's training rows: the script runs once
/// per fold view (fold k's rows hidden among its test rows), the harness grades the fold's rows,
/// and the predictions of all folds together are the script's out-of-fold predictions, one per
/// held-out row (every training row, or on a time series the rows of the K forward windows). Scripts need no special structure: whatever a script does with `train.csv`
/// and `test.csv` on the agent view, it does on a fold view.
///
/// The hidden dev rows of the agent view take no part: they stay aside for a last check of the
/// chosen script.
package struct CrossValidator: Sendable {
    /// The harness that runs scripts.
    package let harness: ExecutionHarness
    /// The fold views, fold 0 first.
    package let folds: [AgentView]
    /// The run folder.
    package let layout: RunLayout
    /// The true values of every held-out row of the folds, under their view ids (training ids,
    /// or `row:N`), fold 0's rows first.
    package let answers: CSVTable
    /// The fold of each row of ``answers``.
    package let foldOfRow: [Int]

    /// Creates a validator over built fold views.
    ///
    /// - Throws: ``AgentError`` when the views do not share one header of answers.
    package init(harness: ExecutionHarness, folds: [AgentView], layout: RunLayout) throws {
        self.harness = harness
        self.folds = folds
        self.layout = layout
        guard let header = folds.first?.devAnswers.header else { throw AgentError("cross-validation needs at least one fold view") }
        var rows: [[String]] = []
        var foldOfRow: [Int] = []
        for (k, fold) in folds.enumerated() {
            guard fold.devAnswers.header == header else { throw AgentError("fold view \(k) has other answer columns than fold 0") }
            let answers = try Self.underOriginalIDs(fold.devAnswers, fold: fold)
            for r in 0..<answers.rowCount { rows.append(answers.row(r)) }
            foldOfRow += Array(repeating: k, count: answers.rowCount)
        }
        self.answers = try CSVTable(header: header, rows: rows)
        self.foldOfRow = foldOfRow
    }

    /// The grader of the task's metric, matching rows by id.
    package var grader: Grader { folds[0].manifest.grader }

    /// K.
    package var count: Int { folds.count }

    /// Runs `code` on every fold and grades it.
    ///
    /// - Parameters:
    ///   - code: The script.
    ///   - node: The node it belongs to (its fold runs go under its folder).
    /// - Returns: The fold scores (the out-of-fold predictions go to the node's `oof.csv`, see
    ///   ``outOfFold(node:)``), or the reason it could not be cross-validated (a fold run failed,
    ///   or wrote an invalid submission).
    /// - Throws: Cancellation, or ``SandboxError`` when the sandbox could not start a script.
    package func validate(code: String, node: Int) async throws -> Result<CrossValidation, AgentError> {
        var scores: [Double] = []
        var byID: [String: [String]] = [:]
        var header: [String] = []
        for (k, fold) in folds.enumerated() {
            let folder = layout.foldRun(node: node, fold: k)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let outcome = try await harness.run(code: code, in: folder, input: fold.folder, grade: false, hiding: hidden(exceptFold: k))
            try Task.checkCancellation()
            if let error = outcome.error { return .failure(AgentError("fold \(k): \(error.prefix(600))")) }
            do {
                let split = try fold.split(submissionAt: ScriptWorkspace(folder).submission)
                guard let score = try fold.scoreDev(split) else { return .failure(AgentError("fold \(k) has no rows to score")) }
                scores.append(score)
                let part = try Self.underOriginalIDs(split.dev, fold: fold)
                header = part.header
                let id = part.index(of: fold.manifest.idColumn)!
                for r in 0..<part.rowCount { byID[part.columns[id][r]] = part.row(r) }
            } catch {
                return .failure(AgentError("fold \(k): the submission is invalid: \(error)"))
            }
            // The fold's script, log and submission stay; its working files can be large.
            ScriptWorkspace(folder).dropWorkingFiles()
        }
        let ids = answers.column(folds[0].manifest.idColumn)!
        var rows: [[String]] = []
        for id in ids {
            guard let row = byID[id] else { return .failure(AgentError("no out-of-fold prediction for training row \(id)")) }
            rows.append(row)
        }
        try CSVTable(header: header, rows: rows).write(to: layout.outOfFold(node))
        return .success(CrossValidation(foldScores: scores))
    }

    /// A node's out-of-fold predictions as written by ``validate(code:node:)``; `nil` when missing.
    package func outOfFold(node: Int) -> CSVTable? {
        try? CSVTable.read(contentsOf: layout.outOfFold(node))
    }

    /// Scores the predictions of some of the training rows: `predictions` holds the rows
    /// `rows` (indices into ``answers``), in that order.
    ///
    /// - Throws: ``GradingError`` when the metric cannot be computed.
    package func score(_ predictions: CSVTable, rows: [Int]) throws -> Double {
        try grader.score(submission: predictions, answers: answers.selecting(rows: rows))
    }

    /// The rows of ``answers`` in fold `k`.
    package func rows(inFold k: Int) -> [Int] { foldOfRow.indices.filter { foldOfRow[$0] == k } }

    /// What a script on fold `k` must not read: the agent view (its training rows hold fold k's
    /// labels), the other folds' views and every secret.
    func hidden(exceptFold k: Int) -> [URL] {
        [harness.task.viewFolder, layout.crossValidationHarness] + folds.indices.filter { $0 != k }.map { layout.foldView($0) }
    }

    /// `table` (rows under a fold view's ids) under the ids the rows have in the agent view.
    static func underOriginalIDs(_ table: CSVTable, fold: AgentView) throws -> CSVTable {
        var out = table
        let ids = table.column(fold.manifest.idColumn) ?? []
        out.replaceColumn(fold.manifest.idColumn, with: try ids.map { id in
            guard let original = fold.devOriginalIDs[id] else { throw AgentError("fold view row \(id) is not one of its dev rows") }
            return original
        })
        return out
    }
}
