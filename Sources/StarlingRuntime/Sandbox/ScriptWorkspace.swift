import Foundation

/// The folder one solution script runs in, and the only place that spells its names.
///
/// Every script Starling runs — a node of a search, a fold of cross-validation, a gym step, a
/// bench calibration, aideml's final rerun, a repository task — sees the same contract:
///
/// ```
/// solution.py                 the script
/// run.log                     what it printed (stdout and stderr)
/// input/                      the data it may read (a link or a copy; read-only)
/// working/                    scratch space
/// submission/submission.csv   the predictions it writes
/// ```
///
/// The prompts and the model cards state the same contract to the model in words.
public struct ScriptWorkspace: Sendable, Hashable {
    /// The folder.
    public let folder: URL

    /// Names, relative to the folder.
    public enum Name {
        public static let script = "solution.py"
        public static let log = "run.log"
        public static let input = "input"
        public static let working = "working"
        public static let submissionFolder = "submission"
        /// The submission file's name, in `submission/` (and in a run's `final/`).
        public static let submission = "submission.csv"
        /// Where the script writes its predictions, as the prompts and error messages say it.
        public static let submissionPath = "\(submissionFolder)/\(submission)"
    }

    /// A workspace in `folder`.
    public init(_ folder: URL) { self.folder = folder }

    /// `solution.py`.
    public var script: URL { folder.appendingPathComponent(Name.script) }
    /// `run.log`.
    public var log: URL { folder.appendingPathComponent(Name.log) }
    /// `input/`.
    public var input: URL { folder.appendingPathComponent(Name.input) }
    /// `working/`.
    public var working: URL { folder.appendingPathComponent(Name.working) }
    /// `submission/`.
    public var submissionFolder: URL { folder.appendingPathComponent(Name.submissionFolder) }
    /// `submission/submission.csv`.
    public var submission: URL { submissionFolder.appendingPathComponent(Name.submission) }
    /// Whether the script wrote `submission/submission.csv`.
    public var hasSubmission: Bool { FileManager.default.fileExists(atPath: submission.path) }

    /// How `input/` comes to hold the data.
    public enum Input: Sendable {
        /// A symbolic link to the folder (the sandbox mounts its target read-only).
        case link(URL)
        /// A copy of the folder, for data that must not be reachable through a link.
        case copy(URL)
        /// Left as it is.
        case none
    }

    /// Gets the folder ready for a run of `code`: writes the script, removes an earlier
    /// submission, creates `submission/` and `working/`, and puts the data at `input/`.
    ///
    /// - Parameters:
    ///   - code: The script.
    ///   - input: Where `input/` comes from; an earlier link is replaced, an earlier copy kept.
    /// - Throws: When the folder cannot be written.
    public func prepare(code: String, input: Input) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        try? fm.removeItem(at: submissionFolder)
        try fm.createDirectory(at: submissionFolder, withIntermediateDirectories: true)
        try fm.createDirectory(at: working, withIntermediateDirectories: true)
        try code.write(to: script, atomically: true, encoding: .utf8)
        switch input {
        case .link(let data):
            try? fm.removeItem(at: self.input)
            try fm.createSymbolicLink(at: self.input, withDestinationURL: data)
        case .copy(let data):
            guard !fm.fileExists(atPath: self.input.path) else { return }
            try fm.copyItem(at: data, to: self.input)
        case .none:
            break
        }
    }

    /// Removes `working/` (model files and caches can be large); the script, its log and its
    /// submission stay.
    public func dropWorkingFiles() {
        try? FileManager.default.removeItem(at: working)
    }
}
