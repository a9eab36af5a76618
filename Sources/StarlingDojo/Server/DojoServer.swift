import Foundation
import Hummingbird
import Logging
import NIOCore
import StarlingBench
import StarlingRuntime
import StarlingCore

/// Starling's gym server: environments over HTTP in the manner of MLE-Dojo, plus MLE-bench's
/// validation contract.
///
/// | endpoint | body | answer |
/// | --- | --- | --- |
/// | `GET /health` | | `{"status": "running"}` |
/// | `GET /tasks` | | the tasks this server offers |
/// | `POST /envs` | `{"task": ID, "options": {...}}` | 201 `{"id", "observation", "info"}` |
/// | `GET /envs` | | every environment's summary |
/// | `GET /envs/{id}` | | one environment's summary |
/// | `POST /envs/{id}/step` | `{"action": NAME, "params": {...}}` | `{"observation", "reward", "terminated", "truncated", "info"}` |
/// | `DELETE /envs/{id}` | | the closed environment's summary |
/// | `POST /validate` | multipart: `file`, optional `task` or `env` | `{"valid", "result", "problems"}` |
///
/// A server bound to anything but loopback needs `Authorization: Bearer <token>` on every
/// request (``DojoAccess``); a refused one gets 401.
///
/// Every error is JSON `{"error": {"code", "message"}}` with a 4xx status when the request
/// was at fault. ``EnvironmentOptions`` lists the options, ``DojoAction`` the actions.
package struct DojoServer: Sendable {
    /// Folders, sandbox, limits.
    package let configuration: DojoConfiguration
    /// The environments.
    package let registry: EnvironmentRegistry
    /// Whether requests need a token, and which.
    package let access: DojoAccess

    /// Creates a server; nothing listens until ``run(logLevel:handleSignals:onRunning:)``.
    ///
    /// - Parameter configuration: The configuration.
    /// - Throws: ``DojoError`` when the stage probe is missing from the build.
    package init(configuration: DojoConfiguration) throws {
        self.configuration = configuration
        access = DojoAccess.resolve(host: configuration.host, token: configuration.token)
        let executor = try InstrumentedExecutor(
            sandbox: configuration.sandbox, scheduler: SlotScheduler(totalCores: configuration.totalCores), python: configuration.python)
        registry = EnvironmentRegistry(configuration: configuration, executor: executor)
    }

    /// Listens until the calling task is cancelled (or, with `handleSignals`, until SIGINT or
    /// SIGTERM), expiring idle environments once a minute (sooner for short idle limits). On the
    /// way out every environment is closed: episodes in progress end as `shutdown`.
    ///
    /// - Parameters:
    ///   - logLevel: How much Hummingbird logs.
    ///   - handleSignals: Whether SIGINT and SIGTERM shut the server down gracefully.
    ///   - onRunning: Called with the bound port once the server accepts connections.
    /// - Throws: When the address cannot be bound.
    package func run(logLevel: Logger.Level = .info, handleSignals: Bool = false, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        var logger = Logger(label: "starling.dojo")
        logger.logLevel = logLevel
        let app = Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "starling-dojo"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
        let registry = self.registry
        let interval = min(60, max(0.2, configuration.limits.idleTimeoutSeconds / 4))
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    if handleSignals { try await app.runService() } else { try await app.run() }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: .milliseconds(Int64(interval * 1000)))
                        await registry.expireIdle()
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        } catch is CancellationError {
            // Cancelled by the caller: a normal way to stop.
        } catch {
            await registry.closeAll(reason: "shutdown")
            throw error
        }
        await registry.closeAll(reason: "shutdown")
    }

    /// The router with every endpoint, as the server runs it.
    package func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: JSONErrorMiddleware(limits: configuration.limits))
        if access.token != nil { router.add(middleware: BearerTokenMiddleware(access: access)) }
        let registry = self.registry
        let configuration = self.configuration

        router.get("/health") { _, _ in JSONResponse.make(["status": "running"]) }

        router.get("/tasks") { _, _ in JSONResponse.make(Self.taskList(configuration)) }

        router.post("/envs") { request, _ in
            let body = try await Self.readJSON(request, limit: configuration.limits.maxJSONBodyBytes)
            return JSONResponse.make(try await Self.createEnvironment(body, registry: registry, limits: configuration.limits), status: .created)
        }

        router.get("/envs") { _, _ in
            JSONResponse.make(JSONValue.object(["environments": .array(await registry.list())]))
        }

        router.get("/envs/:id") { _, context in
            let environment = try await registry.environment(try context.parameters.require("id"))
            return JSONResponse.make(await environment.summary())
        }

        router.post("/envs/:id/step") { request, context in
            let environment = try await registry.environment(try context.parameters.require("id"))
            let body = try await Self.readJSON(request, limit: configuration.limits.maxJSONBodyBytes)
            let action = try DojoAction.parse(body)
            return JSONResponse.make(try await environment.step(action))
        }

        router.delete("/envs/:id") { _, context in
            JSONResponse.make(try await registry.remove(try context.parameters.require("id")))
        }

        router.post("/validate") { request, context in
            var request = request
            let buffer = try await request.collectBody(upTo: configuration.limits.maxUploadBytes)
            let form = try MultipartForm.parse(Data(buffer.readableBytesView), contentType: request.headers[.contentType])
            guard let file = form["file"] else {
                throw DojoError(.badRequest, "no 'file' field in the form; upload the submission as file=@submission.csv")
            }
            let envID = form["env"].map { String(decoding: $0.data, as: UTF8.self) } ?? request.uri.queryParameters["env"].map(String.init)
            let taskID = form["task"].map { String(decoding: $0.data, as: UTF8.self) } ?? request.uri.queryParameters["task"].map(String.init)
            let validator = SubmissionCheck(registry: registry, defaultTask: configuration.defaultTask)
            return JSONResponse.make(try await validator.check(file.data, filename: file.filename, task: taskID, environment: envID))
        }
        return router
    }

    /// `GET /tasks`: every task with its metric and state, and the task folders that could not be read.
    static func taskList(_ configuration: DojoConfiguration) -> JSONValue {
        let (tasks, errors) = configuration.tasks.loadAll()
        let list: [JSONValue] = tasks.map { task in
            .object([
                "id": .string(task.id), "name": .string(task.spec.name), "metric": .string(task.spec.metric.rawValue),
                "direction": .string(task.spec.direction.rawValue), "task_type": .string(task.spec.taskType.rawValue),
                "prepared": .bool(task.isPrepared),
                "leaderboard": .bool(FileManager.default.fileExists(atPath: task.leaderboardURL.path)),
                "calibrated": .bool(task.spec.baseline != nil && task.spec.reference != nil),
            ])
        }
        return .object(["tasks": .array(list), "broken": .array(errors.map { .string($0.description) })])
    }

    /// `POST /envs`: a new environment for `{"task": ID, "options": {...}}`, with its first observation.
    static func createEnvironment(_ body: JSONValue, registry: EnvironmentRegistry, limits: DojoLimits) async throws -> JSONValue {
        guard let object = body.object else {
            throw DojoError(.badRequest, "the body must be a JSON object {\"task\": ID, \"options\": {...}}, not \(body.typeName)")
        }
        for key in object.keys.sorted() where key != "task" && key != "options" {
            throw DojoError(.badRequest, "unknown member '\(key)'; POST /envs takes {\"task\": ID, \"options\": {...}}")
        }
        guard let task = object["task"]?.string else {
            throw DojoError(.badRequest, "missing \"task\": name a task id (GET /tasks lists them)")
        }
        let options = try EnvironmentOptions.parse(object["options"], limits: limits)
        let environment = try await registry.create(task: task, options: options)
        let observation = await environment.initialObservation()
        let info: JSONValue = .object([
            "task_id": .string(environment.task.id), "options": EpisodeLog.json(options), "episode": .number(1),
            "step": .number(0), "folder": .string(environment.folder.path),
        ])
        return .object(["id": .string(environment.id), "observation": EpisodeLog.json(observation), "info": info])
    }

    /// Reads a JSON body of at most `limit` bytes.
    static func readJSON(_ request: Request, limit: Int) async throws -> JSONValue {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        guard buffer.readableBytes > 0 else {
            throw DojoError(.badRequest, "the body is empty; send a JSON object")
        }
        do {
            return try JSONValue.parse(Data(buffer.readableBytesView))
        } catch {
            throw DojoError(.badRequest, "the body is not valid JSON (\(Self.describe(error))); send a JSON object with Content-Type: application/json")
        }
    }

    static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError.map { "\($0)" } ?? context.debugDescription).prefix(200).description
        }
        return "\(error)".prefix(200).description
    }
}
