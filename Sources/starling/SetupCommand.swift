import ArgumentParser
import Foundation
import StarlingAgents
import StarlingRuntime

/// `starling setup`: builds what Starling needs in its home folder. Idempotent and fast when done.
struct SetupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Create the Python environments (and, with --llm, the local model) in Starling's home folder.",
        discussion: "The home folder is ~/.cache/starling, or STARLING_HOME. Every step is skipped when already done."
    )

    @Flag(help: "Also create the data environment used to prepare bundled tasks.")
    var data = false

    @Flag(help: "Also build the local llama.cpp server and download the default local models.")
    var llm = false

    @Flag(help: "Also create the aideml environment, for `starling bench --strategies aideml,aideml-adapter`.")
    var aideml = false

    @Flag(help: "Also create the Ray environment (pinned ray[default]), for `starling bench --executor ray` and `starling ray up`.")
    var ray = false

    @Flag(help: "Also install the pretrained model zoo (weights checked against their SHA-256, converted to ONNX once) that solution scripts use through starling_zoo.")
    var zoo = false

    func run() async throws {
        let home = StarlingHome.resolve()
        let log: @Sendable (String) -> Void = { print("setup: \($0)") }
        log("home folder \(home.root.path)")
        try FileManager.default.createDirectory(at: home.root, withIntermediateDirectories: true)
        let record = try await PythonEnvironment.solution(in: home).ensure(log: log)
        log("solution environment: \(record.pythonVersion), \(record.installed.count) packages")
        // The index of the installed libraries' API that grounded repairs use; rebuilt when the environment changes.
        if await APIIndex.ensure(python: home.solutionPython, sandbox: try await Sandbox.probing(), log: log) != nil {
            log("API index ready at \(APIIndex.location(forPython: home.solutionPython).path)")
        }
        if data {
            guard let requirements = RepoLocator.dataRequirements else {
                throw ValidationError("tasks/requirements-data.txt not found; run from the Starling checkout or set STARLING_REPO")
            }
            let dataRecord = try await PythonEnvironment.data(in: home, requirementsFile: requirements).ensure(log: log)
            log("data environment: \(dataRecord.pythonVersion), \(dataRecord.installed.count) packages")
        }
        if aideml {
            let aidemlRecord = try await PythonEnvironment.aideml(in: home).ensure(log: log)
            log("aideml environment: \(aidemlRecord.pythonVersion), aideml \(aidemlRecord.installed["aideml"] ?? "?")")
        }
        if ray {
            let rayRecord = try await PythonEnvironment.ray(in: home).ensure(log: log)
            log("ray environment: \(rayRecord.pythonVersion), ray \(rayRecord.installed["ray"] ?? "?") at \(home.rayEnv.path)")
        }
        if llm {
            try await setupLocalLLM(home: home, log: log)
        }
        if zoo {
            guard let scripts = ZooManifest.scripts else { throw ValidationError("the zoo's scripts are missing from Starling's resources; rebuild Starling") }
            let installer = ZooInstaller(home: home, manifest: try ZooManifest.bundled(), converter: home.solutionPython, scripts: scripts)
            for record in try await installer.installAll(log: log) {
                log("zoo: \(record.name) ready, model SHA-256 \(record.onnxSHA256.prefix(16))…")
            }
        }
        log("done")
    }
}
