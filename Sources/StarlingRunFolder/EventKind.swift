import StarlingStore

/// The kinds of journal event a run records; reports and summaries count them by kind.
package enum EventKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A stage of the search began or ended.
    case stage
    /// A progress line about a step.
    case step
    /// A node ran.
    case node
    /// Something went wrong and the run went on.
    case warning
    /// A check's result (label shuffle).
    case check
    /// A possible leak (a checker's verdict, a self-reported score far from the harness's).
    case leakWarning = "leak-warning"
    /// A request about to be sent a second time unchanged, sent with other sampling instead.
    case repeatRequest = "repeat-request"
    /// A reply that repeated the script it should change.
    case identicalReply = "identical-reply"
    /// An edit reply that did not apply or parse.
    case editRejected = "edit-rejected"
    /// A repair made without the LLM.
    case repair
    /// A repository exploration tool call and its answer (JSON: turn, tool, target, ok, output).
    case tool
}

extension EventRecord {
    /// An event of `kind`, now.
    package init(_ kind: EventKind, _ message: String) {
        self.init(kind: kind.rawValue, message: message)
    }

    /// The typed kind; `nil` for a kind this version does not know.
    package var eventKind: EventKind? { EventKind(rawValue: kind) }
}
