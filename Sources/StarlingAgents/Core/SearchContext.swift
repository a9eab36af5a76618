import Foundation
import Synchronization
import StarlingCore
import StarlingLLM
import StarlingRuntime
import StarlingStore
import StarlingRunFolder

/// Everything a strategy works with, shared by MLE-STAR and AIDE: the task, the LLM roles, the
/// harness that runs and grades scripts, the journal, the budget, the prompts and the models.
///
/// Steps are memoised by key in the journal: ``develop(step:stage:parent:plan:fallback:generate:)``
/// returns the recorded node of a step that finished before, so `resume` repeats no finished node.
package final class SearchContext: Sendable {
    /// The task and its grader.
    package let task: any TaskHarness
    /// Search settings.
    package let settings: AgentSettings
    /// Limits on the run.
    package let budget: Budget
    /// The run journal.
    package let journal: Journal
    /// Runs and grades scripts.
    package let harness: ExecutionHarness
    /// The deterministic pre-flight check.
    package let preflight: Preflight?
    /// The data schema for prompts.
    package let profile: DataProfile
    /// Prompt texts.
    package let prompts: PromptLibrary
    /// Candidate-model retrieval.
    package let retriever: any ModelRetriever
    /// Live progress.
    package let progress: ProgressReporter
    /// Installed library versions, for prompts.
    package let libraries: String
    /// The Python interpreter used to check that code parses.
    package let python: URL
    /// How the model changes scripts (resolved: never `auto`).
    package let editFormat: EditFormat
    /// Applies edit replies and outlines scripts.
    package let editor: EditApplier
    /// Grounded repairs from the installed libraries' API index; `nil` without an index.
    package let repairer: CodeRepairer?
    /// Fix hints for known error patterns.
    package let hints: ErrorHints
    /// Time, tokens and cost spent, and the final reserve.
    package let runBudget: RunBudget
    /// K-fold cross-validation of scripts on the view's training rows; `nil` when off or when
    /// the task cannot be cross-validated (then dev-row scores decide alone).
    package let crossValidator: CrossValidator?
    /// Lessons of earlier runs (and this one's); `nil` with memory off.
    package let lessons: LessonStore?
    /// The run's LLM requests (timeouts, repeats).
    let requests: RequestBuilder
    /// The task block every prompt starts with, rendered once.
    let context: String
    /// The prompt-cache warm-up, once started.
    let warming = Mutex<Task<Void, Never>?>(nil)
    /// Cross-validations running in the background, by node id.
    let validations = Mutex<[Int: Task<Void, Never>]>([:])
    let clients: [AgentRole: any LLMClient]

    /// Creates a context.
    package init(task: any TaskHarness, settings: AgentSettings, budget: Budget, journal: Journal, harness: ExecutionHarness,
                preflight: Preflight?, profile: DataProfile, prompts: PromptLibrary, retriever: any ModelRetriever,
                clients: [AgentRole: any LLMClient], progress: ProgressReporter, libraries: String, python: URL,
                priorSeconds: Double = 0, editFormat: EditFormat = .whole, repairer: CodeRepairer? = nil,
                hints: ErrorHints = ErrorHints(), repository: RepoContext? = nil, crossValidator: CrossValidator? = nil,
                lessons: LessonStore? = nil) {
        self.crossValidator = crossValidator
        self.lessons = lessons
        self.task = task
        self.settings = settings
        self.budget = budget
        self.journal = journal
        self.harness = harness
        self.preflight = preflight
        self.profile = profile
        self.prompts = prompts
        self.retriever = retriever
        self.clients = clients
        self.progress = progress
        self.libraries = libraries
        self.python = python
        self.runBudget = RunBudget(budget: budget, journal: journal, direction: task.spec.direction, priorSeconds: priorSeconds)
        self.requests = RequestBuilder(system: prompts.render(.system), temperature: settings.temperature, journal: journal, budget: runBudget)
        self.context = TaskContextWriter(prompts: prompts, spec: task.spec, taskDescription: task.taskDescription, schema: profile.markdown,
                                         libraries: libraries, scriptTimeoutSeconds: settings.scriptTimeoutSeconds,
                                         repository: repository?.promptText ?? "").render()
        self.editFormat = editFormat == .auto ? .whole : editFormat
        self.editor = EditApplier(tools: ToolRunner(sandbox: harness.sandbox, python: harness.python))
        self.repairer = repairer
        self.hints = hints
    }

    /// The task's metric direction.
    package var direction: Direction { task.spec.direction }

    // MARK: Budget (see ``RunBudget``)

    /// Seconds spent on the run, earlier sessions included.
    package var elapsedSeconds: Double { runBudget.elapsedSeconds }

    /// What has been spent.
    package func spend() -> Spend { runBudget.spend() }

    /// The limit reached, if any; strategies stop starting new steps once this is non-nil.
    package func exhausted() -> String? { runBudget.exhausted() }

    /// Seconds kept back for the final rerun and the label-shuffle check.
    package var finalReserveSeconds: Double { runBudget.finalReserveSeconds }

    /// Seconds the search may still run under the wall-clock limit (`nil` without one).
    package var searchSecondsLeft: Double? { runBudget.searchSecondsLeft }

    // MARK: Nodes

    /// Succeeded, scored nodes that are solutions (not ablation studies).
    package func solutions() -> [Node] { RunBudget.solutions(in: journal) }

    /// The best solution so far (see ``rankedSolutions()``).
    package func bestSolution() -> Node? { rankedSolutions().first }

    /// The end of a node's output log (ablation results, tracebacks).
    package func outputTail(ofNode id: Int, characters: Int = 4000) -> String {
        let log = harness.workspace(forNode: id).log
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return "" }
        return String(text.suffix(characters))
    }

    /// Logs a progress line and a journal event.
    package func report(_ message: String, kind: EventKind = .step) {
        let spend = spend()
        try? journal.record(EventRecord(kind, message))
        progress.report(elapsed: spend.elapsedSeconds, message, best: bestSolution()?.harnessScore, tokens: spend.tokens, cost: spend.costUSD)
    }

    // MARK: Prompt pieces

    /// The task, schema and rules block that starts most prompts (see ``TaskContextWriter``).
    package func taskContext() -> String { context }
}
