import StarlingStore

/// Where a run stands, as the journal's run record says (`run.status`).
package enum RunStatus: String, Sendable, Hashable, Codable {
    /// Started and not ended (or interrupted: `starling resume` continues it).
    case running
    /// Ended with a valid final submission.
    case finished
    /// Ended without a valid final submission, whoever ran it (Starling or a peer).
    case failed
}

extension RunRecord {
    /// The typed status; `nil` for a status this version does not know.
    package var runStatus: RunStatus? { RunStatus(rawValue: status) }
}

extension Journal {
    /// Marks the run ended with `status`.
    package func finishRun(_ status: RunStatus, elapsedSeconds: Double) throws {
        try finishRun(status: status.rawValue, elapsedSeconds: elapsedSeconds)
    }
}
