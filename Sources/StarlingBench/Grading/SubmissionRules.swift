/// How strictly a task reads a submission, beyond what its metric needs: the checks an
/// MLE-bench competition's `grade.py` makes differ from one competition to the next, and a grader
/// that accepts what the real one rejects is a reward an agent can game. Read from the `grader`
/// section of `config.yaml`; the defaults are Starling's own strict rules.
package struct SubmissionRules: Sendable, Hashable, Codable {
    /// Which columns a submission must have.
    package enum Columns: String, Sendable, Hashable, Codable, CaseIterable {
        /// The sample submission's columns, no more and no fewer.
        case sample
        /// The id and target columns; others (the sample's carried columns, extra ones) are ignored.
        case required
    }

    /// How submission rows meet answer rows.
    package enum Alignment: String, Sendable, Hashable, Codable, CaseIterable {
        /// By id, in any order.
        case id
        /// By position: row n of the submission is graded against row n of the answers, whatever
        /// its id (nomad2018's grader never reads the id column).
        case position
        /// Both sides sorted by id, then row by row: the ids decide the order but are never
        /// compared (the taxi-fare grader sorts by `key` and scores the columns as they fall).
        case sorted
    }

    /// `grader.columns`.
    package var columns: Columns
    /// `grader.id_first`: the id must be the first column (spooky's grader reads the
    /// probabilities by position, after the first column).
    package var idFirst: Bool
    /// `grader.align`.
    package var alignment: Alignment
    /// `grader.unscored_answer`: answer rows holding this value in a target column are not scored
    /// (jigsaw's test labels mark unused rows with -1).
    package var unscoredAnswer: String?
    /// `grader.bounded`: whether probabilities must lie in [0, 1] (jigsaw's and plant-pathology's
    /// graders rank any numbers).
    package var bounded: Bool
    /// `grader.labels_as_text`: labels are compared as the text pandas holds (`astype(str)`):
    /// a missing value is the label `nan`, nothing is trimmed (the text-normalization graders).
    package var labelsAsText: Bool

    /// Creates rules.
    package init(columns: Columns = .sample, idFirst: Bool = false, alignment: Alignment = .id,
                unscoredAnswer: String? = nil, bounded: Bool = true, labelsAsText: Bool = false) {
        self.columns = columns
        self.idFirst = idFirst
        self.alignment = alignment
        self.unscoredAnswer = unscoredAnswer
        self.bounded = bounded
        self.labelsAsText = labelsAsText
    }

    /// Starling's own rules.
    package static let strict = SubmissionRules()

    /// Whether these are the defaults (then a config need not say anything).
    package var isStrict: Bool { self == .strict }
}
