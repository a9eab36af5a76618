import Foundation
import Testing
import StarlingCore
import StarlingStore
import StarlingRuntime
@testable import StarlingRunFolder

@Suite struct RunLayoutTests {
    func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("layout-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func pathsAreTheDocumentedOnes() {
        let layout = RunLayout(URL(fileURLWithPath: "/runs/r1"))
        #expect(layout.journal.path == "/runs/r1/journal.sqlite")
        #expect(layout.configuration.path == "/runs/r1/run.json")
        #expect(layout.summary.path == "/runs/r1/summary.json")
        #expect(layout.finalGrade.path == "/runs/r1/final/grade.json")
        #expect(layout.nodeFolder(4).path == "/runs/r1/nodes/4")
        #expect(layout.node(4).script.path == "/runs/r1/nodes/4/solution.py")
        #expect(layout.node(4).log.path == "/runs/r1/nodes/4/run.log")
        #expect(layout.node(4).submission.path == "/runs/r1/nodes/4/submission/submission.csv")
        #expect(layout.finalSolution.path == "/runs/r1/final/solution.py")
        #expect(layout.finalSubmission.path == "/runs/r1/final/submission.csv")
        #expect(layout.benchLog.path == "/runs/r1/bench.log")
        let bench = BenchLayout(URL(fileURLWithPath: "/b"))
        #expect(bench.run(BenchCell(task: "t", strategy: "aide", seed: 2)).benchCell.path == "/b/runs/t/aide/seed-2/bench-cell.json")
        #expect(bench.results.lastPathComponent == "results.json")
    }

    @Test func runConfigurationRoundTripsThroughRunJSON() throws {
        let folder = try scratch()
        let layout = RunLayout(folder)
        #expect(throws: RunFolderError.self) { try RunConfiguration.read(from: layout) }
        var settings = AgentSettings()
        settings.editFormat = .function
        let configuration = RunConfiguration(task: "wa-churn", strategy: "aide", models: ["coder": "local:x"], settings: settings,
                                             budget: Budget(wallSeconds: 600, reserveSeconds: 60), cacheMode: "off")
        try RunLayout.writeJSON(configuration, to: layout.configuration)
        #expect(try RunConfiguration.read(from: layout) == configuration)
        // A broken file is an error that names it, not a silent default.
        try "{\"task\": 3}".write(to: layout.configuration, atomically: true, encoding: .utf8)
        let error = #expect(throws: RunFolderError.self) { try RunConfiguration.read(from: layout) }
        #expect(error?.description.contains("run.json") == true)
    }

    @Test func aFolderHoldsARunOnceItHasAJournalAndHasEndedOnceItHasASummary() throws {
        let folder = try scratch()
        let layout = RunLayout(folder)
        #expect(!layout.holdsRun && !layout.hasEnded)
        _ = try Journal(path: layout.journal)
        #expect(layout.holdsRun && !layout.hasEnded)
        try RunLayout.writeJSON(RunSummary(runFolder: folder.path, taskID: "t", strategy: "aide", stopReason: "time"), to: layout.summary)
        #expect(layout.hasEnded)
        #expect(try RunLayout.readJSON(RunSummary.self, from: layout.summary)?.stopReason == "time")
    }

    @Test func theReaderTakesRefinementPlansOfBothEditForms() throws {
        let folder = try scratch()
        let journal = try Journal(path: RunLayout(folder).journal)
        try journal.setArtifact(BlockPlan(code_block: "x = 1", plan: "try 2"), forKey: StepKey.branch(1).refine(1).block.description)
        try journal.setArtifact(FunctionPlan(function: "fit_predict", plan: "more trees"), forKey: StepKey.branch(1).refine(2).function.description)
        try journal.setArtifact("the model matters", forKey: StepKey.branch(1).refine(1).ablationSummary.description)
        let run = try RunFolder(folder: folder)
        #expect(run.refinementBlocks.map(\.text) == ["x = 1", "function `fit_predict`"])
        #expect(run.refinementBlocks.map(\.plan) == ["try 2", "more trees"])
        #expect(run.ablationSummaries.map(\.text) == ["the model matters"])
        #expect(run.configuration == nil && run.models.isEmpty)
    }
}
