import Foundation
import StarlingAgents
import StarlingBench
import StarlingCore
import StarlingRunFolder
import StarlingReport
import StarlingRuntime
import StarlingStore

/// What one `starling mcp` server offers its client, apart from the protocol: the tasks, a
/// sandbox over each task's agent view, the harness's grading, the label-shuffle check and
/// Starling's own runs. Every script and check of the session lives under ``root``.
///
/// The rule on test feedback is explicit: ``gradeFinal(_:)`` answers at most
/// ``Options/finalGradeLimit`` times per session, and every answer is counted in the result.
package actor MCPSession {
    /// The session's settings.
    package struct Options: Sendable {
        /// Where the session's task views, scripts and runs go.
        package var root: URL
        /// `--tasks-dir`, when given.
        package var tasksDir: String?
        /// Grades on the real test rows the session may ask for.
        package var finalGradeLimit = 6
        /// The most seconds a `run_python` script may take (a request may ask for less).
        package var scriptTimeoutSeconds = 600.0
        /// Each script's memory limit.
        package var scriptMemoryMB = 8192
        /// The `starling` executable that background runs start.
        package var executable: URL

        /// Settings with the defaults.
        package init(root: URL, tasksDir: String? = nil, executable: URL) {
            self.root = root
            self.tasksDir = tasksDir
            self.executable = executable
        }
    }

    /// The settings.
    package let options: Options
    let home: StarlingHome
    let store: TaskStore
    private var sandbox: Sandbox?
    /// Each task's view, built once: a second call while it is being built waits for the first.
    private var views: [String: Task<BenchTaskHarness, any Error>] = [:]
    private var scripts: [Int: ScriptRecord] = [:]
    /// Script numbers handed out, taken before a script runs so concurrent calls get their own folder.
    private var scriptsStarted = 0
    private var finalGrades: [FinalGrade] = []
    /// Final grades granted, the ones still being graded included: the limit holds for concurrent calls.
    private var finalGradesGranted = 0
    /// Shares the machine's cores between the session's scripts.
    private let scheduler = SlotScheduler(totalCores: ProcessInfo.processInfo.activeProcessorCount)
    /// Starling's own runs started by this session.
    let runs: BackgroundRuns

    /// A session over the tasks `options` finds.
    package init(options: Options, home: StarlingHome = .resolve()) {
        self.options = options
        self.home = home
        self.store = TaskStore.locate(tasksDirectory: options.tasksDir)
        self.runs = BackgroundRuns(folder: options.root.appendingPathComponent("runs"), executable: options.executable, tasksDir: options.tasksDir)
    }

    // MARK: Tasks

    /// One task in a list.
    package struct TaskLine: Codable, Sendable {
        var id: String, name: String, metric: String, direction: String, type: String, prepared: Bool
    }

    /// Every task the session can find, and the folders that could not be read.
    package func listTasks() -> (tasks: [TaskLine], unreadable: [String]) {
        let (tasks, errors) = store.loadAll()
        return (tasks.map { TaskLine(id: $0.id, name: $0.spec.name, metric: $0.spec.metric.rawValue, direction: $0.spec.direction.rawValue,
                                     type: $0.spec.taskType.rawValue, prepared: $0.isPrepared) },
                errors.map { "\($0)" })
    }

    /// What an agent needs to start on a task.
    package struct TaskDescription: Codable, Sendable {
        var id: String, name: String, metric: String, direction: String, type: String
        var idColumn: String, targetColumns: [String]
        /// The task's own words.
        var description: String
        /// The agent view: the folder a `run_python` script sees as `input/` (read-only).
        var agentView: String
        /// Its files.
        var files: [String]
        /// Hidden dev rows the harness grades `score_dev` on.
        var devRows: Int
        /// Columns, kinds and sizes, as the agent's prompts show them.
        var dataProfile: String
        /// The calibrated baseline and reference scores, when recorded.
        var baseline: Double?, reference: Double?
        /// How a script is expected to work.
        var contract: String
    }

    /// Describes `taskID`, preparing the task and building its agent view on first use.
    package func describe(_ taskID: String) async throws -> TaskDescription {
        let view = try await view(of: taskID)
        let spec = view.spec
        let profileFile = options.root.appendingPathComponent("tasks/\(spec.id)/profile.json")
        let profile = FileManager.default.fileExists(atPath: profileFile.path)
            ? try DataProfile(file: profileFile, spec: spec)
            : try await DataProfile.make(folder: view.viewFolder, spec: spec, sandbox: try await sandboxed(), python: home.solutionPython, output: profileFile)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: view.viewFolder.path).sorted()) ?? []
        return TaskDescription(
            id: spec.id, name: spec.name, metric: spec.metric.rawValue, direction: spec.direction.rawValue, type: spec.taskType.rawValue,
            idColumn: spec.idColumn, targetColumns: spec.targetColumns, description: view.taskDescription,
            agentView: view.viewFolder.path, files: files, devRows: view.view.devRowCount, dataProfile: profile.markdown,
            baseline: spec.baseline?.value, reference: spec.reference?.value,
            contract: "run_python runs a script with the agent view as input/ (read-only) and its own folder as the working directory; "
                + "it writes predictions for every row of input/test.csv to submission/submission.csv (the columns of input/sample_submission.csv). "
                + "Part of test.csv is hidden dev rows: score_dev grades them, grade_final grades the real test rows (\(options.finalGradeLimit) times per session).")
    }

    /// The task's harness over its agent view, built once per session.
    func view(of taskID: String) async throws -> BenchTaskHarness {
        if let building = views[taskID] { return try await building.value }
        let (store, home, root) = (self.store, self.home, options.root)
        let building = Task {
            var task: TaskDefinition
            do {
                task = try store.task(taskID)
            } catch {
                throw MCPSessionError("\(error)")
            }
            if !task.isPrepared {
                _ = try await TaskPreparer(python: home.dataPython).prepareIfNeeded(task)
                task = try store.task(taskID)
            }
            return try BenchTaskHarness(task: task, runFolder: root.appendingPathComponent("tasks/\(task.id)"))
        }
        views[taskID] = building
        do {
            return try await building.value
        } catch {
            views[taskID] = nil  // a later call may find the task fixed
            throw error
        }
    }

    func sandboxed() async throws -> Sandbox {
        if let sandbox { return sandbox }
        let made = try await Sandbox.probing()
        sandbox = made
        return made
    }

    func harness(for view: BenchTaskHarness, timeoutSeconds: Double) async throws -> ExecutionHarness {
        guard FileManager.default.fileExists(atPath: home.solutionPython.path) else {
            throw MCPSessionError("the solution environment is missing: run `starling setup`")
        }
        let folder = options.root.appendingPathComponent("tasks/\(view.spec.id)")
        return ExecutionHarness(task: view, sandbox: try await sandboxed(), scheduler: scheduler,
                                runFolder: folder, python: home.solutionPython,
                                limits: ExecutionLimits(timeoutSeconds: min(timeoutSeconds, options.scriptTimeoutSeconds), memoryMB: options.scriptMemoryMB),
                                zoo: ZooAccess.forRun(home: home, runFolder: folder))
    }

    // MARK: Scripts

    /// A script's run in the sandbox, as `run_python` returns it.
    package struct ScriptRecord: Codable, Sendable {
        /// The script's number in this session (`script_id` for the other tools).
        var scriptID: Int
        var task: String
        /// The script's folder: `solution.py`, `run.log`, `submission/`, `working/`.
        var folder: String
        var exitCode: Int32?
        var timedOut: Bool
        var killedForMemory: Bool
        var wallSeconds: Double
        var peakMemoryMB: Double?
        /// Why it did not work, when it did not.
        var error: String?
        /// The end of what it printed.
        var outputTail: String
        /// `submission/submission.csv`, when written.
        var submission: String?
        /// Its dev-row score, when the submission is valid and the task has dev rows.
        var devScore: Double?
        /// The score it printed about itself (`validation_score: …`).
        var selfReportedScore: Double?
        var code: String?
    }

    /// Runs `code` against `taskID`'s agent view in the sandbox: no network, no secrets, the view
    /// read-only, time and memory limited.
    package func runPython(task taskID: String, code: String, timeoutSeconds: Double?) async throws -> ScriptRecord {
        guard !code.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw MCPSessionError("`code` is empty: pass a Python script") }
        scriptsStarted += 1
        let id = scriptsStarted
        let view = try await view(of: taskID)
        let harness = try await harness(for: view, timeoutSeconds: timeoutSeconds ?? options.scriptTimeoutSeconds)
        let folder = options.root.appendingPathComponent("scripts/\(id)")
        let outcome = try await harness.run(code: code, in: folder)
        let workspace = ScriptWorkspace(folder)
        let result = outcome.execution
        let record = ScriptRecord(
            scriptID: id, task: view.spec.id, folder: folder.path, exitCode: result?.exitCode, timedOut: result?.timedOut ?? false,
            killedForMemory: result?.killedForMemory ?? false, wallSeconds: result?.wallSeconds ?? 0,
            peakMemoryMB: result?.peakRSSBytes.map { Double($0) / 1_048_576 }, error: outcome.error,
            outputTail: String(outcome.output.suffix(4000)), submission: workspace.hasSubmission ? workspace.submission.path : nil,
            devScore: outcome.scoreIsSelfReported ? nil : outcome.score, selfReportedScore: outcome.selfReported, code: code)
        scripts[id] = record
        return record
    }

    // MARK: Submissions

    /// Where a submission comes from: a script of this session, a file, or CSV text.
    package enum SubmissionSource: Sendable {
        case script(Int)
        case file(String)
        case text(String)
    }

    /// A submission's check against the task's rules.
    package struct Validation: Codable, Sendable {
        var task: String
        var valid: Bool
        /// `view` (rows of the agent view's test.csv, dev rows included) or `task` (the real test
        /// rows under the task's ids).
        var form: String?
        var rows: Int?
        /// What to fix, when it is not valid.
        var problems: String?
    }

    /// Checks a submission: first as one made on the agent view, else as one for the task itself.
    package func validate(task taskID: String, _ source: SubmissionSource) async throws -> Validation {
        let view = try await view(of: taskID)
        let table = try read(source, view: view)
        do {
            _ = try view.view.split(table)
            return Validation(task: view.spec.id, valid: true, form: "view", rows: table.rowCount)
        } catch let viewProblem {
            do {
                try Self.validateAsTask(table, view.definition)
                return Validation(task: view.spec.id, valid: true, form: "task", rows: table.rowCount)
            } catch {
                return Validation(task: view.spec.id, valid: false, rows: table.rowCount,
                                  problems: "as a submission on the agent view: \(viewProblem); as one for the task's own test rows: \(error)")
            }
        }
    }

    /// A dev-row score.
    package struct DevScore: Codable, Sendable {
        var task: String, metric: String, direction: String
        var score: Double?
        var devRows: Int
        var note: String?
    }

    /// Grades a submission made on the agent view on its hidden dev rows, as the harness scores a node.
    package func scoreDev(task taskID: String, _ source: SubmissionSource) async throws -> DevScore {
        let view = try await view(of: taskID)
        let table = try read(source, view: view)
        let split: SplitSubmission
        do {
            split = try view.view.split(table)
        } catch {
            throw MCPSessionError("score_dev needs a submission on the agent view (a row for every row of its test.csv, dev rows included): \(error)")
        }
        let score = try view.view.scoreDev(split)
        return DevScore(task: view.spec.id, metric: view.spec.metric.rawValue, direction: view.spec.direction.rawValue, score: score,
                        devRows: view.view.devRowCount, note: score == nil ? "this task has no hidden dev rows (dev_split: none)" : nil)
    }

    /// A grade on the real test rows.
    package struct FinalGrade: Codable, Sendable {
        var task: String, metric: String
        var score: Double?
        var gapClosed: Double?
        var medal: String?
        /// How many final grades this session has had, this one included, and its limit.
        var gradesUsed: Int, gradeLimit: Int
        var report: String
    }

    /// Grades a submission on the task's real test rows (the test part of a submission made on
    /// the view, or a submission for the task itself). Counted; refused past the limit.
    package func gradeFinal(task taskID: String, _ source: SubmissionSource) async throws -> FinalGrade {
        guard finalGradesGranted < options.finalGradeLimit else {
            throw MCPSessionError("refused: this session has used its \(options.finalGradeLimit) grades on the real test rows "
                                  + "(\(finalGrades.map { "\($0.task) \($0.score.map { String(format: "%.5g", $0) } ?? "—")" }.joined(separator: ", "))). "
                                  + "Choose with score_dev on the dev rows; a new session (or `starling mcp --final-grades N`) sets a new limit")
        }
        // Granted before anything is awaited, so concurrent calls cannot pass the limit together;
        // given back when no grade comes of it (an unknown task, an invalid submission).
        finalGradesGranted += 1
        let number = finalGradesGranted
        do {
            let grade = try await gradeFinal(number: number, task: taskID, source)
            finalGrades.append(grade)
            return grade
        } catch {
            finalGradesGranted -= 1
            throw error
        }
    }

    func gradeFinal(number: Int, task taskID: String, _ source: SubmissionSource) async throws -> FinalGrade {
        let view = try await view(of: taskID)
        let table = try read(source, view: view)
        let folder = options.root.appendingPathComponent("final-grades/\(number)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let submission = folder.appendingPathComponent("submission.csv")
        if let split = try? view.view.split(table) {
            try split.writeTest(to: submission)
        } else {
            do {
                try Self.validateAsTask(table, view.definition)
            } catch {
                throw MCPSessionError("grade_final: the submission fits neither the agent view's test.csv nor the task's test rows: \(error)")
            }
            try table.write(to: submission)
        }
        let reportFile = folder.appendingPathComponent("grade.json")
        let report = try FinalSubmission.gradeReport(view.definition, submission: submission, reportFile: reportFile)
        return FinalGrade(task: view.spec.id, metric: view.spec.metric.rawValue, score: report.score, gapClosed: report.gapClosed,
                          medal: report.medal ?? (report.aboveMedian ? "above median" : "none"), gradesUsed: number,
                          gradeLimit: options.finalGradeLimit, report: reportFile.path)
    }

    static func validateAsTask(_ table: CSVTable, _ task: TaskDefinition) throws {
        try task.validator(sample: try CSVTable.read(contentsOf: task.sampleSubmissionURL)).validate(table)
    }

    func read(_ source: SubmissionSource, view: BenchTaskHarness) throws -> CSVTable {
        switch source {
        case .script(let id):
            guard let record = scripts[id] else {
                throw MCPSessionError("no script \(id) in this session; scripts so far: \(scripts.keys.sorted().map(String.init).joined(separator: ", "))")
            }
            guard let path = record.submission else { throw MCPSessionError("script \(id) wrote no submission/submission.csv") }
            return try CSVTable.read(contentsOf: URL(fileURLWithPath: path))
        case .file(let path):
            let url = URL(fileURLWithPath: path).standardizedFileURL
            if view.hiddenPaths.contains(where: { url.isInside($0) }) {
                throw MCPSessionError("\(path) is inside the task's hidden data: a submission must be predictions a script made")
            }
            guard FileManager.default.fileExists(atPath: url.path) else { throw MCPSessionError("no file at \(path)") }
            return try CSVTable.read(contentsOf: url)
        case .text(let text):
            return try CSVTable.parse(text, source: "csv argument")
        }
    }

    // MARK: Leakage

    /// The label-shuffle check of a script of this session.
    package struct LeakageReport: Codable, Sendable {
        var scriptID: Int
        var verdict: String
        var shuffledScore: Double?, chanceScore: Double?, realScore: Double?
    }

    /// Reruns script `id` with the training labels shuffled and says whether its score falls to chance.
    package func checkLeakage(script id: Int) async throws -> LeakageReport {
        guard let record = scripts[id], let code = record.code else {
            throw MCPSessionError("no script \(id) in this session (run it with run_python first)")
        }
        guard let real = record.devScore else {
            throw MCPSessionError("script \(id) has no dev score to compare with (\(record.error ?? "the task has no dev rows"))")
        }
        let view = try await view(of: record.task)
        let harness = try await harness(for: view, timeoutSeconds: options.scriptTimeoutSeconds)
        let check = LabelShuffleCheck(harness: harness, folder: options.root.appendingPathComponent("checks/\(id)"))
        guard let verdict = try await check.run(code: code, realScore: real) else {
            return LeakageReport(scriptID: id, verdict: "not checked: the script wrote no valid submission on the shuffled data")
        }
        let words = verdict.suspicious
            ? "SUSPICIOUS: with shuffled training labels it still scores far from chance; it may read the answer from somewhere other than the features"
            : "passed: with shuffled training labels its score falls to about chance"
        return LeakageReport(scriptID: id, verdict: words, shuffledScore: verdict.shuffledScore, chanceScore: verdict.chanceScore, realScore: verdict.realScore)
    }
}

/// A request the session cannot carry out, with what to change.
package struct MCPSessionError: Error, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

// MARK: Runs

extension MCPSession {
    /// Starts Starling's own agent on a task in the background (a `starling run` process).
    package func startRun(_ request: BackgroundRuns.Request) throws -> BackgroundRuns.RunState {
        let task: TaskDefinition
        do {
            task = try store.task(request.task)
        } catch {
            throw MCPSessionError("\(error)")
        }
        guard request.time.range(of: #"^[0-9]+(\.[0-9]+)?[smh]?$"#, options: .regularExpression) != nil else {
            throw MCPSessionError("time '\(request.time)' is not a duration: write e.g. 90s, 10m or 1h")
        }
        return try runs.start(request, lowerIsBetter: task.spec.direction == .lower)
    }

    /// The state of a run this session started.
    package func runStatus(_ id: String) throws -> BackgroundRuns.RunState {
        guard let state = runs.state(of: id) else { throw unknownRun(id) }
        return state
    }

    /// Stops a run this session started; it can be resumed with `starling resume FOLDER`.
    package func stopRun(_ id: String) async throws -> BackgroundRuns.RunState {
        guard let state = await runs.stop(id) else { throw unknownRun(id) }
        return state
    }

    /// Stops every run this session started.
    package func stopAllRuns() async { await runs.stopAll() }

    func unknownRun(_ id: String) -> MCPSessionError {
        let ids = runs.ids
        return MCPSessionError("no run '\(id)' in this session; " + (ids.isEmpty ? "start one with start_run" : "its runs: \(ids.joined(separator: ", "))"))
    }

    /// A run's report.
    package struct ReportAnswer: Codable, Sendable {
        /// `report.html`, self-contained: open it in a browser.
        var report: String
        /// What the run amounted to, in a few lines.
        var summary: String
    }

    /// Writes the report of a run (this session's run id, or any run folder) and sums it up.
    package func report(_ run: String) throws -> ReportAnswer {
        let folder = runs.state(of: run).map { URL(fileURLWithPath: $0.folder) } ?? URL(fileURLWithPath: run)
        guard FileManager.default.fileExists(atPath: RunLayout(folder).journal.path) else {
            throw MCPSessionError("'\(run)' is neither a run of this session nor a run folder with a journal")
        }
        let file = try RunReport.write(folder: folder, tasks: store)
        var lines: [String] = []
        if let summary = try? RunLayout.readJSON(RunSummary.self, from: RunLayout(folder).summary) {
            func f(_ value: Double?) -> String { value.map { String(format: "%.5g", $0) } ?? "—" }
            lines.append("task \(summary.taskID) (\(summary.metric), \(summary.direction) is better), strategy \(summary.strategy)")
            lines.append("submission \(summary.validSubmission ? "valid" : "NONE"); final score \(f(summary.finalScore)); dev \(f(summary.devScore)); "
                         + "gap closed \(summary.gapClosed.map { String(format: "%.1f%%", $0) } ?? "—")")
            lines.append("\(summary.nodes) nodes, stopped: \(summary.stopReason), \(Int(summary.elapsedSeconds)) s; \(summary.llm.calls) LLM calls")
            if let choice = summary.crossValidation { lines.append("cv: \(choice.line)") }
            if let verdict = summary.modelUnreachable { lines.append("NO MODEL: \(verdict)") }
            lines += summary.leakFlags.map { "LEAK? \($0)" }
        } else {
            let journal = try Journal(path: RunLayout(folder).journal)
            let nodes = try journal.nodes().map(\.node)
            lines.append("not finished: \(nodes.count) nodes so far, \(nodes.filter { $0.status == .succeeded }.count) succeeded")
        }
        return ReportAnswer(report: file.path, summary: lines.joined(separator: "\n"))
    }
}

extension MCPSession {
    /// A task's `description.md`, without preparing its data.
    package func taskText(_ taskID: String) throws -> String {
        let task: TaskDefinition
        do {
            task = try store.task(taskID)
        } catch {
            throw MCPSessionError("\(error)")
        }
        return (try? String(contentsOf: task.descriptionURL, encoding: .utf8)) ?? task.spec.name
    }
}
