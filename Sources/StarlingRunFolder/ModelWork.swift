import Foundation
import StarlingCore
import StarlingStore

/// What the model's own work amounted to in a run: the numbers a run is judged by.
///
/// "LLM-written scripts" are nodes whose script the model wrote or edited (origin
/// ``NodeOrigin/model``) in the stages that must write a graded submission: ablation scripts and
/// final reruns are not counted, nor replies that held no script. Grounded repairs and card
/// examples are counted apart.
package struct ModelWork: Sendable, Hashable, Codable {
    /// LLM-written scripts made.
    package var scriptsWritten = 0
    /// Of those, how many were executed (the rest were stopped by the pre-flight check).
    package var scriptsRan = 0
    /// Of those, how many wrote a valid submission that the harness graded.
    package var scriptsValid = 0
    /// Grounded repairs run as nodes of their own (no LLM call), and how many of them were valid.
    package var repairNodes = 0, repairNodesValid = 0
    /// Model card examples run unchanged.
    package var examplesRun = 0
    /// Replies that repeated the script they should change (never executed).
    package var identicalReplies = 0
    /// Edit replies that did not apply or parse (re-asked with the reason).
    package var editsRejected = 0
    /// Requests that were about to go out a second time unchanged and were sent with other sampling.
    package var repeatedRequests = 0
    /// Repairs made without the LLM, by kind (`import`, `attribute`, `argument`).
    package var repairsByKind: [String: Int] = [:]
    /// Who wrote the submitted script: `model`, `repair` or `example`; `nil` without a submission.
    package var submittedOrigin: NodeOrigin?
    /// The best dev score of any unchanged card example in the run.
    package var bestExampleDevScore: Double?
    /// Whether the submitted script holds model-written changes and scored strictly better on
    /// the dev rows than the best unchanged example; `nil` when either score is missing.
    package var beatsBestExample: Bool?
    /// LLM calls per minute of the run's wall time.
    package var llmCallsPerMinute = 0.0
    /// Share of the run's wall time with at least one LLM call in flight.
    package var llmWaitShare = 0.0

    /// Creates empty figures.
    package init() {}

    /// Stages whose scripts must write a graded submission.
    package static let gradedStages: Set<NodeStage> = [.draft, .debug, .improve, .candidate, .merge, .refine, .ensemble]

    /// Measures a run from its journal.
    ///
    /// - Parameters:
    ///   - journal: The run journal.
    ///   - submitted: The node whose script was submitted, if any.
    ///   - direction: The metric's direction.
    ///   - elapsedSeconds: The run's wall time so far.
    /// - Returns: The figures; empty parts when the journal cannot be read.
    package static func measure(journal: Journal, submitted: Int?, direction: Direction, elapsedSeconds: Double) -> ModelWork {
        let nodes = ((try? journal.nodes()) ?? []).map(\.node)
        let events = (try? journal.events()) ?? []
        let calls = (try? journal.llmCalls(exchanges: false)) ?? []
        return measure(nodes: nodes, events: events, calls: calls, submitted: submitted, direction: direction, elapsedSeconds: elapsedSeconds)
    }

    /// Measures a run from its nodes, events and calls.
    package static func measure(nodes: [Node], events: [EventRecord], calls: [JournalLLMCall], submitted: Int?,
                               direction: Direction, elapsedSeconds: Double) -> ModelWork {
        var work = ModelWork()
        // A pending node was still running when the search stopped: it neither failed nor ran.
        let graded = nodes.filter { gradedStages.contains($0.stage) && !$0.code.isEmpty && $0.status != .pending }
        let valid: (Node) -> Bool = { $0.status == .succeeded && $0.harnessScore != nil }
        let written = graded.filter { $0.origin == .model }
        work.scriptsWritten = written.count
        work.scriptsRan = written.filter { $0.executionSeconds != nil }.count
        work.scriptsValid = written.filter(valid).count
        let repairs = graded.filter { $0.origin == .repair }
        work.repairNodes = repairs.count
        work.repairNodesValid = repairs.filter(valid).count
        let examples = graded.filter { $0.origin == .example }
        work.examplesRun = examples.count
        work.bestExampleDevScore = examples.compactMap { valid($0) ? $0.harnessScore : nil }
            .reduce(nil) { best, score in best.map { direction.isBetter(score, than: $0) ? score : $0 } ?? score }
        work.identicalReplies = events.filter { $0.eventKind == .identicalReply }.count
        work.editsRejected = events.filter { $0.eventKind == .editRejected }.count
        work.repeatedRequests = events.filter { $0.eventKind == .repeatRequest }.count
        for event in events where event.eventKind == .repair {
            guard event.message.hasPrefix("["), let close = event.message.firstIndex(of: "]") else { continue }
            work.repairsByKind[String(event.message[event.message.index(after: event.message.startIndex)..<close]), default: 0] += 1
        }
        if let submitted, let node = nodes.first(where: { $0.id == submitted }) {
            work.submittedOrigin = node.origin
            if let score = node.harnessScore, let example = work.bestExampleDevScore {
                work.beatsBestExample = node.origin != .example && direction.isBetter(score, than: example)
            }
        }
        let minutes = max(elapsedSeconds, 1) / 60
        work.llmCallsPerMinute = Double(calls.filter { !$0.cacheHit }.count) / minutes
        work.llmWaitShare = min(1, busySeconds(calls) / max(elapsedSeconds, 1))
        return work
    }

    /// Seconds covered by at least one call (overlapping calls count once).
    static func busySeconds(_ calls: [JournalLLMCall]) -> Double {
        let spans = calls.map { call -> (Double, Double) in
            let end = call.createdAt.timeIntervalSinceReferenceDate
            return (end - call.latencySeconds, end)
        }.sorted { $0.0 < $1.0 }
        var total = 0.0
        var current: (Double, Double)?
        for span in spans {
            if let c = current, span.0 <= c.1 {
                current = (c.0, max(c.1, span.1))
            } else {
                if let c = current { total += c.1 - c.0 }
                current = span
            }
        }
        if let c = current { total += c.1 - c.0 }
        return total
    }

    /// One line for the end-of-run text and logs.
    package var line: String {
        var parts = ["\(scriptsWritten) LLM-written scripts, \(scriptsRan) ran, \(scriptsValid) valid"]
        if repairNodes > 0 { parts.append("\(repairNodes) repaired without the LLM (\(repairNodesValid) valid)") }
        parts.append("\(examplesRun) card examples")
        if identicalReplies > 0 { parts.append("\(identicalReplies) identical replies caught") }
        if editsRejected > 0 { parts.append("\(editsRejected) edits re-asked") }
        if !repairsByKind.isEmpty { parts.append("repairs " + repairsByKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")) }
        return parts.joined(separator: "; ")
    }
}
