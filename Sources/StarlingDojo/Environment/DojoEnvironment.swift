import Foundation
import StarlingBench
import StarlingCore
import StarlingRuntime

/// One gym environment: a task's agent view (hidden dev rows inside `test.csv`), the episode in
/// progress, and its record on disk.
///
/// Folder layout under `envs/<id>/`: `view/` (what scripts see as `input/`),
/// `episodes/<e>/steps/<n>/` (each script, its log and submission), `episodes/<e>/final/`
/// (the graded end-of-episode submission), `environment.json` and `steps.jsonl`. The dev-row
/// answers and copies of graded submissions live under `secrets/<id>/`, which every script
/// finds covered.
///
/// Steps run one at a time: a step sent while another runs is refused with `conflict`.
package actor DojoEnvironment {
    /// A graded `execute_code` step whose submission can be submitted.
    struct GradedExecution: Sendable {
        var step: Int
        var raw: Double?
        var position: Double?
        var submission: URL
    }

    /// The environment id.
    package nonisolated let id: String
    /// The task.
    package nonisolated let task: TaskDefinition
    /// The options it was created with.
    package nonisolated let options: EnvironmentOptions
    /// `envs/<id>/`.
    package nonisolated let folder: URL
    /// When it was created.
    package nonisolated let createdAt: Date
    let secrets: URL
    let view: AgentView
    let executor: InstrumentedExecutor
    let rewards: RewardFunction
    let hiddenPaths: [URL]
    let limits: ExecutionLimits
    let log: EpisodeLog

    private(set) var episode = 1
    private(set) var stepCount = 0
    private var history: [JSONValue] = []
    private var executions: [Int: GradedExecution] = [:]
    private var best: GradedExecution?
    private var current: (raw: Double?, position: Double?) = (nil, nil)
    private var endedBy: String?
    private var finalGrade: JSONValue?
    private var busy = false
    private var closed = false
    private var record: EnvironmentRecord
    /// When the environment last finished a request.
    package private(set) var lastActive = Date()

    /// Builds the environment's folder and agent view, and records episode 1.
    ///
    /// - Parameters:
    ///   - id: The environment id.
    ///   - task: A prepared task.
    ///   - options: The options.
    ///   - configuration: The server's configuration (folders, limits).
    ///   - executor: Runs scripts under the stage probe.
    /// - Throws: ``DojoError`` (`task_unavailable`) when the task is not prepared or its view
    ///   cannot be built.
    package init(id: String, task: TaskDefinition, options: EnvironmentOptions, configuration: DojoConfiguration, executor: InstrumentedExecutor) throws {
        guard task.isPrepared else {
            throw DojoError(.taskUnavailable, "task \(task.id) is not prepared: run `starling tasks prepare \(task.id)` on the server")
        }
        self.id = id
        self.task = task
        self.options = options
        self.executor = executor
        folder = configuration.environmentsFolder.appendingPathComponent(id)
        secrets = configuration.secretsFolder.appendingPathComponent(id)
        createdAt = Date()
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            try fm.createDirectory(at: configuration.secretsFolder, withIntermediateDirectories: true)
            view = try AgentViewBuilder(task: task, seed: options.seed)
                .build(into: folder.appendingPathComponent("view"), secretsFolder: secrets.appendingPathComponent("view"))
            rewards = RewardFunction(mode: options.scoreMode, partialCredit: options.partialCredit, spec: task.spec, positions: try PositionScorer(task: task))
        } catch {
            try? fm.removeItem(at: folder)
            try? fm.removeItem(at: secrets)
            throw DojoError(.taskUnavailable, "cannot build an environment for task \(task.id): \(error)")
        }
        hiddenPaths = [configuration.secretsFolder, task.privateURL, task.publicURL, task.answersURL]
        limits = ExecutionLimits(timeoutSeconds: options.executionTimeout, memoryMB: options.memoryMB, cores: configuration.limits.coresPerExecution)
        log = EpisodeLog(folder: folder)
        let first = EnvironmentRecord(id: id, taskID: task.id, options: options, createdAt: createdAt, episodes: [
            EpisodeRecord(number: 1, startedAt: createdAt, initialObservation: EpisodeLog.json(Self.initialObservation(
                id: id, task: task, options: options, positions: rewards.positions, episode: 1))),
        ])
        record = first
        try? log.write(first)
    }

    /// Whether a step is running.
    package var isBusy: Bool { busy }

    /// The observation the current episode started with: the task in a sentence, the actions, the rules.
    package func initialObservation() -> Observation {
        Self.initialObservation(id: id, task: task, options: options, positions: rewards.positions, episode: episode)
    }

    static func initialObservation(id: String, task: TaskDefinition, options: EnvironmentOptions, positions: PositionScorer, episode: Int) -> Observation {
        let spec = task.spec
        let values = [
            "task_id": task.id, "task_name": spec.name, "metric": spec.metric.rawValue, "direction": spec.direction.rawValue,
            "info_types": InfoType.allCases.map(\.rawValue).joined(separator: ", "), "max_steps": String(options.maxSteps),
        ]
        var lines = ["task", "workspace", "actions", "scoring"].map { EnvironmentText.piece($0, values) }
        if !positions.isAvailable, options.scoreMode == .position {
            lines.append("Note: \(positions.explanation).")
        }
        return Observation(
            actionStatus: .success, feedback: lines.joined(separator: "\n"),
            content: .object([
                "environment_id": .string(id), "task_id": .string(task.id), "episode": .number(Double(episode)),
                "max_steps": .number(Double(options.maxSteps)), "actions": .array(DojoAction.names.map { .string($0) }),
                "info_types": .array(InfoType.allCases.map { .string($0.rawValue) }),
            ]))
    }

    // MARK: Steps

    /// Performs one action.
    ///
    /// - Parameter action: The action.
    /// - Returns: Gymnasium's five-tuple.
    /// - Throws: ``DojoError``: `conflict` while another step runs or when the episode is over
    ///   (only `reset`, `request_info` and `get_history` work then), `bad_params` for a `submit`
    ///   of a step without a valid submission, `internal_error` when the sandbox cannot start.
    package func step(_ action: DojoAction) async throws -> StepResult {
        guard !closed else { throw DojoError(.unknownEnvironment, "environment \(id) was closed; create a new one with POST /envs") }
        guard !busy else {
            throw DojoError(.conflict, "environment \(id) is still running step \(stepCount); send one step at a time and wait for its answer")
        }
        busy = true
        defer {
            busy = false
            lastActive = Date()
        }
        let startedAt = Date()
        let clock = ContinuousClock()
        let start = clock.now

        if case .reset = action { return resetEpisode() }
        if let endedBy { return try afterEpisode(action, endedBy: endedBy) }

        if case .submit(let chosen) = action, let chosen, executions[chosen] == nil {
            let valid = executions.keys.sorted().map(String.init).joined(separator: ", ")
            throw DojoError(.badParams, "step \(chosen) of episode \(episode) has no graded submission to submit; " + (valid.isEmpty ? "no execute_code step has produced a valid submission yet" : "steps with one: \(valid)"))
        }
        stepCount += 1
        var result: StepResult
        var info: [String: JSONValue] = [:]
        switch action {
        case .requestInfo(let type):
            result = StepResult(observation: try information(type), reward: 0, terminated: false, truncated: false, info: .null)
        case .getHistory:
            result = StepResult(observation: historyObservation(), reward: 0, terminated: false, truncated: false, info: .null)
        case .validateCode(let code):
            (result, info) = try await validate(code)
        case .executeCode(let code):
            (result, info) = try await execute(code)
        case .submit(let chosen):
            (result, info) = try submit(chosen)
        case .reset:
            return resetEpisode()
        }
        if endedBy == nil, stepCount >= options.maxSteps {
            let final = (try? gradeFinal(step: nil)) ?? .object(["valid_submission": .bool(false), "test_score": .null, "reason": .string("grading failed")])
            endedBy = "max_steps"
            info["final"] = final
            result.truncated = true
            result.observation.feedback += "\n\nThe episode reached max_steps (\(options.maxSteps)) and is over. " + finalFeedback(final)
        }
        return record(action, result, info: info, duration: Self.seconds(start.duration(to: clock.now)), startedAt: startedAt)
    }

    /// Ends a submitted episode: the final grade as the observation.
    private func submit(_ chosen: Int?) throws -> (StepResult, [String: JSONValue]) {
        let final = try gradeFinal(step: chosen)
        endedBy = "submit"
        let result = StepResult(
            observation: Observation(
                actionStatus: final["valid_submission"]?.bool == true ? .success : .failed,
                feedback: finalFeedback(final), content: final,
                currentRawScore: current.raw, currentPositionScore: current.position,
                bestRawScore: best?.raw, bestPositionScore: best?.position),
            reward: 0, terminated: true, truncated: false, info: .null)
        return (result, ["final": final])
    }

    /// Adds the step's bookkeeping to `info`, keeps the step in the history and the episode log,
    /// and ends the episode when the step ended it.
    private func record(_ action: DojoAction, _ stepped: StepResult, info: [String: JSONValue], duration: Double,
                        startedAt: Date) -> StepResult {
        var result = stepped
        var info = info
        info["step"] = .number(Double(stepCount))
        info["episode"] = .number(Double(episode))
        info["action"] = .string(action.name)
        info["duration_seconds"] = .number(duration)
        info["steps_left"] = .number(Double(max(0, options.maxSteps - stepCount)))
        info["episode_over"] = .bool(endedBy != nil)
        result.info = .object(info)
        history.append(historyEntry(action: action, result: result, duration: duration))
        try? log.append(EpisodeStepRecord(
            environmentID: id, taskID: task.id, episode: episode, step: stepCount, action: action.name, params: action.params,
            observation: EpisodeLog.json(result.observation), reward: result.reward, terminated: result.terminated,
            truncated: result.truncated, info: result.info, durationSeconds: duration, startedAt: startedAt))
        if let endedBy { endEpisode(by: endedBy, final: info["final"]) }
        return result
    }

    /// The answer to `action` once the episode is over: information and history still come
    /// back (no step is counted); anything else is a conflict that says how to go on.
    private func afterEpisode(_ action: DojoAction, endedBy: String) throws -> StepResult {
        let info: JSONValue = .object(["step": .number(Double(stepCount)), "episode": .number(Double(episode)),
                                       "action": .string(action.name), "episode_over": .bool(true)])
        switch action {
        case .requestInfo(let type):
            return StepResult(observation: try information(type), reward: 0, terminated: false, truncated: false, info: info)
        case .getHistory:
            return StepResult(observation: historyObservation(), reward: 0, terminated: false, truncated: false, info: info)
        default:
            throw DojoError(.conflict, "episode \(episode) of environment \(id) is over (\(endedBy)); send reset to start a new episode, or DELETE /envs/\(id)")
        }
    }

    /// Ends the environment: the episode in progress ends ungraded, the view and the secrets
    /// are removed; scripts, logs and records stay for `starling export trajectories`.
    ///
    /// - Parameter reason: `deleted` or `expired`.
    /// - Returns: The environment's summary.
    package func close(reason: String) -> JSONValue {
        if !closed {
            if endedBy == nil { endEpisode(by: reason, final: nil) }
            closed = true
            try? FileManager.default.removeItem(at: folder.appendingPathComponent("view"))
            try? FileManager.default.removeItem(at: secrets)
        }
        var summary = summary()
        if case .object(var members) = summary {
            members["closed"] = .bool(true)
            summary = .object(members)
        }
        return summary
    }

    /// Validates a submission made on this environment's view (dev rows included), without scoring it.
    ///
    /// - Parameter table: The submission.
    /// - Throws: ``SubmissionError`` listing the problems.
    package func checkSubmission(_ table: CSVTable) throws {
        _ = try view.split(table)
    }

    /// The environment's state for `GET /envs/{id}`.
    package func summary() -> JSONValue {
        .object([
            "id": .string(id), "task_id": .string(task.id), "options": EpisodeLog.json(options),
            "episode": .number(Double(episode)), "steps_taken": .number(Double(stepCount)),
            "max_steps": .number(Double(options.maxSteps)), "episode_over": .bool(endedBy != nil),
            "ended_by": endedBy.map(JSONValue.string) ?? .null, "busy": .bool(busy), "closed": .bool(closed),
            "best_raw_score": .number(best?.raw), "best_position_score": .number(best?.position),
            "final": finalGrade ?? .null, "folder": .string(folder.path),
            "created_at": .string(ISO8601DateFormatter().string(from: createdAt)),
            "idle_seconds": .number(busy ? 0 : Date().timeIntervalSince(lastActive)),
        ])
    }

    // MARK: Actions

    private func resetEpisode() -> StepResult {
        if endedBy == nil { endEpisode(by: "reset", final: nil) }
        episode += 1
        stepCount = 0
        history = []
        executions = [:]
        best = nil
        current = (nil, nil)
        endedBy = nil
        finalGrade = nil
        let observation = initialObservation()
        record.episodes.append(EpisodeRecord(number: episode, startedAt: Date(), initialObservation: EpisodeLog.json(observation)))
        try? log.write(record)
        return StepResult(observation: observation, reward: 0, terminated: false, truncated: false,
                          info: .object(["step": .number(0), "episode": .number(Double(episode)), "action": .string("reset"), "episode_over": .bool(false),
                                         "steps_left": .number(Double(options.maxSteps))]))
    }

    private func stepFolder() -> URL {
        folder.appendingPathComponent("episodes/\(episode)/steps/\(stepCount)")
    }

    private func run(_ code: String) async throws -> InstrumentedExecutor.Outcome {
        do {
            return try await executor.run(code: code, in: stepFolder(), input: view.folder, hiddenPaths: hiddenPaths, limits: limits)
        } catch {
            throw DojoError(.internalError, "the sandbox could not run the script: \(error)")
        }
    }

    /// Splits and validates a written submission; marks `submission_valid` when it passes.
    private func check(_ outcome: inout InstrumentedExecutor.Outcome) -> (SplitSubmission?, String?) {
        guard outcome.stages.has(.submissionWritten) else {
            return (nil, EnvironmentText.piece("no_submission"))
        }
        do {
            let split = try view.split(submissionAt: outcome.submission)
            outcome.stages.mark(.submissionValid, at: outcome.execution.wallSeconds)
            return (split, nil)
        } catch {
            return (nil, "The submission is invalid: \(error)")
        }
    }

    private func executionInfo(_ outcome: InstrumentedExecutor.Outcome, partialCredit: Double) -> [String: JSONValue] {
        let stages = outcome.stages
        return [
            "stages": .object(stages.flags.mapValues(JSONValue.bool)),
            "stage_seconds": .object(Dictionary(uniqueKeysWithValues: stages.reached.map { ($0.key.rawValue, JSONValue.number($0.value)) })),
            "stage_details": .object(Dictionary(uniqueKeysWithValues: stages.details.map { ($0.key.rawValue, JSONValue.string($0.value)) })),
            "furthest_stage": stages.furthest.map { .string($0.rawValue) } ?? .null,
            "partial_credit": .number(partialCredit),
            "exit_code": outcome.execution.exitCode.map { .number(Double($0)) } ?? .null,
            "timed_out": .bool(outcome.execution.timedOut),
            "killed_for_memory": .bool(outcome.execution.killedForMemory),
            "syntax_error": (stages.syntaxError ?? outcome.execution.syntaxError).map(JSONValue.string) ?? .null,
            "execution_seconds": .number(outcome.execution.wallSeconds),
            "log": .string(outcome.execution.logPath),
        ]
    }

    private func stagesLine(_ stages: StageReport) -> String {
        let reached = ExecutionStage.allCases.filter(stages.has).map(\.rawValue)
        return "Stages reached: " + (reached.isEmpty ? "none" : reached.joined(separator: ", ")) + "."
    }

    private func validate(_ code: String) async throws -> (StepResult, [String: JSONValue]) {
        var outcome = try await run(code)
        let (split, problem) = outcome.ranCleanly ? check(&outcome) : (nil, nil)
        try? FileManager.default.removeItem(at: outcome.submission.deletingLastPathComponent())
        let credit = PartialCredit.credit(for: outcome.stages)
        var info = executionInfo(outcome, partialCredit: credit)
        info["submission_valid"] = .bool(split != nil)
        let feedback: String
        let status: Observation.Status
        if !outcome.ranCleanly {
            status = .failed
            feedback = InstrumentedExecutor.describeFailure(outcome) + "\n" + stagesLine(outcome.stages)
        } else if let problem {
            status = .failed
            feedback = "The script \(outcome.execution.summary). \(problem)\n" + stagesLine(outcome.stages)
        } else {
            status = .success
            feedback = "The script \(outcome.execution.summary) and wrote a valid submission (not kept, not scored). " + stagesLine(outcome.stages)
        }
        let observation = Observation(
            actionStatus: status, feedback: feedback, content: .object(info),
            currentRawScore: current.raw, currentPositionScore: current.position, bestRawScore: best?.raw, bestPositionScore: best?.position)
        return (StepResult(observation: observation, reward: 0, terminated: false, truncated: false, info: .null), info)
    }

    private func execute(_ code: String) async throws -> (StepResult, [String: JSONValue]) {
        var outcome = try await run(code)
        var (split, problem) = outcome.ranCleanly ? check(&outcome) : (nil, nil)
        var raw: Double?
        if let split {
            do {
                raw = try view.scoreDev(split)
            } catch {
                problem = "The submission could not be scored: \(error)"
            }
        }
        let graded = split != nil && problem == nil
        let position = raw.flatMap { rewards.positions.position(of: $0) }
        if graded {
            current = (raw, position)
            let copy = secrets.appendingPathComponent("submissions/\(episode)-\(stepCount).csv")
            try? FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? FileManager.default.removeItem(at: copy)
            try? FileManager.default.copyItem(at: outcome.submission, to: copy)
            let execution = GradedExecution(step: stepCount, raw: raw, position: position, submission: copy)
            executions[stepCount] = execution
            if best == nil || isBetter(execution, than: best!) { best = execution }
        } else {
            current = (nil, nil)
        }
        let credit = rewards.partialCredit(stages: outcome.stages, raw: raw)
        let reward = rewards.reward(stages: outcome.stages, raw: graded ? raw : nil)
        var info = executionInfo(outcome, partialCredit: credit)
        info["submission_valid"] = .bool(graded)
        info["raw_score"] = .number(raw)
        info["position_score"] = .number(position)
        info["score"] = .number(raw.flatMap(rewards.score(raw:)))
        info["score_mode"] = .string(options.scoreMode.rawValue)
        if graded, options.revealTestScore, let split {
            info["test_score"] = testScore(of: split)
        }
        let metric = "\(task.spec.metric.rawValue), \(task.spec.direction.rawValue) is better"
        let feedback: String
        if !outcome.ranCleanly {
            feedback = InstrumentedExecutor.describeFailure(outcome) + "\n" + stagesLine(outcome.stages)
        } else if let problem {
            feedback = "The script \(outcome.execution.summary). \(problem)\n" + stagesLine(outcome.stages)
        } else if let raw {
            let placed = position.map { String(format: "; position %.3f", $0) } ?? ""
            let bestText = best.flatMap { $0.raw }.map { String(format: " Best so far: %.6g.", $0) } ?? ""
            feedback = "The script \(outcome.execution.summary). Score on the hidden dev rows (\(metric)): \(String(format: "%.6g", raw))\(placed).\(bestText)"
        } else {
            feedback = "The script \(outcome.execution.summary) and wrote a valid submission. Task \(task.id) has no dev rows (dev_split: none), so it is scored only when the episode ends."
        }
        let observation = Observation(
            actionStatus: graded ? .success : .failed, feedback: feedback, content: .object(info),
            currentRawScore: current.raw, currentPositionScore: current.position, bestRawScore: best?.raw, bestPositionScore: best?.position)
        return (StepResult(observation: observation, reward: reward, terminated: false, truncated: false, info: .null), info)
    }

    private func isBetter(_ candidate: GradedExecution, than incumbent: GradedExecution) -> Bool {
        guard let c = candidate.raw else { return incumbent.raw == nil }
        guard let i = incumbent.raw else { return true }
        return task.spec.direction.isBetter(c, than: i)
    }

    /// The real test score of a split's test part, as `{test_score, valid_submission, ...}`.
    private func testScore(of split: SplitSubmission) -> JSONValue {
        let file = secrets.appendingPathComponent("test-\(episode)-\(stepCount).csv")
        do {
            try split.writeTest(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let report = try TaskGrader(task: task).report(submissionAt: file)
            return .number(report.score)
        } catch {
            return .null
        }
    }

    /// Grades the chosen (or best) submission of the episode on the real test set.
    private func gradeFinal(step chosen: Int?) throws -> JSONValue {
        let execution = chosen.flatMap { executions[$0] } ?? best
        guard let execution else {
            let final: JSONValue = .object([
                "valid_submission": .bool(false), "test_score": .null, "step": .null,
                "reason": .string("no execute_code step of episode \(episode) produced a valid submission"),
            ])
            finalGrade = final
            return final
        }
        let finalFolder = folder.appendingPathComponent("episodes/\(episode)/final")
        let submission = finalFolder.appendingPathComponent(ScriptWorkspace.Name.submission)
        let report: GradeReport
        do {
            try FileManager.default.createDirectory(at: finalFolder, withIntermediateDirectories: true)
            try view.split(submissionAt: execution.submission).writeTest(to: submission)
            report = try TaskGrader(task: task).report(submissionAt: submission)
            try report.jsonData().write(to: finalFolder.appendingPathComponent("grade.json"))
        } catch {
            throw DojoError(.taskUnavailable, "grading the final submission of task \(task.id) failed: \(error)")
        }
        var members: [String: JSONValue] = [
            "valid_submission": .bool(report.validSubmission), "test_score": .number(report.score),
            "test_position_score": .number(report.score.flatMap(rewards.positions.position(of:))),
            "gap_closed": .number(report.gapClosed), "step": .number(Double(execution.step)),
            "dev_score": .number(execution.raw), "submission": .string(submission.path),
            "any_medal": .bool(report.anyMedal), "above_median": .bool(report.aboveMedian),
        ]
        if let error = report.error { members["reason"] = .string(error) }
        let final = JSONValue.object(members)
        finalGrade = final
        return final
    }

    private func finalFeedback(_ final: JSONValue) -> String {
        guard final["valid_submission"]?.bool == true else {
            return "Nothing was graded on the real test set: \(final["reason"]?.string ?? "no valid submission")."
        }
        let score = final["test_score"]?.number.map { String(format: "%.6g", $0) } ?? "unavailable (the task has no answers)"
        let step = final["step"]?.number.map { String(Int($0)) } ?? "?"
        return "Final: the submission of step \(step) scores \(score) on the real test set (\(task.spec.metric.rawValue))."
    }

    private func endEpisode(by reason: String, final: JSONValue?) {
        endedBy = reason
        if let index = record.episodes.lastIndex(where: { $0.number == episode }), record.episodes[index].endedAt == nil {
            record.episodes[index].endedAt = Date()
            record.episodes[index].endedBy = reason
            record.episodes[index].final = final
        }
        try? log.write(record)
    }

    // MARK: History

    private func historyEntry(action: DojoAction, result: StepResult, duration: Double) -> JSONValue {
        var entry: [String: JSONValue] = [
            "step": .number(Double(stepCount)), "action": .string(action.name),
            "status": .string(result.observation.actionStatus.rawValue), "reward": .number(result.reward),
            "duration_seconds": .number(duration),
            "summary": .string(String(result.observation.feedback.split(separator: "\n").first ?? "").prefix(300).description),
        ]
        switch action {
        case .validateCode(let code), .executeCode(let code):
            entry["code"] = .string(code)
            entry["raw_score"] = result.info["raw_score"] ?? .null
            entry["position_score"] = result.info["position_score"] ?? .null
            entry["partial_credit"] = result.info["partial_credit"] ?? .null
            entry["furthest_stage"] = result.info["furthest_stage"] ?? .null
        case .requestInfo(let type):
            entry["info_type"] = .string(type.rawValue)
        case .submit:
            entry["final"] = result.info["final"] ?? .null
        case .getHistory, .reset:
            break
        }
        return .object(entry)
    }

    private func historyObservation() -> Observation {
        let lines = history.compactMap { entry -> String? in
            guard let step = entry["step"]?.number, let action = entry["action"]?.string else { return nil }
            let reward = entry["reward"]?.number.map { String(format: "%.4g", $0) } ?? "0"
            return "step \(Int(step)): \(action) → \(entry["status"]?.string ?? "?"), reward \(reward). \(entry["summary"]?.string ?? "")"
        }
        return Observation(
            actionStatus: .success,
            feedback: lines.isEmpty ? "No steps yet in episode \(episode)." : "Episode \(episode), \(lines.count) step(s):\n" + lines.joined(separator: "\n"),
            content: .object(["episode": .number(Double(episode)), "steps": .array(history)]),
            currentRawScore: current.raw, currentPositionScore: current.position, bestRawScore: best?.raw, bestPositionScore: best?.position)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
