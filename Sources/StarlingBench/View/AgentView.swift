import Foundation
import StarlingCore

/// A built agent view and its secrets: splits submissions made on the view into dev rows
/// (graded here, the node score) and real test rows (a submission for the task).
///
/// ```swift
/// let view = try AgentViewBuilder(task: task, seed: 0)
///     .build(into: runFolder.appending(path: "input"), secretsFolder: runFolder.appending(path: ".harness"))
/// let split = try view.split(submissionAt: workDir.appending(path: "submission/submission.csv"))
/// let nodeScore = try view.scoreDev(split)          // nil without dev rows
/// try split.writeTest(to: runFolder.appending(path: "final/submission.csv"))
/// ```
package struct AgentView: Sendable {
    static let manifestFile = "view.json"
    static let mappingFile = "mapping.csv"
    static let devAnswersFile = "dev_answers.csv"
    /// The layout file in the view itself (see ``AgentViewBuilder``).
    package static let layoutFile = "layout.json"
    static let sampleFile = "view_sample_submission.csv"
    static let mappingHeader = ["view_id", "kind", "original_id"]

    /// The folder the agent sees.
    package var folder: URL { URL(fileURLWithPath: manifest.viewFolder) }
    /// The folder with the mapping and dev answers; never shown to the agent.
    package let secretsFolder: URL
    /// What the view was built from.
    package let manifest: AgentViewManifest
    /// The view's sample submission as built (kept with the secrets so the agent cannot alter it).
    package let sample: CSVTable
    /// True values of the dev rows, under view ids.
    package let devAnswers: CSVTable
    private let kinds: [String: Bool]
    /// Each dev row's id in the data the view was built from (its training id, or `row:N`
    /// for training files without ids), keyed by its view id.
    package let devOriginalIDs: [String: String]
    private let originalTestOrder: [(viewID: String, originalID: String)]

    /// Opens a view from its secrets folder.
    ///
    /// - Parameter secretsFolder: The folder passed to ``AgentViewBuilder/build(into:secretsFolder:)``.
    /// - Returns: The view.
    /// - Throws: ``AgentViewError`` or ``CSVError`` when the secrets are missing or damaged.
    package static func open(secretsFolder: URL) throws -> AgentView {
        let manifestURL = secretsFolder.appendingPathComponent(manifestFile)
        guard let data = try? Data(contentsOf: manifestURL) else {
            throw AgentViewError("\(manifestURL.path) is missing; this is not an agent view's secrets folder")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let manifest: AgentViewManifest
        do {
            manifest = try decoder.decode(AgentViewManifest.self, from: data)
        } catch {
            throw AgentViewError("\(manifestURL.path) cannot be read: \(error)")
        }
        let mapping = try CSVTable.read(contentsOf: secretsFolder.appendingPathComponent(mappingFile))
        guard mapping.header == mappingHeader else {
            throw AgentViewError("\(mapping.source): expected columns \(mappingHeader.joined(separator: ","))")
        }
        var kinds: [String: Bool] = [:]
        var order: [(String, String)] = []
        var devOriginals: [String: String] = [:]
        for r in 0..<mapping.rowCount {
            let isDev = mapping.columns[1][r] == "dev"
            kinds[mapping.columns[0][r]] = isDev
            if isDev { devOriginals[mapping.columns[0][r]] = mapping.columns[2][r] } else { order.append((mapping.columns[0][r], mapping.columns[2][r])) }
        }
        return AgentView(
            secretsFolder: secretsFolder.standardizedFileURL, manifest: manifest,
            sample: try CSVTable.read(contentsOf: secretsFolder.appendingPathComponent(sampleFile)),
            devAnswers: try CSVTable.read(contentsOf: secretsFolder.appendingPathComponent(devAnswersFile)),
            kinds: kinds, devOriginalIDs: devOriginals, originalTestOrder: order)
    }

    /// Number of hidden dev rows.
    package var devRowCount: Int { devAnswers.rowCount }

    /// Validates a submission made on the view and splits it.
    ///
    /// - Parameter submission: Predictions for every row of the view's `test.csv`.
    /// - Returns: Dev part (view ids) and test part (original ids, original order).
    /// - Throws: ``SubmissionError`` naming the first problems (against the view's sample).
    package func split(_ submission: CSVTable) throws -> SplitSubmission {
        try manifest.validator(sample: sample).validate(submission)
        let ordered = try submission.selecting(columns: sample.header.filter { submission.index(of: $0) != nil })
        let idIndex = ordered.index(of: manifest.idColumn)!
        var rowOfID: [String: Int] = [:]
        var devRows: [Int] = []
        for (r, id) in ordered.columns[idIndex].enumerated() {
            rowOfID[id] = r
            if kinds[id] == true { devRows.append(r) }
        }
        var test = ordered.selecting(rows: originalTestOrder.map { rowOfID[$0.viewID]! })
        test.replaceColumn(manifest.idColumn, with: originalTestOrder.map(\.originalID))
        return SplitSubmission(dev: ordered.selecting(rows: devRows), test: test)
    }

    /// Reads, validates and splits a submission file.
    ///
    /// - Parameter url: The submission written on the view.
    /// - Returns: The split.
    /// - Throws: ``CSVError`` or ``SubmissionError``.
    package func split(submissionAt url: URL) throws -> SplitSubmission {
        try split(CSVTable.read(contentsOf: url))
    }

    /// Grades the dev part of a split: the harness's score for the script that made it.
    ///
    /// - Parameter split: A split of a submission on this view.
    /// - Returns: The score, or `nil` when the view has no dev rows.
    /// - Throws: ``GradingError`` when the metric cannot be computed on the dev rows.
    package func scoreDev(_ split: SplitSubmission) throws -> Double? {
        guard devRowCount > 0 else { return nil }
        return try manifest.grader.score(submission: split.dev, answers: devAnswers)
    }
}
