import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StarlingBench
@testable import StarlingDojo
import StarlingRuntime
import StarlingCore

/// A Python interpreter for tests: the solution environment's, else the system's.
func dojoTestPython() -> URL {
    let venv = StarlingHome.resolve().solutionPython
    if FileManager.default.isExecutableFile(atPath: venv.path) { return venv }
    return URL(fileURLWithPath: Shell.which("python3") ?? "/usr/bin/python3")
}

/// A fresh folder under the temporary directory.
func dojoScratch(_ name: String = #function) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("starling-dojo-\(name.filter(\.isLetter).prefix(40))-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A small prepared task: predict `y` from `x` (y = 1 when x ≥ 50, with every tenth label
/// flipped), graded by accuracy, calibrated at baseline 0.5 and reference 1.0, so a threshold
/// script scores about 0.9 and places about 0.8. Every script for it needs only the standard library.
enum ToyTask {
    static let id = "toy"

    /// Writes the task folder `root/toy` and returns the store over `root`.
    static func make(in root: URL, leaderboard: [Double]? = nil) throws -> TaskStore {
        let folder = root.appendingPathComponent(id)
        let fm = FileManager.default
        try fm.createDirectory(at: folder.appendingPathComponent("prepared/public"), withIntermediateDirectories: true)
        try fm.createDirectory(at: folder.appendingPathComponent("prepared/private"), withIntermediateDirectories: true)
        try """
        id: toy
        name: Toy threshold task
        competition_type: simple
        grader:
          name: accuracy
        dataset:
          answers: prepared/private/answers.csv
          sample_submission: prepared/public/sample_submission.csv
        direction: higher
        task_type: binary_classification
        id_column: id
        target_columns: [y]
        dev_split: random
        dev_fraction: 0.2
        scores:
          baseline:
            value: 0.5
            source: "fixture"
          reference:
            value: 1.0
            source: "fixture"
        """.write(to: folder.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        try "# Toy\nPredict y (0 or 1) from x. Metric: accuracy.\n".write(to: folder.appendingPathComponent("description.md"), atomically: true, encoding: .utf8)
        func label(_ i: Int, _ x: Int) -> Int { (x >= 50 ? 1 : 0) ^ (i % 10 == 0 ? 1 : 0) }
        var train = "id,x,y\n"
        for i in 0..<200 { let x = (i * 37) % 100; train += "\(i),\(x),\(label(i, x))\n" }
        var test = "id,x\n", sample = "id,y\n", answers = "id,y\n"
        for i in 200..<260 {
            let x = (i * 53) % 100
            test += "\(i),\(x)\n"
            sample += "\(i),0\n"
            answers += "\(i),\(label(i, x))\n"
        }
        try train.write(to: folder.appendingPathComponent("prepared/public/train.csv"), atomically: true, encoding: .utf8)
        try test.write(to: folder.appendingPathComponent("prepared/public/test.csv"), atomically: true, encoding: .utf8)
        try sample.write(to: folder.appendingPathComponent("prepared/public/sample_submission.csv"), atomically: true, encoding: .utf8)
        try answers.write(to: folder.appendingPathComponent("prepared/private/answers.csv"), atomically: true, encoding: .utf8)
        if let leaderboard {
            try ("score\n" + leaderboard.map { "\($0)\n" }.joined()).write(to: folder.appendingPathComponent("leaderboard.csv"), atomically: true, encoding: .utf8)
        }
        return TaskStore(roots: [root])
    }

    /// A working solution: loads the data, fits a threshold, predicts, writes the submission.
    static let solution = """
    import csv, os

    class Threshold:
        def fit(self, rows):
            ones = sorted(float(r["x"]) for r in rows if r["y"] == "1")
            self.t = ones[len(ones) // 10] if ones else 50.0
            return self

        def predict(self, rows):
            return [1 if float(r["x"]) >= self.t else 0 for r in rows]

    train = list(csv.DictReader(open("input/train.csv")))
    test = list(csv.DictReader(open("input/test.csv")))
    model = Threshold().fit(train)
    predictions = model.predict(test)
    os.makedirs("submission", exist_ok=True)
    with open("submission/submission.csv", "w") as handle:
        handle.write("id,y\\n")
        handle.writelines(f"{row['id']},{p}\\n" for row, p in zip(test, predictions))
    print("validation_score: 0.9")
    """

    /// Scripts that stop at each stage, with the partial credit each should earn.
    static let stageScripts: [(name: String, code: String, credit: Double)] = [
        ("syntax error", "x = (\n", 0.0),
        ("crash before loading", "raise RuntimeError('nothing loaded')\n", 0.0),
        ("loads data", "import csv\nrows = list(csv.reader(open('input/train.csv')))\nraise RuntimeError('stop')\n", 0.1),
        ("fits a model", prefix(upTo: "predictions = ") + "raise RuntimeError('stop after fit')\n", 0.2),
        ("predicts", prefix(upTo: "os.makedirs") + "raise RuntimeError('stop after predict')\n", 0.3),
        ("writes an invalid submission", prefix(upTo: "os.makedirs") + "os.makedirs('submission', exist_ok=True)\nopen('submission/submission.csv', 'w').write('id,wrong\\n1,0\\n')\n", 0.4),
    ]

    static func prefix(upTo marker: String) -> String {
        String(solution[..<solution.range(of: marker)!.lowerBound])
    }
}

/// A gym server running inside the test on a free loopback port.
struct LiveServer: Sendable {
    let server: DojoServer
    let port: Int
    let root: URL
    let task: Task<Void, any Error>

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts a server over the toy task, bound to `host` (reached through 127.0.0.1 either way).
    static func start(limits: DojoLimits = DojoLimits(maxEnvironments: 4), leaderboard: [Double]? = nil, host: String = "127.0.0.1",
                      token: String? = nil, name: String = #function) async throws -> LiveServer {
        let root = try dojoScratch(name)
        let tasks = try ToyTask.make(in: root.appendingPathComponent("tasks"), leaderboard: leaderboard)
        let configuration = DojoConfiguration(
            host: host, port: 0, tasks: tasks, workRoot: root.appendingPathComponent("work"),
            sandbox: try await Sandbox.probing(), python: dojoTestPython(), totalCores: 2, limits: limits, defaultTask: ToyTask.id,
            token: token)
        let server = try DojoServer(configuration: configuration)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let task = Task { try await server.run(logLevel: .critical) { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw DojoError(.internalError, "the test server did not start") }
        return LiveServer(server: server, port: port, root: root, task: task)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// An HTTP answer decoded as JSON.
struct HTTPAnswer: Sendable {
    let status: Int
    let json: JSONValue
    let contentType: String?

    var errorCode: String? { json["error"]?["code"]?.string }
    var errorMessage: String { json["error"]?["message"]?.string ?? "" }
}

/// Minimal HTTP client over URLSession for the tests.
struct HTTP: Sendable {
    let base: String
    /// Sent as `Authorization: Bearer <token>` when set.
    var token: String? = nil

    func send(_ method: String, _ path: String, body: Data? = nil, contentType: String? = "application/json") async throws -> HTTPAnswer {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.timeoutInterval = 300
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = body
            if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        let json = data.isEmpty ? JSONValue.null : ((try? JSONValue.parse(data)) ?? .string(String(decoding: data, as: UTF8.self)))
        return HTTPAnswer(status: http.statusCode, json: json, contentType: http.value(forHTTPHeaderField: "Content-Type"))
    }

    func json(_ method: String, _ path: String, _ object: JSONValue) async throws -> HTTPAnswer {
        try await send(method, path, body: try JSONEncoder().encode(object))
    }

    func get(_ path: String) async throws -> HTTPAnswer { try await send("GET", path) }

    /// Creates an environment and returns its id.
    func makeEnvironment(_ options: [String: JSONValue] = [:]) async throws -> (String, HTTPAnswer) {
        let answer = try await json("POST", "/envs", .object(["task": .string(ToyTask.id), "options": .object(options)]))
        return (answer.json["id"]?.string ?? "", answer)
    }

    func step(_ env: String, _ action: String, _ params: [String: JSONValue] = [:]) async throws -> HTTPAnswer {
        try await json("POST", "/envs/\(env)/step", .object(["action": .string(action), "params": .object(params)]))
    }

    func code(_ env: String, _ action: String, _ code: String) async throws -> HTTPAnswer {
        try await step(env, action, ["code": .string(code)])
    }

    /// Uploads a multipart form.
    func upload(_ path: String, fields: [(name: String, filename: String?, data: Data)]) async throws -> HTTPAnswer {
        let boundary = "test-\(UUID().uuidString)"
        var body = Data()
        for field in fields {
            var disposition = "form-data; name=\"\(field.name)\""
            if let filename = field.filename { disposition += "; filename=\"\(filename)\"" }
            body.append(Data("--\(boundary)\r\nContent-Disposition: \(disposition)\r\n\r\n".utf8))
            body.append(field.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return try await send("POST", path, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }
}
