import Foundation
public import StarlingBench
import StarlingCore
import StarlingStore
import StarlingRunFolder

/// Reads Starling run folders and gym environment folders and writes their steps as
/// trajectories, one ``TrajectoryStep`` per JSON line.
///
/// - A run folder (`journal.sqlite`) gives one trajectory: a step per node, in node order. The
///   journal keeps each node's plan, code, outcome and the tokens and latency of the LLM calls
///   of its step, not the prompts themselves, so `prompt` is the node's context (stage, parent,
///   the parent's score and error), `response` the plan and script. The reward is the
///   partial-credit reward in `position` mode; run nodes are not instrumented, so only the
///   stages the harness checked (submission written, valid) are known.
/// - An environment folder (`environment.json`, `steps.jsonl`) gives a trajectory per episode:
///   a step per action, with the reward, partial credit and stages the environment returned.
/// - Any other folder is searched one level down (and under `envs/`, a server's work root).
public struct TrajectoryExporter: Sendable {
    /// Where tasks are looked up to place run scores (leaderboard or calibration); run folders
    /// still export without it, from the calibration in `summary.json`.
    public var tasks: TaskStore?

    /// Creates an exporter.
    ///
    /// - Parameter tasks: The task store used for position scores of run nodes.
    public init(tasks: TaskStore? = nil) {
        self.tasks = tasks
    }

    /// The steps of every trajectory in a folder.
    ///
    /// - Parameter folder: A run folder, an environment folder, or a folder holding them.
    /// - Returns: Steps, trajectory by trajectory.
    /// - Throws: ``TrajectoryExportError`` naming the folder when it holds no trajectory or a
    ///   record cannot be read.
    public func steps(from folder: URL) throws -> [TrajectoryStep] {
        let fm = FileManager.default
        if RunLayout(folder).holdsRun { return try runSteps(folder) }
        if fm.fileExists(atPath: folder.appendingPathComponent(EpisodeLog.environmentFile).path) { return try episodeSteps(folder) }
        var found: [TrajectoryStep] = []
        var candidates = (try? fm.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        let envs = folder.appendingPathComponent("envs")
        candidates += (try? fm.contentsOfDirectory(at: envs, includingPropertiesForKeys: nil)) ?? []
        for child in candidates.sorted(by: { $0.path < $1.path }) {
            if RunLayout(child).holdsRun {
                found += try runSteps(child)
            } else if fm.fileExists(atPath: child.appendingPathComponent(EpisodeLog.environmentFile).path) {
                found += try episodeSteps(child)
            }
        }
        guard !found.isEmpty || candidates.contains(where: { fm.fileExists(atPath: $0.appendingPathComponent(EpisodeLog.environmentFile).path) || RunLayout($0).holdsRun }) else {
            throw TrajectoryExportError("\(folder.path) is neither a run folder (\(RunLayout.Name.journal)) nor an environment folder (environment.json), and holds none one level down")
        }
        return found
    }

    /// Writes the trajectories of several folders to a JSON Lines file.
    ///
    /// - Parameters:
    ///   - folders: Run folders, environment folders, or folders holding them.
    ///   - output: The `.jsonl` file (replaced).
    /// - Returns: Lines and trajectories written.
    /// - Throws: ``TrajectoryExportError`` or the file system's error.
    @discardableResult
    public func export(_ folders: [URL], to output: URL) throws -> (steps: Int, trajectories: Int) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        var trajectories = Set<String>()
        var count = 0
        for folder in folders {
            for step in try steps(from: folder) {
                data.append(try encoder.encode(step))
                data.append(0x0A)
                trajectories.insert(step.source + ":" + step.trajectoryID)
                count += 1
            }
        }
        try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: output, options: .atomic)
        return (count, trajectories.count)
    }

    // MARK: Episodes

    func episodeSteps(_ folder: URL) throws -> [TrajectoryStep] {
        let recordURL = folder.appendingPathComponent(EpisodeLog.environmentFile)
        let record: EnvironmentRecord
        do {
            record = try EpisodeLog.decoder.decode(EnvironmentRecord.self, from: Data(contentsOf: recordURL))
        } catch {
            throw TrajectoryExportError("\(recordURL.path) cannot be read: \(error)")
        }
        let stepsURL = folder.appendingPathComponent(EpisodeLog.stepsFile)
        let text = (try? String(contentsOf: stepsURL, encoding: .utf8)) ?? ""
        var records: [EpisodeStepRecord] = []
        for (index, line) in text.split(separator: "\n").enumerated() {
            do {
                records.append(try EpisodeLog.decoder.decode(EpisodeStepRecord.self, from: Data(line.utf8)))
            } catch {
                throw TrajectoryExportError("\(stepsURL.path):\(index + 1) is not a step record: \(error)")
            }
        }
        var result: [TrajectoryStep] = []
        for episode in record.episodes {
            let steps = records.filter { $0.episode == episode.number }.sorted { $0.step < $1.step }
            guard !steps.isEmpty else { continue }
            var prompt = episode.initialObservation["feedback"]?.string ?? ""
            let finalScore = episode.final?["test_score"]?.number
            for (index, step) in steps.enumerated() {
                let code = step.params["code"]?.string
                let response = code ?? Self.jsonText(.object(["action": .string(step.action), "params": step.params]))
                result.append(TrajectoryStep(
                    source: "episode", trajectoryID: "\(record.id)/episode-\(episode.number)", taskID: record.taskID,
                    step: index + 1, prompt: prompt, response: response,
                    action: .object(["name": .string(step.action), "params": step.params]),
                    reward: step.reward, partialCredit: step.info["partial_credit"]?.number,
                    stages: step.info["stages"].flatMap { $0.object == nil ? nil : $0 } ?? .null,
                    durationSeconds: step.durationSeconds, score: step.info["raw_score"]?.number, finalScore: finalScore,
                    done: index == steps.count - 1, terminated: step.terminated, truncated: step.truncated,
                    metadata: .object([
                        "environment_id": .string(record.id), "episode": .number(Double(episode.number)),
                        "episode_step": .number(Double(step.step)),
                        "action_status": step.observation["action_status"] ?? .null,
                        "ended_by": episode.endedBy.map(JSONValue.string) ?? .null,
                        "score_mode": .string(record.options.scoreMode.rawValue),
                        "started_at": .string(ISO8601DateFormatter().string(from: step.startedAt)),
                    ])))
                prompt = step.observation["feedback"]?.string ?? ""
            }
        }
        return result
    }

    // MARK: Runs

    func runSteps(_ folder: URL) throws -> [TrajectoryStep] {
        let journal: Journal
        let nodes: [JournalNode]
        let calls: [JournalLLMCall]
        let run: RunRecord?
        do {
            journal = try Journal(path: RunLayout(folder).journal)
            nodes = try journal.nodes()
            calls = try journal.llmCalls()
            run = try journal.run()
        } catch {
            throw TrajectoryExportError("\(RunLayout(folder).journal.path) cannot be read: \(error)")
        }
        let summary = try? RunLayout.readJSON(RunSummary.self, from: RunLayout(folder).summary)
        let taskID = run?.taskID ?? summary?.taskID ?? ""
        let positions = positionScorer(taskID: taskID, summary: summary)
        let finalScore = summary?.finalScore
        var byID: [Int: Node] = [:]
        for entry in nodes { byID[entry.node.id] = entry.node }
        var callsByStep: [String: [JournalLLMCall]] = [:]
        for call in calls { callsByStep[call.stepKey, default: []].append(call) }

        return nodes.enumerated().map { index, entry in
            let node = entry.node
            let stepCalls = callsByStep[entry.stepKey] ?? []
            let latency = stepCalls.reduce(0) { $0 + $1.latencySeconds }
            let stages = Self.derivedStages(node)
            let credit: Double
            if node.status == .succeeded, let score = node.harnessScore {
                credit = PartialCredit.credit(gradedWith: positions.position(of: score) ?? 0)
            } else {
                let furthest = ExecutionStage.allCases.last { stages[$0] == true }
                credit = furthest.flatMap { PartialCredit.stageCredit[$0] } ?? 0
            }
            return TrajectoryStep(
                source: "run", trajectoryID: run?.id ?? folder.lastPathComponent, taskID: taskID, step: index + 1,
                prompt: Self.runPrompt(node, stepKey: entry.stepKey, parent: node.parentID.flatMap { byID[$0] }),
                response: (node.plan.isEmpty ? "" : node.plan + "\n\n") + "```python\n\(node.code)\n```",
                action: .object(["name": .string("execute_code"), "params": .object([
                    "stage": .string(node.stage.rawValue), "step_key": .string(entry.stepKey),
                    "parent": node.parentID.map { .number(Double($0)) } ?? .null,
                ])]),
                reward: credit, partialCredit: credit,
                stages: .object(Dictionary(uniqueKeysWithValues: ExecutionStage.allCases.map { ($0.rawValue, stages[$0].map(JSONValue.bool) ?? .null) })),
                durationSeconds: (node.executionSeconds ?? 0) + latency, score: node.harnessScore, finalScore: finalScore,
                done: index == nodes.count - 1, terminated: index == nodes.count - 1 && run?.runStatus != .running, truncated: false,
                metadata: .object([
                    "node_id": .number(Double(node.id)), "parent_id": node.parentID.map { .number(Double($0)) } ?? .null,
                    "stage": .string(node.stage.rawValue), "step_key": .string(entry.stepKey), "status": .string(node.status.rawValue),
                    "error": node.error.map { .string(String($0.prefix(1000))) } ?? .null,
                    "self_reported_score": .number(node.selfReportedScore),
                    "execution_seconds": .number(node.executionSeconds), "llm_seconds": .number(latency),
                    "llm": .object([
                        "calls": .number(Double(stepCalls.count)),
                        "prompt_tokens": .number(Double(stepCalls.reduce(0) { $0 + $1.promptTokens })),
                        "completion_tokens": .number(Double(stepCalls.reduce(0) { $0 + $1.completionTokens })),
                        "cost_usd": .number(stepCalls.reduce(0) { $0 + $1.costUSD }),
                    ]),
                    "strategy": run.map { .string($0.strategy) } ?? .null,
                    "created_at": .string(ISO8601DateFormatter().string(from: node.createdAt)),
                ]))
        }
    }

    /// Stages the harness knows for a run node: whether a submission was written and valid.
    static func derivedStages(_ node: Node) -> [ExecutionStage: Bool] {
        switch node.status {
        case .pending:
            return [:]
        case .succeeded:
            return node.harnessScore != nil ? [.submissionWritten: true, .submissionValid: true] : [:]
        case .failed:
            let error = node.error ?? ""
            if error.hasPrefix("The submission is invalid") { return [.submissionWritten: true, .submissionValid: false] }
            if error.contains("did not write submission") { return [.submissionWritten: false, .submissionValid: false] }
            return [.submissionValid: false]
        }
    }

    /// The context a node's step acted on, from what the journal keeps.
    static func runPrompt(_ node: Node, stepKey: String, parent: Node?) -> String {
        var lines = ["Step \(stepKey) (stage \(node.stage.rawValue))."]
        if let parent {
            lines.append("Parent node \(parent.id) (\(parent.stage.rawValue), \(parent.status.rawValue)" + (parent.harnessScore.map { String(format: ", dev score %.6g", $0) } ?? "") + ").")
            if !parent.plan.isEmpty { lines.append("Parent plan: \(parent.plan)") }
            if let error = parent.error, parent.status == .failed { lines.append("Parent error:\n\(error.suffix(2000))") }
        } else {
            lines.append("No parent: a new solution.")
        }
        return lines.joined(separator: "\n")
    }

    private func positionScorer(taskID: String, summary: RunSummary?) -> PositionScorer {
        if let tasks, !taskID.isEmpty, let task = try? tasks.task(taskID), let scorer = try? PositionScorer(task: task) {
            return scorer
        }
        let direction = summary.flatMap { Direction(rawValue: $0.direction) } ?? .higher
        if let baseline = summary?.baseline, let reference = summary?.reference, baseline != reference {
            return PositionScorer(basis: .calibration(baseline: baseline, reference: reference), direction: direction)
        }
        return PositionScorer(basis: .none, direction: direction)
    }

    static func jsonText(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// Trajectories that could not be exported.
public struct TrajectoryExportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, naming the folder or file.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
