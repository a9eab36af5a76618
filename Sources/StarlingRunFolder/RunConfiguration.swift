import StarlingCore

/// Everything a run needs to start or resume, stored as `run.json` in the run folder.
package struct RunConfiguration: Codable, Sendable, Hashable {
    /// A bundled task id or a task folder, as given.
    package var task: String
    /// The folder of task folders, when not the bundled one.
    package var tasksDir: String?
    /// The strategy's name (``StrategyName``).
    package var strategy: String
    /// The model per role (`coder`, `planner`, `reviewer`), as `provider:model`.
    package var models: [String: String]
    /// Search settings.
    package var settings: AgentSettings
    /// Run limits.
    package var budget: Budget
    /// The LLM response cache mode: `off`, `read-write`, `replay-only`.
    package var cacheMode: String
    /// A code repository the agent may read and import (`--repo`, or `repo:` in a task's config).
    package var repoFolder: String?

    /// Creates a configuration.
    package init(task: String, tasksDir: String? = nil, strategy: String, models: [String: String], settings: AgentSettings,
                budget: Budget, cacheMode: String) {
        self.task = task
        self.tasksDir = tasksDir
        self.strategy = strategy
        self.models = models
        self.settings = settings
        self.budget = budget
        self.cacheMode = cacheMode
    }

    /// Reads `run.json` of a run folder.
    ///
    /// - Throws: ``RunFolderError`` when the file is missing (the folder is not a run) or unreadable.
    package static func read(from layout: RunLayout) throws -> RunConfiguration {
        guard let configuration = try RunLayout.readJSON(RunConfiguration.self, from: layout.configuration) else {
            throw RunFolderError("\(layout.configuration.path) is missing: \(layout.folder.path) is not a Starling run folder")
        }
        return configuration
    }
}

/// The strategies a run can name (`--strategy`, `run.json`, bench cells).
package enum StrategyName: String, Sendable, Hashable, Codable, CaseIterable {
    case mleStar = "mle-star"
    case aide
    /// The card examples, cross-validated and stacked, with no LLM call: the control that shows
    /// what the model adds.
    case examples
    /// Peers run by the bench (the aideml package), not by `starling run`.
    case aideml
    case aidemlAdapter = "aideml-adapter"
    /// Repo tasks: read the repository with the exploration tools, write and run a script, fix it.
    case repo
    /// Repo tasks with the exploration tools off (only the repository brief), for comparison.
    case repoNoTools = "repo-no-tools"

    /// Whether `starling run` runs it (the others are bench peers).
    package var isStarling: Bool { self != .aideml && self != .aidemlAdapter }

    /// Whether it runs repo tasks (the others run prediction tasks).
    package var isRepo: Bool { self == .repo || self == .repoNoTools }
}
