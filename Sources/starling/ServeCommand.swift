import ArgumentParser
import Foundation
import StarlingBench
import StarlingDojo
import StarlingRuntime

/// `starling serve`: the gym server, environments over HTTP for other agents and RL policies.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve Starling's tasks as gym environments over HTTP (MLE-Dojo style), with /validate and /health.",
        discussion: """
            POST /envs {"task": ID, "options": {...}} makes an environment; POST /envs/{id}/step \
            {"action": NAME, "params": {...}} acts in it (request_info, validate_code, execute_code, \
            get_history, reset, submit); DELETE /envs/{id} ends it. Rewards come from hidden dev rows; the \
            real test score is shown when an episode ends. See the README's "Gym server" section and \
            clients/python/ for a client.
            """
    )

    @Option(help: "Address to bind; keep 127.0.0.1 unless the port is firewalled. Any other address needs a token.")
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp(
        "Bearer token every request must carry (else STARLING_GYM_TOKEN). Off loopback one is generated and printed when none is given.",
        valueName: "token"))
    var token: String?

    @Option(help: "Port to bind; 0 picks a free one.")
    var port = 8080

    @Option(name: .customLong("work-dir"), help: "Folder for environments (views, scripts, episode records).")
    var workDir = "runs/dojo"

    @Option(help: "Task /validate checks against when a request names none.")
    var task: String?

    @Option(name: .customLong("max-envs"), help: "Environments held at once.")
    var maxEnvironments = 8

    @Option(name: .customLong("idle-timeout"), help: "Seconds before an unused environment expires.")
    var idleTimeout: Double = 1800

    @Option(name: .customLong("total-cores"), help: "Cores shared by all running scripts (default: all).")
    var totalCores: Int?

    @Option(name: .customLong("max-body-mb"), help: "Largest /validate upload in MiB (JSON requests are capped at 1 MiB).")
    var maxBodyMB = 64

    @Option(help: "Python interpreter for solutions (default: Starling's solution environment).")
    var python: String?

    @OptionGroup var location: TaskLocation

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard maxEnvironments >= 1 else { throw ValidationError("--max-envs must be at least 1") }
        guard idleTimeout > 0 else { throw ValidationError("--idle-timeout must be positive") }
        guard maxBodyMB >= 1 else { throw ValidationError("--max-body-mb must be at least 1") }
    }

    func run() async throws {
        let interpreter = python.map { URL(fileURLWithPath: $0) } ?? StarlingHome.resolve().solutionPython
        guard FileManager.default.isExecutableFile(atPath: interpreter.path) else {
            throw ValidationError("no Python at \(interpreter.path); run `starling setup` or pass --python")
        }
        let sandbox = try await Sandbox.probing()
        for limitation in sandbox.isolation.limitations { print("warning: \(limitation)") }
        let configuration = DojoConfiguration(
            host: host, port: port, tasks: location.store, workRoot: URL(fileURLWithPath: workDir), sandbox: sandbox,
            python: interpreter, totalCores: totalCores ?? ProcessInfo.processInfo.activeProcessorCount,
            limits: DojoLimits(maxEnvironments: maxEnvironments, idleTimeoutSeconds: idleTimeout, maxUploadBytes: maxBodyMB << 20),
            defaultTask: task, token: token ?? ProcessInfo.processInfo.environment["STARLING_GYM_TOKEN"])
        let server = try DojoServer(configuration: configuration)
        let host = self.host
        let access = server.access
        try await server.run(logLevel: .warning, handleSignals: true) { port in
            var lines = "starling gym server on http://\(host):\(port) (environments in \(configuration.workRoot.path); Ctrl-C stops)\n"
            if access.generated, let token = access.token {
                lines += "every request needs the header 'Authorization: Bearer \(token)' (this token is shown once; pass --token to choose one)\n"
            } else if access.token != nil {
                lines += "every request needs 'Authorization: Bearer <token>' with the token you gave\n"
            }
            // Written straight to the descriptor so a caller reading a pipe sees it at once.
            FileHandle.standardOutput.write(Data(lines.utf8))
        }
    }
}
