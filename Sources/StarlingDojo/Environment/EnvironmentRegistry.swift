import Foundation
import StarlingBench
import StarlingCore

/// The environments a server holds, by id; creates them, finds them, and lets idle ones expire.
package actor EnvironmentRegistry {
    /// The server's configuration.
    package let configuration: DojoConfiguration
    let executor: InstrumentedExecutor
    private var environments: [String: DojoEnvironment] = [:]
    private var creating = 0

    /// Creates an empty registry.
    ///
    /// - Parameters:
    ///   - configuration: Folders, sandbox and limits.
    ///   - executor: Runs scripts under the stage probe.
    package init(configuration: DojoConfiguration, executor: InstrumentedExecutor) {
        self.configuration = configuration
        self.executor = executor
    }

    /// Creates an environment for a task.
    ///
    /// - Parameters:
    ///   - taskReference: A task id (or a task folder path) the server's task store knows.
    ///   - options: The environment's options.
    /// - Returns: The new environment.
    /// - Throws: ``DojoError``: `unknown_task`, `task_unavailable` (not prepared, broken config),
    ///   `too_many_environments`.
    package func create(task taskReference: String, options: EnvironmentOptions) async throws -> DojoEnvironment {
        await expireIdle()
        guard environments.count + creating < configuration.limits.maxEnvironments else {
            throw DojoError(.tooManyEnvironments, "the server holds \(configuration.limits.maxEnvironments) environments, its limit; DELETE /envs/{id} one you no longer need (idle ones expire after \(Int(configuration.limits.idleTimeoutSeconds)) s)")
        }
        let task = try loadTask(taskReference)
        creating += 1
        defer { creating -= 1 }
        let id = "env-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let environment = try DojoEnvironment(id: id, task: task, options: options, configuration: configuration, executor: executor)
        environments[id] = environment
        return environment
    }

    /// Loads a task by id, mapping the store's errors to HTTP ones.
    ///
    /// - Parameter reference: A task id.
    /// - Returns: The task.
    /// - Throws: ``DojoError`` `unknown_task` or `task_unavailable`.
    package func loadTask(_ reference: String) throws -> TaskDefinition {
        guard !reference.isEmpty, !reference.contains("/"), !reference.hasPrefix(".") else {
            throw DojoError(.unknownTask, "'\(reference.prefix(80))' is not a task id; ask GET /tasks for the ids this server has")
        }
        do {
            return try configuration.tasks.task(reference)
        } catch let error as TaskStoreError {
            throw DojoError(.unknownTask, error.message)
        } catch {
            throw DojoError(.taskUnavailable, "task \(reference) cannot be loaded: \(error)")
        }
    }

    /// The environment with an id.
    ///
    /// - Parameter id: The id `POST /envs` returned.
    /// - Returns: The environment.
    /// - Throws: ``DojoError`` `unknown_environment`.
    package func environment(_ id: String) async throws -> DojoEnvironment {
        await expireIdle()
        guard let environment = environments[id] else {
            throw DojoError(.unknownEnvironment, "no environment '\(id.prefix(80))'; it was deleted, expired after \(Int(configuration.limits.idleTimeoutSeconds)) s idle, or never existed; create one with POST /envs")
        }
        return environment
    }

    /// Removes an environment and closes it.
    ///
    /// - Parameter id: The environment id.
    /// - Returns: Its final summary.
    /// - Throws: ``DojoError`` `unknown_environment`, or `conflict` while it runs a step.
    package func remove(_ id: String) async throws -> JSONValue {
        let environment = try await environment(id)
        guard await !environment.isBusy else {
            throw DojoError(.conflict, "environment \(id) is running a step; DELETE it once the step has answered")
        }
        environments[id] = nil
        return await environment.close(reason: "deleted")
    }

    /// Summaries of every environment.
    package func list() async -> [JSONValue] {
        await expireIdle()
        var result: [JSONValue] = []
        for id in environments.keys.sorted() { result.append(await environments[id]!.summary()) }
        return result
    }

    /// Closes environments idle for longer than the limit (never one running a step).
    ///
    /// - Parameter now: The current time.
    /// - Returns: Ids of the environments that expired.
    @discardableResult
    package func expireIdle(now: Date = Date()) async -> [String] {
        var expired: [String] = []
        for (id, environment) in environments {
            guard await !environment.isBusy else { continue }
            if now.timeIntervalSince(await environment.lastActive) > configuration.limits.idleTimeoutSeconds {
                environments[id] = nil
                _ = await environment.close(reason: "expired")
                expired.append(id)
            }
        }
        return expired.sorted()
    }

    /// Closes every environment, e.g. when the server stops.
    ///
    /// - Parameter reason: How episodes in progress end.
    package func closeAll(reason: String) async {
        let all = environments
        environments = [:]
        for (_, environment) in all { _ = await environment.close(reason: reason) }
    }

    /// Number of environments held.
    package var count: Int { environments.count }
}
