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

    /// What the run is: the task, its settings and limits, its journal.
    package struct Run: Sendable {
        package var task: any TaskHarness
        package var settings: AgentSettings
        package var budget: Budget
        package var journal: Journal
        /// Seconds spent before this session (a resumed run, the repository reading).
        package var priorSeconds: Double = 0
    }

    /// What runs scripts: the harness, the pre-flight check, cross-validation.
    package struct Execution: Sendable {
        package var harness: ExecutionHarness
        package var preflight: Preflight?
        package var crossValidator: CrossValidator?
        /// The interpreter that checks code parses.
        package var python: URL
    }

    /// What the prompts know: the data, the prompts themselves, the cards, the installed
    /// libraries, a repository, lessons and error hints.
    package struct Knowledge: Sendable {
        package var profile: DataProfile
        package var prompts: PromptLibrary
        package var retriever: any ModelRetriever
        package var libraries: String
        package var repository: RepoContext? = nil
        package var lessons: LessonStore? = nil
        package var hints: ErrorHints = ErrorHints()
    }

    /// The models and how their code is taken in.
    package struct Models: Sendable {
        package var clients: [AgentRole: any LLMClient]
        package var editFormat: EditFormat = .whole
        package var repairer: CodeRepairer? = nil
        /// Whether the model answers at all (the journaled clients report to it); `nil` when
        /// nothing watches.
        package var reachability: ModelReachability? = nil
    }

    /// Creates a context from its four groups of services.
    package init(run: Run, execution: Execution, knowledge: Knowledge, models: Models, progress: ProgressReporter) {
        let (task, settings, prompts) = (run.task, run.settings, knowledge.prompts)
        self.task = task
        self.settings = settings
        self.budget = run.budget
        self.journal = run.journal
        self.harness = execution.harness
        self.preflight = execution.preflight
        self.crossValidator = execution.crossValidator
        self.python = execution.python
        self.profile = knowledge.profile
        self.prompts = prompts
        self.retriever = knowledge.retriever
        self.libraries = knowledge.libraries
        self.lessons = knowledge.lessons
        self.hints = knowledge.hints
        self.clients = models.clients
        self.repairer = models.repairer
        self.editFormat = models.editFormat == .auto ? .whole : models.editFormat
        self.progress = progress
        self.runBudget = RunBudget(budget: run.budget, journal: run.journal, direction: task.spec.direction, priorSeconds: run.priorSeconds,
                                   reachability: models.reachability)
        self.requests = RequestBuilder(system: prompts.render(.system), temperature: settings.temperature, journal: run.journal, budget: runBudget)
        self.context = TaskContextWriter(prompts: prompts, spec: task.spec, taskDescription: task.taskDescription, schema: knowledge.profile.markdown,
                                         libraries: knowledge.libraries, scriptTimeoutSeconds: settings.scriptTimeoutSeconds,
                                         repository: knowledge.repository?.promptText ?? "").render()
        self.editor = EditApplier(tools: ToolRunner(sandbox: execution.harness.sandbox, python: execution.harness.python))
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

    /// Why no model answers, once the run's calls show it (see ``ModelReachability``); `nil` while
    /// it answers or nothing watches.
    package var modelUnreachable: String? { runBudget.reachability?.unreachable }

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
