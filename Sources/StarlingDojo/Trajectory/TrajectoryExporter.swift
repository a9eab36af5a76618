import Foundation
import StarlingBench
import StarlingCore
import StarlingStore
import StarlingRunFolder

/// Reads Starling run folders and gym environment folders and writes what they hold as training
/// data: trajectory steps, chat conversations or preference pairs (``ExportFormat``).
///
/// - A run folder (`journal.sqlite`) gives one trajectory: a step per node, in node order; its
///   prompt is the LLM exchange whose reply holds the node's code, as it was sent (the messages,
///   joined with their roles), its response that exchange's reply. Journals from before exchanges were
///   kept give the node's context (stage, parent, the parent's score and error) and its plan and
///   script instead. The reward is the partial-credit reward in `position` mode; run nodes are
///   not instrumented, so only the stages the harness checked (submission written, valid) are known.
/// - An environment folder (`environment.json`, `steps.jsonl`) gives a trajectory per episode:
///   a step per action, with the reward, partial credit and stages the environment returned.
/// - Any other folder is searched at any depth (a bench folder, a gym server's work root, a
///   folder of benches); a run or environment folder is not searched further.
///
/// Trajectory ids are the task, strategy, folder name and the run's UUID; two trajectories
/// that still share an id (journals from before UUIDs) are kept apart with a `~n` suffix.
package struct TrajectoryExporter: Sendable {
    /// Where tasks are looked up to place run scores (leaderboard or calibration); run folders
    /// still export without it, from the calibration in `summary.json`.
    package var tasks: TaskStore?

    /// Creates an exporter.
    ///
    /// - Parameter tasks: The task store used for position scores of run nodes.
    package init(tasks: TaskStore? = nil) {
        self.tasks = tasks
    }

    /// A folder that holds trajectories.
    package enum Source: Sendable, Hashable {
        /// A run folder.
        case run(URL)
        /// A gym environment folder.
        case environment(URL)
    }

    /// The run and environment folders in `folder`, itself included, at any depth.
    ///
    /// - Throws: ``TrajectoryExportError`` when there are none.
    package func sources(in folder: URL) throws -> [Source] {
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw TrajectoryExportError("\(folder.path) does not exist: give run folders, bench folders or folders holding them")
        }
        var found: [Source] = []
        var visited = Set<String>()
        func walk(_ url: URL) {
            let real = url.resolvingSymlinksInPath().path
            guard visited.insert(real).inserted else { return }
            if RunLayout(url).holdsRun { found.append(.run(url)); return }
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(EpisodeLog.environmentFile).path) {
                found.append(.environment(url)); return
            }
            let children = (try? FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: [.isDirectoryKey])) ?? []
            for child in children.sorted(by: { $0.path < $1.path }) where !child.lastPathComponent.hasPrefix(".") {
                if (try? child.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true { walk(child) }
            }
        }
        walk(folder)
        guard !found.isEmpty else {
            throw TrajectoryExportError("\(folder.path) holds no run folder (\(RunLayout.Name.journal)) and no environment folder (environment.json) at any depth")
        }
        return found
    }

    /// The steps of every trajectory in a folder (at any depth).
    ///
    /// - Parameter folder: A run folder, an environment folder, or a folder holding them.
    /// - Returns: Steps, trajectory by trajectory.
    /// - Throws: ``TrajectoryExportError`` naming the folder when it holds no trajectory or a
    ///   record cannot be read.
    package func steps(from folder: URL) throws -> [TrajectoryStep] {
        var counts = ExportCounts()
        return try collect([folder], counts: &counts).steps
    }

    /// Writes the trajectories of several folders to a JSON Lines file.
    ///
    /// - Parameters:
    ///   - folders: Run folders, environment folders, or folders holding them at any depth.
    ///   - output: The `.jsonl` file (replaced).
    ///   - format: What each line is.
    ///   - filter: Which exchanges a chat export keeps.
    /// - Returns: What was written and what was left out, and why.
    /// - Throws: ``TrajectoryExportError`` or the file system's error.
    @discardableResult
    package func export(_ folders: [URL], to output: URL, format: ExportFormat = .steps,
                       filter: ExportFilter = ExportFilter()) throws -> ExportCounts {
        var counts = ExportCounts()
        let (steps, traces) = try collect(folders, counts: &counts)
        var lines: [Data] = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var trajectories = Set<String>()
        switch format {
        case .steps:
            for step in steps {
                lines.append(try encoder.encode(step))
                trajectories.insert(step.source + ":" + step.trajectoryID)
            }
            counts.steps = steps.count
            if filter.isActive { counts.skip("filters (--min-reward, --only-succeeded), which apply to chat exports only: ignored", 1) }
        case .chat, .preference:
            let skippedEpisodes = steps.filter { $0.source == "episode" }.count
            counts.skip("gym episode steps (their prompts are feedback, not LLM exchanges: use --format steps)", skippedEpisodes)
            let items = TrainingLines.exchanges(of: traces, counts: &counts)
            let values = format == .chat ? TrainingLines.chat(items, filter: filter, counts: &counts)
                                         : TrainingLines.preference(items, counts: &counts)
            for value in values {
                lines.append(try encoder.encode(value))
                if format == .chat { trajectories.insert(value["metadata"]?["trajectory_id"]?.string ?? "") }
                else {
                    trajectories.insert(value["metadata"]?["chosen_trajectory_id"]?.string ?? "")
                    trajectories.insert(value["metadata"]?["rejected_trajectory_id"]?.string ?? "")
                }
            }
            if format == .chat { counts.conversations = values.count } else { counts.pairs = values.count }
        }
        counts.lines = lines.count
        counts.trajectories = trajectories.count
        var data = Data()
        for line in lines {
            data.append(line)
            data.append(0x0A)
        }
        try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: output, options: .atomic)
        return counts
    }

    /// Reads every source under the folders: steps of all trajectories (ids made unique) and the
    /// run traces (for chat and preference lines).
    func collect(_ folders: [URL], counts: inout ExportCounts) throws -> (steps: [TrajectoryStep], traces: [RunTrace]) {
        var sources: [Source] = []
        for folder in folders {
            for source in try self.sources(in: folder) where !sources.contains(source) { sources.append(source) }
        }
        counts.folders = sources.count
        var used = Set<String>()
        func unique(_ id: String) -> String {
            if used.insert(id).inserted { return id }
            counts.renamed += 1
            var n = 2
            while !used.insert("\(id)~\(n)").inserted { n += 1 }
            return "\(id)~\(n)"
        }
        var steps: [TrajectoryStep] = []
        var traces: [RunTrace] = []
        for source in sources {
            switch source {
            case .run(let folder):
                var trace = try RunTrace(folder: folder, tasks: tasks)
                trace.id = unique(trace.id)
                traces.append(trace)
                steps += runSteps(trace)
            case .environment(let folder):
                var episodes = try episodeSteps(folder)
                var renamedIDs: [String: String] = [:]
                for index in episodes.indices {
                    let id = episodes[index].trajectoryID
                    if renamedIDs[id] == nil { renamedIDs[id] = unique(id) }
                    episodes[index].trajectoryID = renamedIDs[id]!
                }
                steps += episodes
            }
        }
        return (steps, traces)
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

    func runSteps(_ trace: RunTrace) -> [TrajectoryStep] {
        var byID: [Int: Node] = [:]
        for entry in trace.nodes { byID[entry.node.id] = entry.node }
        var callsByStep: [String: [(offset: Int, element: JournalLLMCall)]] = [:]
        for call in trace.calls.enumerated() { callsByStep[call.element.stepKey, default: []].append(call) }
        let nodes = trace.nodes
        return nodes.enumerated().map { index, entry in
            let node = entry.node
            let stepCalls = callsByStep[entry.stepKey] ?? []
            let outcome = trace.outcomes[node.id]
            let credit = outcome?.credit ?? 0
            let stages = outcome?.stages ?? [:]
            // The exchange whose reply holds the node's code; else the step's last one.
            let producer = stepCalls.first { trace.attributions[$0.offset] == .produced(node.id) } ?? stepCalls.last
            let last = producer?.element.exchange
            let prompt = last.map(Self.promptText) ?? Self.runPrompt(node, stepKey: entry.stepKey, parent: node.parentID.flatMap { byID[$0] })
            let response = last?.reply ?? ((node.plan.isEmpty ? "" : node.plan + "\n\n") + "```python\n\(node.code)\n```")
            return TrajectoryStep(
                source: "run", trajectoryID: trace.id, taskID: trace.taskID, step: index + 1,
                prompt: prompt, response: response,
                action: .object(["name": .string("execute_code"), "params": .object([
                    "stage": .string(node.stage.rawValue), "step_key": .string(entry.stepKey),
                    "parent": node.parentID.map { .number(Double($0)) } ?? .null,
                ])]),
                reward: credit, partialCredit: credit,
                stages: .object(Dictionary(uniqueKeysWithValues: ExecutionStage.allCases.map { ($0.rawValue, stages[$0].map(JSONValue.bool) ?? .null) })),
                durationSeconds: outcome?.durationSeconds ?? 0, score: node.harnessScore, finalScore: trace.finalScore,
                done: index == nodes.count - 1, terminated: index == nodes.count - 1 && trace.ended, truncated: false,
                metadata: .object([
                    "node_id": .number(Double(node.id)), "parent_id": node.parentID.map { .number(Double($0)) } ?? .null,
                    "stage": .string(node.stage.rawValue), "step_key": .string(entry.stepKey), "status": .string(node.status.rawValue),
                    "origin": .string(node.origin.rawValue),
                    "error": node.error.map { .string(String($0.prefix(1000))) } ?? .null,
                    "self_reported_score": .number(node.selfReportedScore),
                    "execution_seconds": .number(node.executionSeconds), "llm_seconds": .number(outcome?.llmSeconds ?? 0),
                    "prompt_source": .string(last == nil ? "node context (no LLM exchange kept for this step)" : "llm exchange"),
                    "messages": last.map(TrainingLines.messages) ?? .null,
                    "code": .string(node.code),
                    "llm": .object([
                        "calls": .number(Double(stepCalls.count)),
                        "prompt_tokens": .number(Double(stepCalls.reduce(0) { $0 + $1.element.promptTokens })),
                        "completion_tokens": .number(Double(stepCalls.reduce(0) { $0 + $1.element.completionTokens })),
                        "cost_usd": .number(stepCalls.reduce(0) { $0 + $1.element.costUSD }),
                    ]),
                    "strategy": .string(trace.strategy),
                    "created_at": .string(ISO8601DateFormatter().string(from: node.createdAt)),
                ]))
        }
    }

    /// An exchange's messages as one prompt text: each message under its role.
    static func promptText(_ exchange: LLMExchange) -> String {
        exchange.messages.map { "[\($0.role)]\n\($0.content)" }.joined(separator: "\n\n")
    }

    /// The context a node's step acted on, from what the journal keeps (journals without exchanges).
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

    static func jsonText(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// Trajectories that could not be exported.
package struct TrajectoryExportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, naming the folder or file.
    package var message: String

    /// Creates an error.
    package init(_ message: String) { self.message = message }

    package var description: String { message }
}
