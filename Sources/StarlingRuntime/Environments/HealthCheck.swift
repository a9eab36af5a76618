import Foundation

/// One line of `starling doctor`: a component, whether it is ready, and how to fix it if not.
package struct HealthCheck: Sendable, Hashable, Codable {
    /// What is checked, e.g. `"solution environment"`.
    package var component: String
    /// Whether it is usable. A degraded-but-working component is ready with a note.
    package var ready: Bool
    /// What was found.
    package var detail: String
    /// The command that fixes it, when not ready or degraded.
    package var fix: String?

    /// Creates a check line.
    package init(component: String, ready: Bool, detail: String, fix: String? = nil) {
        self.component = component
        self.ready = ready
        self.detail = detail
        self.fix = fix
    }
}

extension HealthCheck {
    /// The checks that belong to the runtime: uv, both Python environments, the sandbox.
    ///
    /// - Parameters:
    ///   - home: Starling's home folder.
    ///   - dataRequirements: The data environment's requirements file, when known.
    /// - Returns: One check per component.
    package static func runtimeChecks(home: StarlingHome, dataRequirements: URL?) async -> [HealthCheck] {
        var checks: [HealthCheck] = []
        if let python3 = Shell.which("python3") {
            checks.append(HealthCheck(component: "python3", ready: true, detail: python3))
        } else {
            checks.append(HealthCheck(component: "python3", ready: false, detail: "not on PATH", fix: "apt-get install python3 python3-pip"))
        }
        if let uv = Shell.which("uv") {
            checks.append(HealthCheck(component: "uv", ready: true, detail: uv))
        } else {
            checks.append(HealthCheck(component: "uv", ready: false, detail: "not found (setup installs it with pip)", fix: "python3 -m pip install uv"))
        }
        var environments = [PythonEnvironment.solution(in: home)]
        if let dataRequirements, let data = try? PythonEnvironment.data(in: home, requirementsFile: dataRequirements) {
            environments.append(data)
        }
        for env in environments {
            let component = "\(env.name) environment"
            if let record = env.record() {
                let versions = env.requirements.compactMap { requirement -> String? in
                    let name = requirement.split(whereSeparator: { "=<>!~[ ".contains($0) }).first.map(String.init) ?? requirement
                    return record.installed[name].map { "\(name) \($0)" }
                }
                let stale = record.requirements != env.requirements
                checks.append(HealthCheck(
                    component: component,
                    ready: !stale,
                    detail: (stale ? "outdated requirements; " : "") + "\(record.pythonVersion): " + versions.joined(separator: ", "),
                    fix: stale ? "starling setup\(env.name == "data" ? " --data" : "")" : nil))
            } else {
                checks.append(HealthCheck(component: component, ready: false, detail: "missing at \(env.path.path)",
                                          fix: "starling setup\(env.name == "data" ? " --data" : "")"))
            }
        }
        let isolation = await SandboxIsolation.probe()
        checks.append(HealthCheck(
            component: "sandbox",
            ready: true,
            detail: isolation.description + (isolation.limitations.isEmpty ? "" : " — " + isolation.limitations.joined(separator: "; ")),
            fix: isolation.usesNamespaces ? nil : "run as root, or: sysctl -w kernel.unprivileged_userns_clone=1"))
        checks.append(HealthCheck(
            component: "sandbox launcher",
            ready: Sandbox.bundledLauncher != nil,
            detail: Sandbox.bundledLauncher?.path ?? "missing from the build's resources",
            fix: Sandbox.bundledLauncher == nil ? "swift build" : nil))
        return checks
    }
}
