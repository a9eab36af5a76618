import Foundation
import StarlingRuntime
import Testing
@testable import StarlingDojo

@Suite struct EnvironmentRegistryTests {
    @Test func idleEnvironmentsExpireAndBusyOnesDoNot() async throws {
        let root = try dojoScratch()
        let configuration = DojoConfiguration(
            tasks: try ToyTask.make(in: root.appendingPathComponent("tasks")), workRoot: root.appendingPathComponent("work"),
            sandbox: try await Sandbox.probing(), python: dojoTestPython(), limits: DojoLimits(idleTimeoutSeconds: 60))
        let registry = try DojoServer(configuration: configuration).registry
        let env = try await registry.create(task: ToyTask.id, options: EnvironmentOptions())
        #expect(await registry.expireIdle().isEmpty, "a fresh environment is not idle")
        #expect(await registry.expireIdle(now: Date().addingTimeInterval(120)) == [env.id])
        await #expect(throws: DojoError.self) { try await registry.environment(env.id) }
        let record = try String(contentsOf: env.folder.appendingPathComponent("environment.json"), encoding: .utf8)
        #expect(record.contains("\"expired\""))
        #expect(!FileManager.default.fileExists(atPath: env.folder.appendingPathComponent("view").path))
    }

    @Test func anUnpreparedTaskSaysHowToPrepareIt() async throws {
        let root = try dojoScratch()
        let tasks = try ToyTask.make(in: root.appendingPathComponent("tasks"))
        try FileManager.default.removeItem(at: root.appendingPathComponent("tasks/toy/prepared"))
        let configuration = DojoConfiguration(tasks: tasks, workRoot: root.appendingPathComponent("work"),
                                              sandbox: try await Sandbox.probing(), python: dojoTestPython())
        let registry = try DojoServer(configuration: configuration).registry
        do {
            _ = try await registry.create(task: ToyTask.id, options: EnvironmentOptions())
            Issue.record("an unprepared task must be refused")
        } catch let error as DojoError {
            #expect(error.code == .taskUnavailable)
            #expect(error.message.contains("starling tasks prepare toy"))
        }
    }
}
