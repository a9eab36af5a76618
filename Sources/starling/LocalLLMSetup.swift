import Foundation
import StarlingAgents
import StarlingLLM
import StarlingRuntime

/// `starling setup --llm`: builds llama-server and installs the local models (each skipped when present).
func setupLocalLLM(home: StarlingHome, log: @escaping @Sendable (String) -> Void) async throws {
    let python = Shell.which("python3") ?? "python3"
    try await LocalModelInstaller(home: home, python: python).install(models: LocalModel.all(), jobs: 2, log: log)
    let installation = LocalLLMInstallation(home: home)
    log("local LLM ready: llama-server at \(installation.serverBinary.path), models: \(installation.installedModels.map(\.name).joined(separator: ", "))")
}

/// Doctor lines for the local LLM: the server binary, each model, and a running server.
func localLLMChecks(home: StarlingHome) async -> [HealthCheck] {
    let installation = LocalLLMInstallation(home: home)
    var checks = [HealthCheck(
        component: "llama-server",
        ready: installation.isServerInstalled,
        detail: installation.isServerInstalled ? installation.serverBinary.path : "not built",
        fix: installation.isServerInstalled ? nil : "starling setup --llm")]
    for model in LocalModel.all() {
        let installed = installation.isInstalled(model)
        checks.append(HealthCheck(
            component: "model \(model.name)", ready: installed,
            detail: installed ? model.file(in: home).path : "not installed",
            fix: installed ? nil : "starling setup --llm"))
    }
    if let state = await LlamaServerController(installation: installation).status() {
        checks.append(HealthCheck(component: "local server", ready: true, detail: "\(state.model) at \(state.baseURL.absoluteString) (pid \(state.pid))"))
    }
    return checks
}
