import Foundation
import MCP

/// The tools `starling mcp` offers, their input schemas, and how a call reaches the session.
enum MCPTools {
    static func schema(_ properties: [String: Value], required: [String] = []) -> Value {
        .object(["type": "object", "properties": .object(properties), "required": .array(required.map { .string($0) }), "additionalProperties": false])
    }

    static func string(_ description: String) -> Value { .object(["type": "string", "description": .string(description)]) }
    static func integer(_ description: String) -> Value { .object(["type": "integer", "description": .string(description)]) }
    static func number(_ description: String) -> Value { .object(["type": "number", "description": .string(description)]) }

    static let task = string("A task id, as list_tasks names it, e.g. wa-churn.")
    /// The three ways to name a submission.
    static let submission: [String: Value] = [
        "task": task,
        "script_id": integer("A run_python script of this session; its submission/submission.csv is used."),
        "path": string("A submission CSV file on this machine."),
        "csv": string("The submission as CSV text."),
    ]

    /// Every tool, in the order a client would use them.
    static func list(finalGradeLimit: Int) -> [Tool] {
        [
            Tool(name: "list_tasks", description: "The offline ML tasks this Starling has: id, name, metric, direction, type, and whether the data is prepared.",
                 inputSchema: schema([:]), annotations: .init(readOnlyHint: true)),
            Tool(name: "describe_task",
                 description: "A task's description, metric, the agent view's folder and files, the hidden dev rows, and a data profile (columns, kinds, sizes). Prepares the task on first use.",
                 inputSchema: schema(["task": task], required: ["task"]), annotations: .init(readOnlyHint: true)),
            Tool(name: "run_python",
                 description: "Runs a Python script in Starling's sandbox against the task's agent view (input/, read-only): no network, no secrets, time and memory limits. "
                    + "The script writes submission/submission.csv for every row of input/test.csv. Returns exit status, time, memory, output tail and, for a valid submission, its dev-row score.",
                 inputSchema: schema(["task": task, "code": string("The whole Python script."),
                                      "timeout_seconds": number("At most this long (the server's limit caps it).")], required: ["task", "code"])),
            Tool(name: "validate_submission", description: "Checks a submission against the task's rules (columns, ids, values) and says what to fix.",
                 inputSchema: schema(submission, required: ["task"]), annotations: .init(readOnlyHint: true)),
            Tool(name: "score_dev", description: "Grades a submission made on the agent view on its hidden dev rows, as Starling's harness scores a script. Unlimited.",
                 inputSchema: schema(submission, required: ["task"]), annotations: .init(readOnlyHint: true)),
            Tool(name: "grade_final",
                 description: "Grades a submission on the task's real test rows: score, gap closed between baseline and reference, medal. "
                    + "At most \(finalGradeLimit) times per session, counted in every answer; choose with score_dev first.",
                 inputSchema: schema(submission, required: ["task"])),
            Tool(name: "check_leakage",
                 description: "Reruns a run_python script with the training labels shuffled: a score that stays far from chance means the script reads the answer from somewhere other than the features.",
                 inputSchema: schema(["script_id": integer("The run_python script to check.")], required: ["script_id"])),
            Tool(name: "start_run", description: "Starts Starling's own agent on a task in the background (resumable with `starling resume`); returns its run id.",
                 inputSchema: schema(["task": task, "time": string("Wall-clock budget, e.g. 90s, 10m (default 10m)."),
                                      "strategy": string("mle-star (default), aide or examples."),
                                      "llm": string("provider:model, e.g. local:qwen2.5-coder-1.5b (default: the configured model).")], required: ["task"])),
            Tool(name: "run_status", description: "A run's state: running or ended, nodes, best dev score, recent events; its final score once it ended.",
                 inputSchema: schema(["run_id": string("The id start_run returned.")], required: ["run_id"]), annotations: .init(readOnlyHint: true)),
            Tool(name: "stop_run", description: "Stops a run as Ctrl-C would: it writes its report and can be resumed with `starling resume`.",
                 inputSchema: schema(["run_id": string("The id start_run returned.")], required: ["run_id"])),
            Tool(name: "report", description: "Writes a run's self-contained report.html and sums the run up in a few lines.",
                 inputSchema: schema(["run": string("A run id of this session, or a run folder's path.")], required: ["run"]), annotations: .init(readOnlyHint: true)),
        ]
    }

    /// Carries out one call.
    ///
    /// - Throws: `MCPError.invalidParams` for a call the client must change (missing or mistyped
    ///   arguments, an unknown task or script, a refused grade), with what to change.
    static func call(_ name: String, _ arguments: [String: Value], session: MCPSession) async throws -> CallTool.Result {
        let args = Arguments(tool: name, values: arguments)
        do {
            switch name {
            case "list_tasks":
                let (tasks, unreadable) = await session.listTasks()
                return try result(TaskList(tasks: tasks, unreadable: unreadable))
            case "describe_task":
                let description = try await session.describe(try args.string("task"))
                return try result(description, text: description.overview + "\n\n" + description.dataProfile)
            case "run_python":
                var record = try await session.runPython(task: try args.string("task"), code: try args.string("code"), timeoutSeconds: try args.number("timeout_seconds"))
                record.code = nil
                return try result(record, isError: record.error != nil)
            case "validate_submission":
                let validation = try await session.validate(task: try args.string("task"), try args.submission())
                return try result(validation)
            case "score_dev":
                return try result(try await session.scoreDev(task: try args.string("task"), try args.submission()))
            case "grade_final":
                return try result(try await session.gradeFinal(task: try args.string("task"), try args.submission()))
            case "check_leakage":
                return try result(try await session.checkLeakage(script: try args.integer("script_id")))
            case "start_run":
                let request = BackgroundRuns.Request(task: try args.string("task"), time: try args.optionalString("time") ?? "10m",
                                                     strategy: try args.optionalString("strategy"), llm: try args.optionalString("llm"))
                return try result(try await session.startRun(request))
            case "run_status":
                return try result(try await session.runStatus(try args.string("run_id")))
            case "stop_run":
                return try result(try await session.stopRun(try args.string("run_id")))
            case "report":
                let answer = try await session.report(try args.string("run"))
                return try result(answer, text: "report: \(answer.report)\n\(answer.summary)")
            default:
                throw MCPError.methodNotFound("no tool '\(name)'; the tools are \(list(finalGradeLimit: 0).map(\.name).joined(separator: ", "))")
            }
        } catch let error as MCPSessionError {
            throw MCPError.invalidParams("\(name): \(error.message)")
        } catch let error as MCPError {
            throw error
        } catch {
            throw MCPError.internalError("\(name) failed: \(error)")
        }
    }

    struct TaskList: Codable { var tasks: [MCPSession.TaskLine]; var unreadable: [String] }

    /// A result whose text is the value's JSON (for clients that read text) and whose structured
    /// content is the same value.
    static func result<T: Codable>(_ value: T, text: String? = nil, isError: Bool = false) throws -> CallTool.Result {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(value)
        let json = String(decoding: data, as: UTF8.self)
        let structured = try JSONDecoder().decode(Value.self, from: data)
        return CallTool.Result(content: [.text(text: text ?? json, annotations: nil, _meta: nil)], structuredContent: structured as Value?, isError: isError)
    }

    /// A call's arguments, read with errors that name the tool and the argument.
    struct Arguments {
        var tool: String
        var values: [String: Value]

        func string(_ name: String) throws -> String {
            guard let value = try optionalString(name) else { throw MCPError.invalidParams("\(tool): the argument '\(name)' is required") }
            return value
        }

        func optionalString(_ name: String) throws -> String? {
            guard let value = values[name], !value.isNull else { return nil }
            guard let text = value.stringValue else { throw MCPError.invalidParams("\(tool): '\(name)' must be a string") }
            return text
        }

        func number(_ name: String) throws -> Double? {
            guard let value = values[name], !value.isNull else { return nil }
            if let number = value.doubleValue ?? value.intValue.map(Double.init), number > 0 { return number }
            throw MCPError.invalidParams("\(tool): '\(name)' must be a positive number")
        }

        func integer(_ name: String) throws -> Int {
            guard let value = values[name], !value.isNull else { throw MCPError.invalidParams("\(tool): the argument '\(name)' is required") }
            if let number = value.intValue ?? value.doubleValue.flatMap({ $0 == $0.rounded() ? Int($0) : nil }) { return number }
            throw MCPError.invalidParams("\(tool): '\(name)' must be a whole number")
        }

        /// Exactly one of `script_id`, `path`, `csv`.
        func submission() throws -> MCPSession.SubmissionSource {
            var sources: [MCPSession.SubmissionSource] = []
            if values["script_id"].map({ !$0.isNull }) == true { sources.append(.script(try integer("script_id"))) }
            if let path = try optionalString("path") { sources.append(.file(path)) }
            if let csv = try optionalString("csv") { sources.append(.text(csv)) }
            guard sources.count == 1, let source = sources.first else {
                throw MCPError.invalidParams("\(tool): give exactly one of script_id, path or csv (got \(sources.count))")
            }
            return source
        }
    }
}

extension MCPSession.TaskDescription {
    /// The description as text for a client that reads the text content.
    var overview: String {
        """
        # \(name) (\(id))
        metric: \(metric), \(direction) is better; type \(type); id column \(idColumn); target \(targetColumns.joined(separator: ", "))
        agent view: \(agentView) (\(files.joined(separator: ", "))); hidden dev rows: \(devRows)
        \(contract)

        \(description)
        """
    }
}
