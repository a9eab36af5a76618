import Foundation
import Testing
@testable import StarlingAgents
import StarlingCore
import StarlingRunFolder
import StarlingTestSupport

/// `RunRequest`: defaults, then `starling.yaml`, then the command line, merged once, with the
/// task found once; resume recomputes the budget's reserve for a new wall time.
@Suite struct RunRequestTests {
    static let tasks = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("tasks/lite").path

    @Test func theCommandLineOverridesTheFileWhichOverridesTheDefaults() throws {
        let folder = try TemporaryFolder("request").url
        let yaml = folder.appendingPathComponent("starling.yaml")
        try """
            strategy: aide
            time: 20m
            cv_folds: 3
            tune_trials: 2
            models:
              all: openai:gpt-4.1
              reviewer: anthropic:claude-x
            """.write(to: yaml, atomically: true, encoding: .utf8)
        let file = try SettingsFile.load(path: yaml.path)
        var choices = RunChoices(task: "wa-churn")
        choices.tasksDir = Self.tasks
        choices.llm = "local:qwen"
        choices.models["coder"] = "openai:gpt-5"
        choices.settings.cvFolds = 2
        choices.settings.memory = false
        let now = try #require(ISO8601DateFormatter().date(from: "2026-12-07T10:11:12Z"))
        let request = try RunRequest(choices, file: file, now: now)
        let c = request.configuration
        #expect(c.strategy == "aide")
        #expect(c.settings.cvFolds == 2 && c.settings.tuneTrials == 2 && c.settings.memory == false)
        // A role's own choice beats the file's; the command line's model for all beats the file's for all.
        #expect(c.models == ["coder": "openai:gpt-5", "planner": "local:qwen", "reviewer": "anthropic:claude-x"])
        let budget = Budget.forWall(1200, standardScriptTimeout: AgentSettings().scriptTimeoutSeconds)
        #expect(c.budget == budget && c.settings.scriptTimeoutSeconds == budget.scriptTimeoutSeconds)
        guard case .prediction(let task) = request.target else { Issue.record("wa-churn is a prediction task"); return }
        #expect(task.id == "wa-churn" && request.target.id == "wa-churn")
        #expect(request.runFolder.path.hasSuffix("runs/wa-churn-20261207-101112"))
    }

    @Test func unreadableInputSaysWhatToFix() throws {
        var choices = RunChoices(task: "wa-churn")
        choices.tasksDir = Self.tasks
        choices.time = "ten minutes"
        #expect(throws: AgentError.self) { try RunRequest(choices) }
        let folder = try TemporaryFolder("request").url
        let yaml = folder.appendingPathComponent("starling.yaml")
        try "edit_format: sideways\n".write(to: yaml, atomically: true, encoding: .utf8)
        let error = #expect(throws: AgentError.self) { try SettingsFile.load(path: yaml.path) }
        #expect(error?.description.contains("sideways") == true)
        #expect(throws: AgentError.self) { try SettingsFile.load(path: folder.appendingPathComponent("missing.yaml").path) }
        choices.time = nil
        choices.task = "no-such-task"
        #expect(throws: (any Error).self) { try RunRequest(choices) }
    }

    @Test func resumeFindsTheTaskAgainAndANewWallTimeResizesTheReserve() throws {
        var choices = RunChoices(task: "wa-churn")
        choices.tasksDir = Self.tasks
        choices.time = "10m"
        choices.out = try TemporaryFolder("request").url.appendingPathComponent("run").path
        let request = try RunRequest(choices)
        try FileManager.default.createDirectory(at: request.runFolder, withIntermediateDirectories: true)
        try JSONEncoder().encode(request.configuration).write(to: RunLayout(request.runFolder).configuration)
        let same = try RunRequest.resume(request.runFolder)
        #expect(same.configuration == request.configuration && same.target.id == "wa-churn")
        let longer = try RunRequest.resume(request.runFolder, wall: 3600)
        #expect(longer.configuration.budget == request.configuration.budget.withWall(3600))
        #expect(longer.configuration.budget.reserveSeconds > request.configuration.budget.reserveSeconds)
        #expect(throws: RunFolderError.self) { try RunRequest.resume(request.runFolder.deletingLastPathComponent()) }
    }
}
