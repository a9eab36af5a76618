import Foundation
import StarlingRuntime

/// Where everything of one run lives. Every module that reads or writes a run folder asks this
/// type for the path, so the file names below are written nowhere else.
///
/// ```
/// run.json          RunConfiguration (what `starling resume` needs)
/// journal.sqlite    the journal: run record, nodes, LLM calls, events, artifacts
/// profile.json      the data profile the prompts and pre-flight read
/// view/             the agent's view of the task (dev labels hidden)
/// cv/<k>/           fold k's view: the view's training rows with fold k held out
/// nodes/<n>/        one script's workspace per node (``ScriptWorkspace``: solution.py, run.log, input, submission/)
/// final/            solution.py, submission.csv, grade.json
/// summary.json      RunSummary, when the run ended
/// tree.json         SearchTree, when the run ended
/// report.html       the HTML report
/// live.json         the model calls in flight (``LiveActivity``), while there are any
/// ```
package struct RunLayout: Sendable, Hashable {
    /// The run folder.
    package let folder: URL

    /// File names, relative to the run folder.
    package enum Name {
        package static let journal = "journal.sqlite"
        package static let configuration = "run.json"
        package static let summary = "summary.json"
        package static let tree = "tree.json"
        package static let profile = "profile.json"
        package static let report = "report.html"
        package static let live = "live.json"
        package static let final = "final"
        package static let nodes = "nodes"
        package static let view = "view"
        /// The whole public data in the task's own ids, laid out as the view is (archives
        /// unpacked, `layout.json`): what the final run reads for tasks not laid out as
        /// `train.csv` + `test.csv`.
        package static let fullView = "full-view"
        /// The harness's secrets of `view/` and of `full-view/`.
        package static let harness = ".harness"
        package static let fullViewHarness = ".harness-full"
        /// The fold views of cross-validation, and their secrets.
        package static let crossValidation = "cv"
        package static let crossValidationHarness = ".harness-cv"
        /// A node's out-of-fold predictions, in its folder.
        package static let outOfFold = "oof.csv"
        /// A node's fold runs, in its folder.
        package static let folds = "folds"
        /// The bench's log of a cell: what its `starling bench-cell` process printed.
        package static let benchLog = "bench.log"
        /// The bench's record of how a cell's run ended.
        package static let benchCell = "bench-cell.json"
        /// What a cluster executor submitted for a bench cell (``CellJob``), written by the bench.
        package static let cellJob = "cell-job.json"
        /// Written by the bench before a cluster job starts; a worker that cannot see it does not
        /// share the bench folder's storage.
        package static let cellToken = ".starling-cell"
    }

    /// A layout for `folder`.
    package init(_ folder: URL) { self.folder = folder }

    package var journal: URL { folder.appendingPathComponent(Name.journal) }
    package var configuration: URL { folder.appendingPathComponent(Name.configuration) }
    package var summary: URL { folder.appendingPathComponent(Name.summary) }
    package var tree: URL { folder.appendingPathComponent(Name.tree) }
    package var profile: URL { folder.appendingPathComponent(Name.profile) }
    package var report: URL { folder.appendingPathComponent(Name.report) }
    package var live: URL { folder.appendingPathComponent(Name.live) }
    package var view: URL { folder.appendingPathComponent(Name.view) }
    package var fullView: URL { folder.appendingPathComponent(Name.fullView) }
    package var harness: URL { folder.appendingPathComponent(Name.harness) }
    package var fullViewHarness: URL { folder.appendingPathComponent(Name.fullViewHarness) }
    package var benchLog: URL { folder.appendingPathComponent(Name.benchLog) }
    package var benchCell: URL { folder.appendingPathComponent(Name.benchCell) }
    package var cellJob: URL { folder.appendingPathComponent(Name.cellJob) }
    package var cellToken: URL { folder.appendingPathComponent(Name.cellToken) }
    /// `cv/`: the fold views.
    package var crossValidation: URL { folder.appendingPathComponent(Name.crossValidation) }
    /// `.harness-cv/`: the fold views' secrets, never shown to a script.
    package var crossValidationHarness: URL { folder.appendingPathComponent(Name.crossValidationHarness) }
    /// `cv/<k>/`: fold k's view.
    package func foldView(_ k: Int) -> URL { crossValidation.appendingPathComponent(String(k)) }
    /// `.harness-cv/<k>/`: fold k's secrets.
    package func foldSecrets(_ k: Int) -> URL { crossValidationHarness.appendingPathComponent(String(k)) }
    /// `nodes/<id>/oof.csv`: the node's out-of-fold predictions under the view's training ids.
    package func outOfFold(_ id: Int) -> URL { nodeFolder(id).appendingPathComponent(Name.outOfFold) }
    /// `nodes/<id>/folds/<k>/`: where the node's script ran on fold k's view.
    package func foldRun(node id: Int, fold k: Int) -> URL {
        nodeFolder(id).appendingPathComponent(Name.folds).appendingPathComponent(String(k))
    }
    /// `final/`.
    package var finalFolder: URL { folder.appendingPathComponent(Name.final) }
    /// `final/solution.py`.
    package var finalSolution: URL { finalFolder.appendingPathComponent(ScriptWorkspace.Name.script) }
    /// `final/submission.csv`.
    package var finalSubmission: URL { finalFolder.appendingPathComponent(ScriptWorkspace.Name.submission) }
    /// `final/grade.json`.
    package var finalGrade: URL { finalFolder.appendingPathComponent("grade.json") }
    /// `nodes/<id>/`.
    package func nodeFolder(_ id: Int) -> URL { folder.appendingPathComponent(Name.nodes).appendingPathComponent(String(id)) }
    /// `nodes/<id>/` as the workspace its script runs in.
    package func node(_ id: Int) -> ScriptWorkspace { ScriptWorkspace(nodeFolder(id)) }

    /// Whether `folder` holds a run (it has a journal).
    package var holdsRun: Bool { FileManager.default.fileExists(atPath: journal.path) }

    /// Whether the run ended (it wrote its summary).
    package var hasEnded: Bool { FileManager.default.fileExists(atPath: summary.path) }

    /// Writes `value` as pretty, key-sorted JSON (dates as ISO 8601), the form of every JSON file of a run.
    package static func writeJSON<T: Encodable>(_ value: T, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(value).write(to: url, options: .atomic)
    }

    /// Reads a JSON file of a run; `nil` when the file does not exist.
    ///
    /// - Throws: ``RunFolderError`` when the file exists but does not decode as `T`.
    package static func readJSON<T: Decodable>(_ type: T.Type, from url: URL) throws -> T? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(T.self, from: data)
        } catch {
            throw RunFolderError("\(url.path) is not readable as \(T.self): \(error)")
        }
    }
}

/// A run folder, or one of its files, could not be read.
package struct RunFolderError: Error, CustomStringConvertible, Sendable {
    package let description: String
    package init(_ description: String) { self.description = description }
}
