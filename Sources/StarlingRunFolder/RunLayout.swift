import Foundation
public import StarlingRuntime

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
/// ```
public struct RunLayout: Sendable, Hashable {
    /// The run folder.
    public let folder: URL

    /// File names, relative to the run folder.
    public enum Name {
        public static let journal = "journal.sqlite"
        public static let configuration = "run.json"
        public static let summary = "summary.json"
        public static let tree = "tree.json"
        public static let profile = "profile.json"
        public static let report = "report.html"
        public static let final = "final"
        public static let nodes = "nodes"
        public static let view = "view"
        /// The whole public data in the task's own ids, laid out as the view is (archives
        /// unpacked, `layout.json`): what the final run reads for tasks not laid out as
        /// `train.csv` + `test.csv`.
        public static let fullView = "full-view"
        /// The harness's secrets of `view/` and of `full-view/`.
        public static let harness = ".harness"
        public static let fullViewHarness = ".harness-full"
        /// The fold views of cross-validation, and their secrets.
        public static let crossValidation = "cv"
        public static let crossValidationHarness = ".harness-cv"
        /// A node's out-of-fold predictions, in its folder.
        public static let outOfFold = "oof.csv"
        /// A node's fold runs, in its folder.
        public static let folds = "folds"
        /// The bench's log of a cell: what its `starling bench-cell` process printed.
        public static let benchLog = "bench.log"
        /// The bench's record of how a cell's run ended.
        public static let benchCell = "bench-cell.json"
        /// What a cluster executor submitted for a bench cell (``CellJob``), written by the bench.
        public static let cellJob = "cell-job.json"
        /// Written by the bench before a cluster job starts; a worker that cannot see it does not
        /// share the bench folder's storage.
        public static let cellToken = ".starling-cell"
    }

    /// A layout for `folder`.
    public init(_ folder: URL) { self.folder = folder }

    public var journal: URL { folder.appendingPathComponent(Name.journal) }
    public var configuration: URL { folder.appendingPathComponent(Name.configuration) }
    public var summary: URL { folder.appendingPathComponent(Name.summary) }
    public var tree: URL { folder.appendingPathComponent(Name.tree) }
    public var profile: URL { folder.appendingPathComponent(Name.profile) }
    public var report: URL { folder.appendingPathComponent(Name.report) }
    public var view: URL { folder.appendingPathComponent(Name.view) }
    public var fullView: URL { folder.appendingPathComponent(Name.fullView) }
    public var harness: URL { folder.appendingPathComponent(Name.harness) }
    public var fullViewHarness: URL { folder.appendingPathComponent(Name.fullViewHarness) }
    public var benchLog: URL { folder.appendingPathComponent(Name.benchLog) }
    public var benchCell: URL { folder.appendingPathComponent(Name.benchCell) }
    public var cellJob: URL { folder.appendingPathComponent(Name.cellJob) }
    public var cellToken: URL { folder.appendingPathComponent(Name.cellToken) }
    /// `cv/`: the fold views.
    public var crossValidation: URL { folder.appendingPathComponent(Name.crossValidation) }
    /// `.harness-cv/`: the fold views' secrets, never shown to a script.
    public var crossValidationHarness: URL { folder.appendingPathComponent(Name.crossValidationHarness) }
    /// `cv/<k>/`: fold k's view.
    public func foldView(_ k: Int) -> URL { crossValidation.appendingPathComponent(String(k)) }
    /// `.harness-cv/<k>/`: fold k's secrets.
    public func foldSecrets(_ k: Int) -> URL { crossValidationHarness.appendingPathComponent(String(k)) }
    /// `nodes/<id>/oof.csv`: the node's out-of-fold predictions under the view's training ids.
    public func outOfFold(_ id: Int) -> URL { nodeFolder(id).appendingPathComponent(Name.outOfFold) }
    /// `nodes/<id>/folds/<k>/`: where the node's script ran on fold k's view.
    public func foldRun(node id: Int, fold k: Int) -> URL {
        nodeFolder(id).appendingPathComponent(Name.folds).appendingPathComponent(String(k))
    }
    /// `final/`.
    public var finalFolder: URL { folder.appendingPathComponent(Name.final) }
    /// `final/solution.py`.
    public var finalSolution: URL { finalFolder.appendingPathComponent(ScriptWorkspace.Name.script) }
    /// `final/submission.csv`.
    public var finalSubmission: URL { finalFolder.appendingPathComponent(ScriptWorkspace.Name.submission) }
    /// `final/grade.json`.
    public var finalGrade: URL { finalFolder.appendingPathComponent("grade.json") }
    /// `nodes/<id>/`.
    public func nodeFolder(_ id: Int) -> URL { folder.appendingPathComponent(Name.nodes).appendingPathComponent(String(id)) }
    /// `nodes/<id>/` as the workspace its script runs in.
    public func node(_ id: Int) -> ScriptWorkspace { ScriptWorkspace(nodeFolder(id)) }

    /// Whether `folder` holds a run (it has a journal).
    public var holdsRun: Bool { FileManager.default.fileExists(atPath: journal.path) }

    /// Whether the run ended (it wrote its summary).
    public var hasEnded: Bool { FileManager.default.fileExists(atPath: summary.path) }

    /// Writes `value` as pretty, key-sorted JSON (dates as ISO 8601), the form of every JSON file of a run.
    public static func writeJSON<T: Encodable>(_ value: T, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(value).write(to: url, options: .atomic)
    }

    /// Reads a JSON file of a run; `nil` when the file does not exist.
    ///
    /// - Throws: ``RunFolderError`` when the file exists but does not decode as `T`.
    public static func readJSON<T: Decodable>(_ type: T.Type, from url: URL) throws -> T? {
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
public struct RunFolderError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
