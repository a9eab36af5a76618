import Foundation

/// A virtual environment that Starling creates with uv and records: the solution environment
/// (what generated scripts import) or the data environment (what task preparation imports).
package struct PythonEnvironment: Sendable, Hashable {
    /// A short name for messages, e.g. `"solution"`.
    package var name: String
    /// The environment's folder.
    package var path: URL
    /// Requirement specifiers to install.
    package var requirements: [String]
    /// Distributions installed first without their dependencies (`uv pip install --no-deps`),
    /// when a package's declared dependencies are far heavier than what it needs.
    package var withoutDependencies: [String] = []

    /// What the record compares against: `--no-deps` entries first, then the requirements.
    var recordedRequirements: [String] { withoutDependencies.map { "--no-deps \($0)" } + requirements }

    /// The file in the environment that records what was installed.
    package var recordFile: URL { path.appendingPathComponent("starling-env.json") }
    /// The interpreter.
    package var python: URL { path.appendingPathComponent("bin/python") }

    /// What generated solutions may import. `xgboost-cpu` instead of `xgboost`, which pulls in
    /// hundreds of megabytes of CUDA libraries. `onnx` converts the zoo's weights once and
    /// `onnxruntime` runs them (``ZooInstaller``); `ctranslate2` runs the zoo's audio model and
    /// `soundfile` reads sounds (WAV, FLAC, OGG, AIFF); `tokenizers` (below) cuts text for its text model.
    package static let solutionRequirements = [
        "pandas", "numpy", "scipy", "scikit-learn", "lightgbm", "xgboost-cpu", "catboost", "pillow", "onnx", "onnxruntime",
        "ctranslate2", "soundfile",
    ]

    /// What the solution environment installs without its declared dependencies: `tokenizers`
    /// needs none of them to read a `tokenizer.json` (they are huggingface_hub's download tree,
    /// which would also bring click, typer and more into every script's imports).
    package static let solutionWithoutDependencies = ["tokenizers"]

    /// aideml's own dependencies, without its full install (7.5 GB, mostly CUDA wheels); the
    /// solution libraries come along so its scripts see what Starling's scripts see.
    package static let aidemlRequirements = [
        "openai", "anthropic", "backoff", "black==24.3.0", "coolname", "dataclasses_json", "python-dotenv", "funcy",
        "genson", "humanize", "igraph", "jsonschema", "omegaconf", "rich", "shutup",
    ] + solutionRequirements

    /// The aideml environment in a home folder (for `starling bench --strategies aideml`).
    package static func aideml(in home: StarlingHome) -> PythonEnvironment {
        var environment = PythonEnvironment(name: "aideml", path: home.aidemlEnv, requirements: aidemlRequirements)
        environment.withoutDependencies = ["aideml==0.2.2"]
        return environment
    }

    /// Ray, pinned: `ray[default]` brings the dashboard and its Jobs REST API, which the bench's
    /// Ray executor talks to. Every node of a cluster should run the same version.
    package static let rayRequirements = ["ray[default]==2.60.0"]

    /// The Ray environment in a home folder (for `starling setup --ray` and `starling ray`).
    package static func ray(in home: StarlingHome) -> PythonEnvironment {
        PythonEnvironment(name: "ray", path: home.rayEnv, requirements: rayRequirements)
    }

    /// The solution environment in a home folder.
    package static func solution(in home: StarlingHome) -> PythonEnvironment {
        var environment = PythonEnvironment(name: "solution", path: home.solutionEnv, requirements: solutionRequirements)
        environment.withoutDependencies = solutionWithoutDependencies
        return environment
    }

    /// The data environment in a home folder, with requirements from a file (one per line).
    ///
    /// - Throws: When the requirements file cannot be read.
    package static func data(in home: StarlingHome, requirementsFile: URL) throws -> PythonEnvironment {
        let lines = try String(contentsOf: requirementsFile, encoding: .utf8)
            .split(separator: "\n")
            .map { $0.components(separatedBy: "#")[0].trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return PythonEnvironment(name: "data", path: home.dataEnv, requirements: lines)
    }

    /// What was installed, as recorded by the last successful ``ensure(log:)``.
    package struct Record: Sendable, Codable, Hashable {
        /// The requirement specifiers the environment was built from.
        package var requirements: [String]
        /// Installed distributions, name → version.
        package var installed: [String: String]
        /// The interpreter version.
        package var pythonVersion: String
        /// When it was built (ISO 8601).
        package var createdAt: String
    }

    /// The record, or `nil` when the environment is missing or was never finished.
    package func record() -> Record? {
        guard FileManager.default.isExecutableFile(atPath: python.path),
              let data = try? Data(contentsOf: recordFile) else { return nil }
        return try? JSONDecoder().decode(Record.self, from: data)
    }

    /// Whether the environment exists and was built from the current requirements.
    package var isReady: Bool { record()?.requirements == recordedRequirements }

    /// Creates or updates the environment; returns at once when it is already up to date.
    ///
    /// - Parameter log: Receives progress lines.
    /// - Returns: The record of what is installed.
    /// - Throws: ``SetupError`` naming the failing step and its output.
    @discardableResult
    package func ensure(log: @Sendable (String) -> Void) async throws -> Record {
        if let record = record(), record.requirements == recordedRequirements { return record }
        let uv = try await Self.ensureUV(log: log)
        if !FileManager.default.isExecutableFile(atPath: python.path) {
            log("creating the \(name) environment at \(path.path)")
            let python3 = Shell.which("python3") ?? "python3"
            try await step("uv venv", uv, ["venv", "--python", python3, path.path])
        }
        if !withoutDependencies.isEmpty {
            log("installing into the \(name) environment without dependencies: \(withoutDependencies.joined(separator: " "))")
            try await step("uv pip install --no-deps", uv, ["pip", "install", "--python", python.path, "--no-deps"] + withoutDependencies)
        }
        log("installing into the \(name) environment: \(requirements.joined(separator: " "))")
        try await step("uv pip install", uv, ["pip", "install", "--python", python.path] + requirements)
        let freeze = try await step("uv pip freeze", uv, ["pip", "freeze", "--python", python.path])
        var installed: [String: String] = [:]
        for line in freeze.split(separator: "\n") {
            let parts = line.components(separatedBy: "==")
            if parts.count == 2 { installed[parts[0]] = parts[1] }
        }
        let version = try await step("python --version", python.path, ["--version"])
        let record = Record(
            requirements: recordedRequirements,
            installed: installed,
            pythonVersion: version.trimmingCharacters(in: .whitespacesAndNewlines),
            createdAt: ISO8601DateFormatter().string(from: Date())
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(record).write(to: recordFile)
        log("\(name) environment ready: \(installed.count) packages recorded in \(recordFile.path)")
        return record
    }

    /// Finds uv, installing it with pip when missing.
    ///
    /// - Returns: uv's path.
    /// - Throws: ``SetupError`` when it cannot be installed.
    package static func ensureUV(log: @Sendable (String) -> Void) async throws -> String {
        if let uv = Shell.which("uv") { return uv }
        log("uv not found; installing it with pip")
        guard let python3 = Shell.which("python3") else {
            throw SetupError(step: "find python3", output: "python3 is not on PATH; install Python 3.9+ (apt-get install python3 python3-pip)")
        }
        let outcome = try await Shell.run(python3, ["-m", "pip", "install", "--user", "uv"])
        if !outcome.succeeded {
            let retry = try await Shell.run(python3, ["-m", "pip", "install", "--break-system-packages", "uv"])
            guard retry.succeeded else { throw SetupError(step: "pip install uv", output: outcome.output + retry.output) }
        }
        guard let uv = Shell.which("uv") else {
            throw SetupError(step: "pip install uv", output: "pip reported success but uv is not on PATH or in ~/.local/bin")
        }
        return uv
    }

    @discardableResult
    private func step(_ label: String, _ program: String, _ arguments: [String]) async throws -> String {
        let outcome = try await Shell.run(program, arguments)
        guard outcome.succeeded else { throw SetupError(step: label, output: outcome.output) }
        return outcome.output
    }
}

/// A set-up step that failed, with the program's output.
package struct SetupError: Error, Sendable, CustomStringConvertible {
    /// The step, e.g. `"uv pip install"`.
    package var step: String
    /// What the program printed (last 4 000 characters).
    package var output: String

    /// Creates an error.
    package init(step: String, output: String) {
        self.step = step
        self.output = String(output.suffix(4000))
    }

    package var description: String { "set-up step '\(step)' failed:\n\(output)" }
}
