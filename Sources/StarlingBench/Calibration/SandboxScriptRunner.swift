import Foundation
import StarlingCore
import StarlingRuntime

/// Runs scripts in Starling's ``Sandbox`` with the solution environment, `input/` read-only.
package struct SandboxScriptRunner: ScriptRunner {
    /// The sandbox.
    package var sandbox: Sandbox
    /// The interpreter.
    package var python: URL
    /// Memory limit in MiB, if any.
    package var memoryMB: Int?
    /// Cores per script.
    package var cores: Int
    /// The model zoo the scripts may use (a reference that reads pretrained features needs it).
    package var zoo: ZooAccess?
    package var environmentDescription: String

    /// Creates a runner.
    ///
    /// - Parameters:
    ///   - sandbox: The sandbox to run in.
    ///   - environment: The solution environment; its record supplies the description.
    ///   - memoryMB: Memory limit.
    ///   - cores: Cores per script.
    package init(sandbox: Sandbox, environment: PythonEnvironment, memoryMB: Int? = nil, cores: Int = 1, zoo: ZooAccess? = nil) {
        self.sandbox = sandbox
        self.python = environment.python
        self.memoryMB = memoryMB
        self.cores = cores
        self.zoo = zoo
        if let record = environment.record() {
            let packages = ["scikit-learn", "lightgbm", "xgboost-cpu", "catboost", "pandas"]
                .compactMap { name in record.installed[name].map { "\(name) \($0)" } }
            let version = record.pythonVersion.replacingOccurrences(of: "Python ", with: "")
            self.environmentDescription = (["python \(version)"] + packages).joined(separator: ", ")
        } else {
            self.environmentDescription = "python at \(environment.python.path)"
        }
    }

    package func run(script: URL, workDir: URL, timeoutSeconds: Double) async throws -> ScriptOutcome {
        var request = ExecutionRequest(
            script: script, workDir: workDir,
            readOnlyPaths: [ScriptWorkspace(workDir).input],
            python: python,
            limits: ExecutionLimits(timeoutSeconds: timeoutSeconds, memoryMB: memoryMB, cores: cores))
        if let zoo { request = zoo.apply(to: request) }
        let result = try await sandbox.run(request)
        return ScriptOutcome(
            succeeded: result.succeeded, summary: result.summary,
            outputTail: String(result.output.text.suffix(3000)), seconds: result.wallSeconds)
    }
}
