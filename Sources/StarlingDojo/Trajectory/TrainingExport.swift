import Foundation
import StarlingCore
import StarlingRuntime
import StarlingStore

/// What `starling export trajectories` writes.
package enum ExportFormat: String, Sendable, Hashable, CaseIterable {
    /// One ``TrajectoryStep`` per node or gym action (`starling.trajectory/1`).
    case steps
    /// One conversation per LLM exchange: `{"messages": [...], "metadata": {...}}`, the messages
    /// format of OpenAI fine-tuning and TRL's conversational datasets, the reply as the last
    /// (assistant) message.
    case chat
    /// `{"prompt": [...], "chosen": [...], "rejected": [...], "metadata": {...}}`: two replies to
    /// the same messages whose nodes the harness scored differently (DPO-style trainers' input).
    case preference
}

/// Which exchanges a chat export keeps (rejection-sampling SFT keeps the good ones).
package struct ExportFilter: Sendable, Hashable {
    /// Keep only exchanges whose node's reward is at least this.
    package var minReward: Double?
    /// Keep only exchanges whose node ran and wrote a valid, scored submission.
    package var onlySucceeded: Bool

    /// Creates a filter (keeps everything by default).
    package init(minReward: Double? = nil, onlySucceeded: Bool = false) {
        self.minReward = minReward
        self.onlySucceeded = onlySucceeded
    }

    var isActive: Bool { minReward != nil || onlySucceeded }
}

/// What an export wrote and what it left out, and why.
package struct ExportCounts: Sendable, Hashable {
    /// Lines written.
    package var lines = 0
    /// Distinct trajectories (runs and gym episodes) the lines come from.
    package var trajectories = 0
    /// Steps (``ExportFormat/steps``).
    package var steps = 0
    /// Conversations (``ExportFormat/chat``).
    package var conversations = 0
    /// Preference pairs (``ExportFormat/preference``).
    package var pairs = 0
    /// Run and environment folders read.
    package var folders = 0
    /// Trajectory ids that another folder already had, renamed with a `~n` suffix.
    package var renamed = 0
    /// Records left out, by reason.
    package var skipped: [String: Int] = [:]

    /// Creates empty counts.
    package init() {}

    mutating func skip(_ reason: String, _ count: Int = 1) {
        guard count > 0 else { return }
        skipped[reason, default: 0] += count
    }

    /// One paragraph for the terminal.
    package var summary: String {
        var parts = ["\(lines) lines from \(trajectories) trajectories in \(folders) folders"]
        if steps > 0 { parts.append("\(steps) steps") }
        if conversations > 0 { parts.append("\(conversations) conversations") }
        if pairs > 0 { parts.append("\(pairs) preference pairs") }
        var text = parts.joined(separator: ", ")
        if renamed > 0 { text += "; \(renamed) duplicate trajectory ids renamed with a ~n suffix" }
        if !skipped.isEmpty {
            text += "\nskipped: " + skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: "; ")
        }
        return text
    }
}

/// The chat and preference lines of runs.
enum TrainingLines {
    /// One exchange with what its reply led to.
    struct Exchange {
        var trace: RunTrace
        var call: JournalLLMCall
        var exchange: LLMExchange
        var outcome: RunTrace.Outcome?
    }

    /// Every exchange of the runs that kept one; counts the calls that did not.
    static func exchanges(of traces: [RunTrace], counts: inout ExportCounts) -> [Exchange] {
        var found: [Exchange] = []
        for trace in traces {
            for (index, call) in trace.calls.enumerated() {
                guard let exchange = call.exchange else {
                    counts.skip("LLM calls without their messages (journals from before exchanges were kept)")
                    continue
                }
                found.append(Exchange(trace: trace, call: call, exchange: exchange, outcome: trace.outcome(ofCall: index)))
            }
        }
        return found
    }

    static func messages(_ exchange: LLMExchange) -> JSONValue {
        .array(exchange.messages.map { .object(["role": .string($0.role), "content": .string($0.content)]) })
    }

    static func assistant(_ text: String) -> JSONValue {
        .array([.object(["role": .string("assistant"), "content": .string(text)])])
    }

    /// What a line says about where an exchange came from and what its reply came to. Every key
    /// is present on every line (null when unknown), so column types stay the same across lines.
    static func metadata(_ item: Exchange) -> [String: JSONValue] {
        let outcome = item.outcome
        func number(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }
        return [
            "trajectory_id": .string(item.trace.id), "task_id": .string(item.trace.taskID), "strategy": .string(item.trace.strategy),
            "step_key": .string(item.call.stepKey), "call": number(item.call.number.map(Double.init)), "role": .string(item.call.role),
            "model": .string(item.call.model), "temperature": number(item.exchange.temperature),
            "seed": number(item.exchange.seed.map(Double.init)), "response_format": .string(item.exchange.responseFormat ?? "text"),
            "finish_reason": item.exchange.finishReason.map(JSONValue.string) ?? .null,
            "prompt_tokens": .number(Double(item.call.promptTokens)), "completion_tokens": .number(Double(item.call.completionTokens)),
            "latency_seconds": .number(item.call.latencySeconds), "cache_hit": .bool(item.call.cacheHit),
            "node_id": number(outcome.map { Double($0.nodeID) }),
            "node_status": outcome.map { .string($0.discarded ? "discarded" : $0.status.rawValue) } ?? .null,
            "node_origin": outcome.map { .string($0.origin.rawValue) } ?? .null,
            "reward": number(outcome?.credit), "partial_credit": number(outcome?.credit), "harness_score": number(outcome?.harnessScore),
            "duration_seconds": number(outcome?.durationSeconds), "final_score": number(item.trace.finalScore),
        ]
    }

    /// Whether an item passes the filter; counts why not.
    static func keeps(_ item: Exchange, _ filter: ExportFilter, counts: inout ExportCounts) -> Bool {
        guard filter.isActive else { return true }
        guard let outcome = item.outcome else {
            counts.skip("exchanges whose reply produced no node (plans, retrieval, reviews), left out by the filter")
            return false
        }
        if filter.onlySucceeded, !(outcome.status == .succeeded && outcome.harnessScore != nil) {
            counts.skip("exchanges whose node did not succeed (--only-succeeded)")
            return false
        }
        if let minimum = filter.minReward, outcome.credit < minimum {
            counts.skip("exchanges with a reward below --min-reward \(minimum)")
            return false
        }
        return true
    }

    /// Chat lines: one per exchange.
    static func chat(_ items: [Exchange], filter: ExportFilter, counts: inout ExportCounts) -> [JSONValue] {
        var lines: [JSONValue] = []
        for item in items where keeps(item, filter, counts: &counts) {
            guard case .array(var messages) = Self.messages(item.exchange) else { continue }
            messages.append(.object(["role": .string("assistant"), "content": .string(item.exchange.reply)]))
            lines.append(.object(["messages": .array(messages), "metadata": .object(metadata(item))]))
        }
        return lines
    }

    /// Preference lines, at most `limit` pairs per set of replies: replies to the same messages
    /// whose nodes did differently (`pairing: same_prompt`), and the replies that made sibling
    /// changes of one parent in a run (`pairing: siblings`; each answered its own instruction,
    /// kept as `rejected_prompt`) whose cross-validated scores differ beyond noise. The better
    /// one is chosen by the paired cross-validated gain when both nodes have one, else by reward.
    static func preference(_ items: [Exchange], limit: Int = 10, counts: inout ExportCounts) -> [JSONValue] {
        let produced = items.filter { item in
            if item.outcome == nil { counts.skip("exchanges whose reply produced no node (no outcome to compare)") }
            return item.outcome != nil
        }
        return samePrompt(produced, limit: limit, counts: &counts) + siblings(produced, limit: limit, counts: &counts)
    }

    /// Pairs of replies to exactly the same messages.
    static func samePrompt(_ items: [Exchange], limit: Int, counts: inout ExportCounts) -> [JSONValue] {
        var groups: [String: [Exchange]] = [:]
        var order: [String] = []
        for item in items {
            let key = contextKey(item.exchange)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(item)
        }
        var lines: [JSONValue] = []
        for key in order {
            let group = groups[key]!.sorted { $0.outcome!.credit > $1.outcome!.credit }
            if group.count < 2 {
                counts.skip("exchanges with no other reply to the same messages")
                continue
            }
            let made = pairs(in: group, limit: limit, pairing: "same_prompt", into: &lines) { a, b in a.exchange.messages == b.exchange.messages }
            if made == 0 { counts.skip("sets of replies to the same messages that all did alike (the same reward, or cross-validated scores within noise)", 1) }
        }
        return lines
    }

    /// Pairs of replies that made sibling changes of one parent (model-written nodes of one run,
    /// both cross-validated), their messages different.
    static func siblings(_ items: [Exchange], limit: Int, counts: inout ExportCounts) -> [JSONValue] {
        var groups: [String: [Exchange]] = [:]
        var order: [String] = []
        for item in items {
            guard let outcome = item.outcome, !outcome.discarded, outcome.origin == .model, let parent = outcome.parentID,
                  outcome.crossValidation != nil else { continue }
            let key = "\(item.trace.id)#\(parent)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(item)
        }
        var lines: [JSONValue] = []
        for key in order where groups[key]!.count >= 2 {
            let group = groups[key]!.sorted { $0.outcome!.crossValidation!.mean > $1.outcome!.crossValidation!.mean }
            let made = pairs(in: group, limit: limit, pairing: "siblings", into: &lines) { a, b in a.exchange.messages != b.exchange.messages }
            if made == 0 { counts.skip("sets of sibling changes whose cross-validated scores are all within noise of each other", 1) }
        }
        return lines
    }

    /// Appends the pairs of `group` that `eligible` allows and whose nodes differ (see
    /// ``compare(_:_:)``), each pair of reply texts once; returns how many it made.
    static func pairs(in group: [Exchange], limit: Int, pairing: String, into lines: inout [JSONValue],
                      eligible: (Exchange, Exchange) -> Bool) -> Int {
        var made = 0
        var texts = Set<[String]>()
        for (i, first) in group.enumerated() {
            for second in group[(i + 1)...] where made < limit {
                guard eligible(first, second), first.exchange.reply != second.exchange.reply,
                      let (better, worse, gain) = compare(first, second),
                      texts.insert([better.exchange.reply, worse.exchange.reply]).inserted else { continue }
                var meta: [String: JSONValue] = ["context": .string(contextKey(better.exchange)), "pairing": .string(pairing),
                                                 "cv_gain": gain.map { .number($0.mean) } ?? .null,
                                                 "cv_gain_standard_error": gain.map { .number($0.standardError) } ?? .null]
                for (name, value) in metadata(better) { meta["chosen_" + name] = value }
                for (name, value) in metadata(worse) { meta["rejected_" + name] = value }
                meta["rejected_prompt"] = Self.messages(worse.exchange)  // the prompt itself, but for siblings
                lines.append(.object([
                    "prompt": Self.messages(better.exchange), "chosen": assistant(better.exchange.reply),
                    "rejected": assistant(worse.exchange.reply), "metadata": .object(meta),
                ]))
                made += 1
            }
        }
        return made
    }

    /// Which of two replies' nodes did better: by the paired gain of their cross-validated scores
    /// when both have them on one task's folds (only a gain beyond its noise counts), else by
    /// reward; `nil` when neither did better.
    static func compare(_ a: Exchange, _ b: Exchange) -> (better: Exchange, worse: Exchange, gain: PairedGain?)? {
        let x = a.outcome!, y = b.outcome!
        if a.trace.taskID == b.trace.taskID, let cx = x.crossValidation, let cy = y.crossValidation,
           let gain = cx.gain(over: cy, direction: a.trace.direction), let reverse = cy.gain(over: cx, direction: a.trace.direction) {
            if gain.beatsNoise { return (a, b, gain) }
            if reverse.beatsNoise { return (b, a, reverse) }
            return nil
        }
        if x.credit != y.credit { return x.credit > y.credit ? (a, b, nil) : (b, a, nil) }
        return nil
    }

    /// The messages as one key (the first 16 hex digits of their SHA-256): replies pair only
    /// when everything sent was the same.
    static func contextKey(_ exchange: LLMExchange) -> String {
        let text = exchange.messages.map { $0.role + "\u{1}" + $0.content }.joined(separator: "\u{2}")
        return String(Checksum.sha256(of: Data(text.utf8)).prefix(16))
    }
}
