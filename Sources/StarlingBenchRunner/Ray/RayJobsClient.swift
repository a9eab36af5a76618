import Foundation
import StarlingRuntime

/// A client of Ray's Jobs REST API (the dashboard, `http://HEAD:8265`): submit a job, read its
/// status and logs, stop it; and the state API's node list, to name the node a job ran on and
/// to tell a lost node from a failed run.
package struct RayJobsClient: Sendable {
    /// The dashboard's address, e.g. `http://127.0.0.1:8265`.
    package var address: URL
    /// Seconds one request may take.
    package var timeout: TimeInterval
    private let transport: any HTTPTransport

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - address: The dashboard's address.
    ///   - timeout: Seconds one request may take.
    ///   - transport: How requests are sent (tests may substitute one).
    package init(address: URL, timeout: TimeInterval = 30, transport: any HTTPTransport = DefaultHTTPTransport()) {
        self.address = address
        self.timeout = timeout
        self.transport = transport
    }

    /// Parses `--ray-address`: `http://host:8265`, or `host:port` (http assumed).
    ///
    /// - Throws: ``RayError`` when the text is not an address.
    package static func address(from text: String) throws -> URL {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let full = trimmed.contains("://") ? trimmed : "http://" + trimmed
        guard let url = URL(string: full), let scheme = url.scheme, ["http", "https"].contains(scheme.lowercased()), url.host != nil else {
            throw RayError("'\(text)' is not a Ray dashboard address; give it as http://HEAD:8265")
        }
        return url
    }

    /// What the dashboard says about itself.
    package struct Version: Sendable, Hashable, Decodable {
        /// The Ray version (`2.60.0`).
        package var rayVersion: String
        /// The cluster session's name.
        package var sessionName: String?

        enum CodingKeys: String, CodingKey {
            case rayVersion = "ray_version"
            case sessionName = "session_name"
        }
    }

    /// The cluster's Ray version; the first request a bench makes.
    ///
    /// - Throws: ``RayError`` saying how to start a head when nothing answers.
    package func version() async throws -> Version {
        let response = try await send("GET", "api/version")
        return try decode(Version.self, from: response, what: "the version")
    }

    /// Submits a job.
    ///
    /// - Parameter submission: The job.
    /// - Returns: Its submission id.
    /// - Throws: ``RayError`` with the dashboard's answer when it refuses the job.
    package func submit(_ submission: RayJobSubmission) async throws -> String {
        let body = try JSONEncoder().encode(submission)
        let response = try await send("POST", "api/jobs/", body: body)
        struct Reply: Decodable { var submission_id: String?; var job_id: String? }
        let reply = try decode(Reply.self, from: response, what: "the submission")
        guard let id = reply.submission_id ?? reply.job_id else {
            throw RayError("the Ray dashboard accepted the job but returned no id: \(response.bodyText.prefix(300))")
        }
        return id
    }

    /// A job's details; `nil` when the cluster does not know it (a head that restarted forgets
    /// its jobs).
    ///
    /// - Throws: ``RayError`` when the dashboard cannot be reached or answers with an error.
    package func job(_ id: String) async throws -> RayJobInfo? {
        let response = try await send("GET", "api/jobs/\(Self.escape(id))", allowNotFound: true)
        if response.status == 404 { return nil }
        return try decode(RayJobInfo.self, from: response, what: "job \(id)")
    }

    /// A job's output so far (stdout and stderr of its entrypoint).
    ///
    /// - Throws: ``RayError`` when the dashboard cannot be reached or does not know the job.
    package func logs(_ id: String) async throws -> String {
        let response = try await send("GET", "api/jobs/\(Self.escape(id))/logs", timeout: max(timeout, 120))
        struct Reply: Decodable { var logs: String }
        return try decode(Reply.self, from: response, what: "the logs of \(id)").logs
    }

    /// Asks the cluster to stop a job (the entrypoint and its children get SIGTERM, then SIGKILL).
    ///
    /// - Returns: Whether a running job was stopped (`false` when it had already ended).
    /// - Throws: ``RayError`` when the dashboard cannot be reached.
    @discardableResult
    package func stop(_ id: String) async throws -> Bool {
        let response = try await send("POST", "api/jobs/\(Self.escape(id))/stop", allowNotFound: true)
        if response.status == 404 { return false }
        struct Reply: Decodable { var stopped: Bool }
        return (try? JSONDecoder().decode(Reply.self, from: response.body).stopped) ?? false
    }

    /// The cluster's nodes (alive and dead).
    ///
    /// - Throws: ``RayError`` when the dashboard cannot be reached.
    package func nodes() async throws -> [RayNode] {
        let response = try await send("GET", "api/v0/nodes?limit=10000")
        struct Reply: Decodable {
            struct Data: Decodable { struct Page: Decodable { var result: [RayNode] }; var result: Page }
            var data: Data
        }
        return try decode(Reply.self, from: response, what: "the node list").data.result.result
    }

    /// Sends one request and turns transport failures into what to do about them.
    private func send(_ method: String, _ path: String, body: Data? = nil, allowNotFound: Bool = false,
                      timeout: TimeInterval? = nil) async throws -> HTTPResponse {
        let url = URL(string: path, relativeTo: address.path.hasSuffix("/") ? address : address.appendingPathComponent(""))!.absoluteURL
        let request = HTTPRequest(url: url, method: method,
                                  headers: body == nil ? [:] : ["Content-Type": "application/json"],
                                  body: body, timeout: timeout ?? self.timeout)
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw RayError("cannot reach the Ray dashboard at \(address.absoluteString) (\(error)); start a head with "
                           + "`starling ray up`, or pass the address of a running one with --ray-address")
        }
        if response.isSuccess || (allowNotFound && response.status == 404) { return response }
        let text = response.bodyText.split(separator: "\n").suffix(3).joined(separator: " ").prefix(400)
        throw RayError("the Ray dashboard answered \(method) /\(path) with HTTP \(response.status): \(text)")
    }

    private func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw RayError("cannot read \(what) from the Ray dashboard at \(address.absoluteString): \(response.bodyText.prefix(300))")
        }
    }

    /// A submission id as one path segment.
    static func escape(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? id
    }
}

/// A job to submit (the request body of `POST /api/jobs/`).
package struct RayJobSubmission: Sendable, Hashable, Encodable {
    /// The shell command the job runs.
    package var entrypoint: String
    /// The id to submit under (unique in the cluster).
    package var submissionID: String
    /// Cores reserved for the entrypoint: Ray starts the job on a node with that many free.
    package var cpus: Double?
    /// Bytes of memory reserved for it.
    package var memoryBytes: Int64?
    /// Environment variables for the entrypoint (`runtime_env.env_vars`).
    package var environment: [String: String]
    /// Labels shown by the dashboard.
    package var metadata: [String: String]

    /// Creates a submission.
    package init(entrypoint: String, submissionID: String, cpus: Double? = nil, memoryBytes: Int64? = nil,
                environment: [String: String] = [:], metadata: [String: String] = [:]) {
        self.entrypoint = entrypoint
        self.submissionID = submissionID
        self.cpus = cpus
        self.memoryBytes = memoryBytes
        self.environment = environment
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case entrypoint, metadata
        case submissionID = "submission_id"
        case cpus = "entrypoint_num_cpus"
        case memoryBytes = "entrypoint_memory"
        case runtimeEnv = "runtime_env"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entrypoint, forKey: .entrypoint)
        try container.encode(submissionID, forKey: .submissionID)
        try container.encodeIfPresent(cpus, forKey: .cpus)
        try container.encodeIfPresent(memoryBytes, forKey: .memoryBytes)
        if !metadata.isEmpty { try container.encode(metadata, forKey: .metadata) }
        // An empty runtime environment still makes Ray set one up; leave it out when there is nothing to set.
        if !environment.isEmpty { try container.encode(["env_vars": environment], forKey: .runtimeEnv) }
    }
}

/// A job as the dashboard describes it (`GET /api/jobs/<id>`).
package struct RayJobInfo: Sendable, Hashable, Decodable {
    /// `PENDING`, `RUNNING`, `STOPPED`, `SUCCEEDED` or `FAILED`.
    package var status: String
    /// The status in words.
    package var message: String?
    /// Why it failed: `JOB_ENTRYPOINT_COMMAND_ERROR` (the command exited non-zero),
    /// `JOB_SUPERVISOR_ACTOR_DIED` (its node died), …
    package var errorType: String?
    /// The node the entrypoint runs on, once it started.
    package var driverNodeID: String?
    /// The entrypoint's exit code, once it ended.
    package var driverExitCode: Int?
    /// Submission and end times, Unix milliseconds.
    package var startTime: Int64?, endTime: Int64?

    enum CodingKeys: String, CodingKey {
        case status, message
        case errorType = "error_type"
        case driverNodeID = "driver_node_id"
        case driverExitCode = "driver_exit_code"
        case startTime = "start_time"
        case endTime = "end_time"
    }

    /// Creates a job description (tests).
    package init(status: String, message: String? = nil, errorType: String? = nil, driverNodeID: String? = nil,
                driverExitCode: Int? = nil) {
        self.status = status
        self.message = message
        self.errorType = errorType
        self.driverNodeID = driverNodeID
        self.driverExitCode = driverExitCode
    }

    /// Whether the job ended (succeeded, failed or stopped).
    package var isTerminal: Bool { ["SUCCEEDED", "FAILED", "STOPPED"].contains(status) }
}

/// A node of the cluster (`GET /api/v0/nodes`).
package struct RayNode: Sendable, Hashable, Decodable {
    /// The node's id.
    package var nodeID: String
    /// Its address.
    package var nodeIP: String
    /// `ALIVE` or `DEAD`.
    package var state: String
    /// Whether it is the head.
    package var isHeadNode: Bool
    /// Its resources (`CPU`, `memory`, …).
    package var resourcesTotal: [String: Double]

    enum CodingKeys: String, CodingKey {
        case nodeID = "node_id"
        case nodeIP = "node_ip"
        case state
        case isHeadNode = "is_head_node"
        case resourcesTotal = "resources_total"
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        nodeID = try container.decode(String.self, forKey: .nodeID)
        nodeIP = try container.decodeIfPresent(String.self, forKey: .nodeIP) ?? "?"
        state = try container.decodeIfPresent(String.self, forKey: .state) ?? "?"
        isHeadNode = try container.decodeIfPresent(Bool.self, forKey: .isHeadNode) ?? false
        resourcesTotal = try container.decodeIfPresent([String: Double].self, forKey: .resourcesTotal) ?? [:]
    }

    /// Whether it is alive.
    package var isAlive: Bool { state == "ALIVE" }
}

/// A problem with the Ray cluster or a job on it, saying what to do.
package struct RayError: Error, CustomStringConvertible, Sendable {
    /// What went wrong and how to fix it.
    package var description: String

    /// Creates an error.
    package init(_ description: String) { self.description = description }
}
