import Foundation

/// The stages one execution reached, with when each was first seen.
package struct StageReport: Sendable, Hashable, Codable {
    /// Seconds from the script's start to each stage the probe saw; the harness's own checks
    /// (submission written, valid) carry the run's total time.
    package var reached: [ExecutionStage: Double] = [:]
    /// What the probe saw for each stage, e.g. `"LogisticRegression.fit"`.
    package var details: [ExecutionStage: String] = [:]
    /// The compiler's message when the script did not parse (nothing ran).
    package var syntaxError: String?

    /// Whether a stage was reached.
    package func has(_ stage: ExecutionStage) -> Bool { reached[stage] != nil }

    /// The furthest stage reached, if any.
    package var furthest: ExecutionStage? { reached.keys.max() }

    /// Marks a stage as reached.
    package mutating func mark(_ stage: ExecutionStage, at seconds: Double, detail: String? = nil) {
        if reached[stage] == nil { reached[stage] = seconds }
        if let detail, details[stage] == nil { details[stage] = detail }
    }

    /// Reads the probe's events file: one JSON object per line with `stage`, `seconds` and
    /// `detail`. Unknown stages and unreadable lines are skipped: the file is written by a
    /// process the agent's code shares, so it is read defensively.
    ///
    /// - Parameter url: The events file; a missing file means nothing was reached.
    /// - Returns: The report.
    package static func read(eventsAt url: URL) -> StageReport {
        var report = StageReport()
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return report }
        for line in text.split(separator: "\n").prefix(100) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let name = object["stage"] as? String else { continue }
            let seconds = (object["seconds"] as? NSNumber)?.doubleValue ?? 0
            let detail = (object["detail"] as? String).map { String($0.prefix(300)) }
            if name == "syntax_error" {
                report.syntaxError = detail ?? "SyntaxError"
            } else if let stage = ExecutionStage(rawValue: name), stage < .submissionWritten {
                // The probe may only claim in-process stages; the harness checks the rest itself.
                report.mark(stage, at: seconds, detail: detail)
            }
        }
        return report
    }

    /// The stages as a JSON-friendly map `stage → reached`, every stage present.
    package var flags: [String: Bool] {
        Dictionary(uniqueKeysWithValues: ExecutionStage.allCases.map { ($0.rawValue, has($0)) })
    }
}
