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
package struct ScriptWorkspace: Sendable, Hashable {
    /// The folder.
    package let folder: URL

    /// Names, relative to the folder.
    package enum Name {
        package static let script = "solution.py"
        package static let log = "run.log"
        package static let input = "input"
        package static let working = "working"
        package static let submissionFolder = "submission"
        /// The submission file's name, in `submission/` (and in a run's `final/`).
        package static let submission = "submission.csv"
        /// Where the script writes its predictions, as the prompts and error messages say it.
        package static let submissionPath = "\(submissionFolder)/\(submission)"
    }

    /// A workspace in `folder`.
    package init(_ folder: URL) { self.folder = folder }

    /// `solution.py`.
    package var script: URL { folder.appendingPathComponent(Name.script) }
    /// `run.log`.
    package var log: URL { folder.appendingPathComponent(Name.log) }
    /// `input/`.
    package var input: URL { folder.appendingPathComponent(Name.input) }
    /// `working/`.
    package var working: URL { folder.appendingPathComponent(Name.working) }
    /// `submission/`.
    package var submissionFolder: URL { folder.appendingPathComponent(Name.submissionFolder) }
    /// `submission/submission.csv`.
    package var submission: URL { submissionFolder.appendingPathComponent(Name.submission) }
    /// Whether the script wrote `submission/submission.csv`.
    package var hasSubmission: Bool { FileManager.default.fileExists(atPath: submission.path) }

    /// How `input/` comes to hold the data.
    package enum Input: Sendable {
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
    package func prepare(code: String, input: Input) throws {
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
    package func dropWorkingFiles() {
        try? FileManager.default.removeItem(at: working)
    }
}
