import Foundation
import StarlingCore
import StarlingRunFolder
import StarlingRuntime

/// Runs node scripts in the sandbox inside the run folder and grades what they write.
///
/// Each node gets `nodes/<id>/` holding `solution.py`, `run.log`, `submission/` and an `input`
/// link to the data folder, which is mounted read-only; answers and the full public data are
/// hidden during search.
package struct ExecutionHarness: Sendable {
    /// The task and its grader.
    package let task: any TaskHarness
    /// The sandbox.
    package let sandbox: Sandbox
    /// Shares cores between concurrent scripts.
    package let scheduler: SlotScheduler
    /// The run folder.
    package let runFolder: URL
    /// The solution environment's interpreter.
    package let python: URL
    /// Per-script limits.
    package let limits: ExecutionLimits
    /// A repository's folders the scripts may import (read-only, on `PYTHONPATH`); empty without `--repo`.
    package let importRoots: [URL]
    /// The pretrained model zoo, when one is installed: scripts may `import starling_zoo`.
    package let zoo: ZooAccess?

    /// Creates a harness.
    package init(task: any TaskHarness, sandbox: Sandbox, scheduler: SlotScheduler, runFolder: URL, python: URL, limits: ExecutionLimits,
                importRoots: [URL] = [], zoo: ZooAccess? = nil) {
        self.importRoots = importRoots
        self.zoo = zoo
        self.task = task
        self.sandbox = sandbox
        self.scheduler = scheduler
        self.runFolder = runFolder
        self.python = python
        self.limits = limits
    }

    /// Where a node's files go.
    package func folder(forNode id: Int) -> URL { RunLayout(runFolder).nodeFolder(id) }

    /// A node's script workspace.
    package func workspace(forNode id: Int) -> ScriptWorkspace { RunLayout(runFolder).node(id) }

    /// Runs a script against a data folder and returns its outcome.
    ///
    /// - Parameters:
    ///   - code: The script.
    ///   - folder: The node's folder.
    ///   - input: The data folder the script sees as `input/`; the agent view by default.
    ///   - grade: Whether to grade `submission/submission.csv` on the dev rows.
    ///   - hiding: More paths the script must not read (a fold run: the other folds).
    /// - Returns: The outcome; a crashing script is an outcome, not an error.
    /// - Throws: ``SandboxError`` when the sandbox could not start the script.
    package func run(code: String, in folder: URL, input: URL? = nil, grade: Bool = true, hiding: [URL] = []) async throws -> ScriptOutcome {
        let workspace = ScriptWorkspace(folder)
        let data = input ?? task.viewFolder
        try workspace.prepare(code: code, input: .link(data))
        let script = workspace.script
        let hidden = (task.hiddenPaths + hiding).filter { $0.standardizedFileURL != data.standardizedFileURL }
        let plain = ExecutionRequest(script: script, workDir: folder, readOnlyPaths: [data] + importRoots, hiddenPaths: hidden,
                                     python: python, limits: limits,
                                     environment: importRoots.isEmpty ? [:] : ["PYTHONPATH": importRoots.map(\.path).joined(separator: ":")])
        let request = zoo?.apply(to: plain) ?? plain
        let result = try await scheduler.withSlot(cores: limits.cores) { try await sandbox.run(request) }
        let output = result.output.text
        var outcome = ScriptOutcome(execution: result, score: nil, selfReported: Self.selfReportedScore(in: output), error: nil, output: output)
        guard result.succeeded else {
            outcome.error = Self.describeFailure(result)
            return outcome
        }
        guard grade else { return outcome }
        let submission = workspace.submission
        guard workspace.hasSubmission else {
            outcome.error = "The script ran but did not write \(ScriptWorkspace.Name.submissionPath). Write the predictions for every row of \(ScriptWorkspace.Name.input)/test.csv there."
            return outcome
        }
        do {
            if let score = try task.gradeDev(submission: submission) {
                outcome.score = score
            } else if let own = outcome.selfReported {
                // No hidden dev rows (dev_split: none): the script's own validation score is all there is.
                outcome.score = own
                outcome.scoreIsSelfReported = true
            } else {
                outcome.error = "The submission is valid, but this task has no hidden dev rows, so the script must measure itself: hold out part of the training data, compute \(task.spec.metric.rawValue) on it and print `validation_score: <value>`."
            }
        } catch {
            outcome.error = "The submission is invalid: \(error)"
        }
        return outcome
    }

    /// Fills the zoo's feature cache for the task's rows before any script asks (`starling_zoo.prefetch`
    /// on the agent view: the images or sounds its rows name, else its longest text column), with all
    /// the run's cores: a candidate script that would embed 8,000 texts on its one core within its
    /// time limit then reads them from the cache instead.
    ///
    /// - Parameters:
    ///   - seconds: The most it may take.
    ///   - profile: The run's `profile.json`, which says whether a column is text.
    /// - Returns: What it did, in words; `nil` when the run offers no zoo or the task has neither
    ///   per-row files nor a text column (a table of numbers and categories: no process is started).
    package func prefetchZooFeatures(seconds: Double, profile: URL) async -> String? {
        guard let zoo, Self.zooCanHelp(view: task.viewFolder, profile: profile) else { return nil }
        let folder = runFolder.appendingPathComponent("zoo-prefetch")
        let workspace = ScriptWorkspace(folder)
        do {
            try workspace.prepare(code: "import starling_zoo\nprint('zoo prefetch:', starling_zoo.prefetch('input'))\n", input: .link(task.viewFolder))
            let cores = await scheduler.totalCores
            var limits = self.limits
            limits.timeoutSeconds = seconds
            limits.cores = cores
            let request = zoo.apply(to: ExecutionRequest(script: workspace.script, workDir: folder, readOnlyPaths: [task.viewFolder],
                                                         hiddenPaths: task.hiddenPaths, python: python, limits: limits))
            let result = try await scheduler.withSlot(cores: cores) { try await sandbox.run(request) }
            let said = result.output.text.split(separator: "\n").last { $0.hasPrefix("zoo prefetch:") }.map(String.init)
            return result.succeeded ? (said ?? "zoo prefetch: done") : "zoo prefetch: \(result.summary); scripts compute what is missing"
        } catch {
            return "zoo prefetch: not run (\(error)); scripts compute their own features"
        }
    }

    /// Whether the view's rows name files (`layout.json`'s `files`) or the profile found a text
    /// column (mean length of 20 characters or more).
    static func zooCanHelp(view: URL, profile: URL) -> Bool {
        if let data = try? Data(contentsOf: view.appendingPathComponent("layout.json")),
           let layout = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let files = layout["files"] as? [Any], !files.isEmpty { return true }
        guard let data = try? Data(contentsOf: profile), let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let files = root["files"] as? [[String: Any]] else { return false }
        return files.contains { file in
            (file["columns"] as? [[String: Any]] ?? []).contains { ($0["text"] as? Bool) == true && (($0["mean_length"] as? Double) ?? 0) >= 20 }
        }
    }

    /// The last `validation_score: X` the script printed.
    static func selfReportedScore(in output: String) -> Double? {
        var found: Double?
        for line in output.split(separator: "\n") {
            guard let range = line.range(of: "validation_score:") else { continue }
            let rest = line[range.upperBound...].trimmingCharacters(in: .whitespaces)
            if let value = Double(rest.split(separator: " ").first ?? "") { found = value }
        }
        return found
    }

    /// The failure in words, with the end of the output (where Python puts the traceback).
    static func describeFailure(_ result: ExecutionResult) -> String {
        if let syntax = result.syntaxError { return syntax }
        let lines = result.output.text.split(separator: "\n", omittingEmptySubsequences: false)
        let tail = lines.suffix(30).joined(separator: "\n")
        let clipped = tail.count > 3000 ? String(tail.suffix(3000)) : tail
        return "The script \(result.summary). End of its output:\n\(clipped)"
    }
}
