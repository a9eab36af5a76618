import Foundation
#if canImport(Glibc)
import Glibc
#endif
import StarlingBench
import StarlingCore
import StarlingStore
import StarlingRunFolder
import StarlingRuntime

extension AidemlCellRunner {
    /// Starts the proxy and waits until its socket exists.
    func startProxy(script: URL, socket: URL, upstream: URL, mode: String, log: URL, output: URL) async throws -> ChildProcess {
        let fm = FileManager.default
        _ = fm.createFile(atPath: output.path, contents: nil)
        let process = try ChildProcess(
            python, ["-u", script.path, "--socket", socket.path, "--upstream", upstream.absoluteString, "--mode", mode, "--log", log.path],
            environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"], output: .file(output))
        for _ in 0..<200 {
            if fm.fileExists(atPath: socket.path) { return process }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.kill()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        throw BenchCellError("the aideml proxy did not start: \(Self.lastLine(of: text))")
    }

    /// The last non-empty line of some output, for a failure reason.
    static func lastLine(of text: String) -> String {
        let line = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.last { !$0.isEmpty } ?? "(no output)"
        return String(line.prefix(300))
    }

    /// Seconds in a duration.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// One call the proxy logged.
    struct ProxyCall: Decodable {
        var time: Double
        var path: String
        var status: Int?
        var seconds: Double?
        var prompt_tokens: Int?
        var completion_tokens: Int?
        var rewritten_tool: String?
        var error: String?
    }

    /// The calls in the proxy's log (unreadable lines skipped).
    static func calls(_ log: URL) -> [ProxyCall] {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(ProxyCall.self, from: Data($0.utf8)) }
            .filter { $0.path.hasSuffix("/chat/completions") }
    }

    /// Token and call totals over the proxy's calls; a local server costs nothing.
    static func totals(_ calls: [ProxyCall]) -> LLMTotals {
        var totals = LLMTotals()
        for call in calls {
            totals.calls += 1
            totals.promptTokens += call.prompt_tokens ?? 0
            totals.completionTokens += call.completion_tokens ?? 0
            totals.latencySeconds += call.seconds ?? 0
        }
        return totals
    }

    /// Writes `journal.sqlite` from aideml's journal and the proxy's log, so the run report
    /// shows aideml's tree, its calls and how the cell ended.
    ///
    /// - Returns: Journal node id by aideml node id.
    func writeJournal(folder: URL, task: TaskDefinition, cell: BenchCell, aideml: AidemlJournal?, calls: [ProxyCall],
                      arguments: [String], stopReason: String, final: AidemlJournal.Node?, started: Date,
                      elapsed: Double) throws -> [String: Int] {
        let store = try Journal(path: RunLayout(folder).journal)
        let config = try JSONSerialization.data(withJSONObject: ["aideml": arguments, "model": modelName], options: [.sortedKeys])
        _ = try store.startRun(RunRecord(id: UUID().uuidString, taskID: task.id, strategy: cell.strategy,
                                         configJSON: String(decoding: config, as: UTF8.self), startedAt: started))
        var ids: [String: Int] = [:]
        for node in aideml?.nodes ?? [] {
            let stage: NodeStage = switch aideml?.stage(of: node) {
            case "draft": .draft
            case "debug": .debug
            default: .improve
            }
            let parent = node.parentID.flatMap { ids[$0] }
            let made = try store.createNode(step: .aideml(node.step)) { id in
                Node(id: id, parentID: parent, stage: stage, plan: node.plan, code: node.code,
                     status: node.isBuggy ? .failed : .succeeded, selfReportedScore: node.metric,
                     error: node.isBuggy ? (node.exceptionType.map { "\($0): " } ?? "") + (node.analysis ?? "marked buggy by aideml's review") : nil,
                     executionSeconds: node.executionSeconds,
                     createdAt: node.createdAt.map { Date(timeIntervalSince1970: $0) } ?? Date())
            }
            ids[node.id] = made.id
        }
        if let node = final, let parent = ids[node.id] {
            // The self-reported score is aideml's own validation metric; the real test score is
            // the summary's final score and final/grade.json, as for every run.
            _ = try store.createNode(step: .final(node: parent)) { id in
                Node(id: id, parentID: parent, stage: .final, plan: "final run of aideml's best node (step \(node.step)) on the public files",
                     code: node.code, status: .succeeded, harnessScore: nil, selfReportedScore: node.metric)
            }
        }
        for call in calls {
            try store.record(JournalLLMCall(role: call.rewritten_tool == nil ? "aideml" : "aideml-review", model: modelName, stepKey: "aideml",
                                            promptTokens: call.prompt_tokens ?? 0, completionTokens: call.completion_tokens ?? 0,
                                            costUSD: 0, latencySeconds: call.seconds ?? 0, cacheHit: false,
                                            createdAt: Date(timeIntervalSince1970: call.time)))
        }
        let failedCalls = calls.filter { ($0.status ?? 0) != 200 }
        if let first = failedCalls.first {
            try store.record(EventRecord(.warning, "\(failedCalls.count) LLM calls failed; first: HTTP \(first.status ?? 0) \(first.error ?? "")"))
        }
        try store.record(EventRecord(.stage, "aideml stopped: \(stopReason)"))
        try store.finishRun(final == nil ? RunStatus.failed : .finished, elapsedSeconds: elapsed)
        return ids
    }
}
