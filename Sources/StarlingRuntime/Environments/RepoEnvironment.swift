import Foundation

/// A repository's declared dependencies installed once, at set-up, into an environment of its
/// own layered on the solution environment (a `.pth` file puts the solution environment's
/// site-packages after its own): a repo task's scripts
/// (or a run's with `--repo`) import the repository's dependencies from it and everything else
/// from the solution environment, and nothing is installed while they run (scripts have no
/// network). What the repository declares is read without running its code
/// (`repo_requirements.py`: pyproject.toml, setup.cfg, a literal `install_requires` in setup.py,
/// the top-level requirements files). The solution environment's versions are pinned as
/// constraints, so a dependency cannot replace a library the scripts share. Environments live in
/// `<home>/repo-envs/<hash>/`, keyed by the requirements and the solution environment's build,
/// so two repositories that declare the same share one.
package struct RepoEnvironment: Sendable {
    package let home: StarlingHome
    /// The repository's root folder.
    package let repository: URL

    package init(home: StarlingHome, repository: URL) {
        self.home = home
        self.repository = repository
    }

    /// What a repository declares.
    package struct Declared: Codable, Sendable, Hashable {
        /// Requirement specifiers, first mention of each distribution.
        package var requirements: [String]
        /// The files they came from.
        package var sources: [String]
        /// Files that could not be read, and why.
        package var problems: [String]
    }

    /// A requirement that could not be installed.
    package struct Failure: Codable, Sendable, Hashable {
        package var requirement: String
        /// The end of the installer's output.
        package var reason: String
    }

    /// What the environment holds, in `starling-repo-env.json`.
    package struct Record: Codable, Sendable, Hashable {
        package var repository: String
        package var declared: Declared
        /// Requirements installed (or already satisfied by the solution environment).
        package var installed: [String]
        package var failed: [Failure]
        package var createdAt: String
    }

    /// The record's file name inside the environment.
    static let recordName = "starling-repo-env.json"

    /// Reads what the repository declares.
    ///
    /// - Throws: ``SetupError`` when the reader cannot run (no solution environment).
    package func declared() async throws -> Declared {
        guard let tool = Bundle.module.url(forResource: "repo_requirements", withExtension: "py", subdirectory: "Resources/tools") else {
            throw SetupError(step: "read the repository's requirements", output: "repo_requirements.py is missing from Starling's resources; rebuild")
        }
        let outcome = try await Shell.run(home.solutionPython.path, [tool.path, repository.path])
        guard outcome.succeeded, let line = outcome.output.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
              let declared = try? JSONDecoder().decode(Declared.self, from: Data(line.utf8)) else {
            throw SetupError(step: "read the requirements of \(repository.path)", output: outcome.output)
        }
        return declared
    }

    /// The environment's folder for `declared`.
    func folder(for declared: Declared) -> URL {
        let solutionBuild = PythonEnvironment.solution(in: home).record()?.createdAt ?? "none"
        let key = Checksum.sha256(of: Data((declared.requirements.sorted() + ["solution:" + solutionBuild]).joined(separator: "\n").utf8))
        return home.root.appendingPathComponent("repo-envs/\(key.prefix(16))")
    }

    /// Builds the environment when the repository declares dependencies and it is not built yet.
    ///
    /// - Parameter log: Receives progress lines.
    /// - Returns: The environment's interpreter and record; `nil` when the repository declares
    ///   nothing (its scripts use the solution environment).
    /// - Throws: ``SetupError`` when the environment itself cannot be made; a requirement that
    ///   does not install is listed in the record, not thrown.
    package func ensure(log: @Sendable (String) -> Void) async throws -> (python: URL, record: Record)? {
        let declared = try await declared()
        for problem in declared.problems { log("repository \(repository.lastPathComponent): \(problem)") }
        guard !declared.requirements.isEmpty else { return nil }
        let folder = folder(for: declared)
        let python = folder.appendingPathComponent("bin/python")
        let recordFile = folder.appendingPathComponent(Self.recordName)
        if let data = try? Data(contentsOf: recordFile), let record = try? JSONDecoder().decode(Record.self, from: data) {
            return (python, record)
        }
        let uv = try await PythonEnvironment.ensureUV(log: log)
        log("installing what \(repository.lastPathComponent) declares (\(declared.sources.joined(separator: ", "))): \(declared.requirements.joined(separator: " "))")
        try? FileManager.default.removeItem(at: folder)
        let venv = try await Shell.run(uv, ["venv", "--python", home.solutionPython.path, folder.path])
        guard venv.succeeded else { throw SetupError(step: "uv venv \(folder.path)", output: venv.output) }
        // Layered by a .pth file: the solution environment's site-packages come after this
        // environment's own. (`--system-site-packages` would layer it on the interpreter the
        // solution environment was made from, not on the solution environment.)
        let sitePackages = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
        let solutionSite = try await Shell.run(home.solutionPython.path, ["-c", sitePackages])
        let ownSite = try await Shell.run(python.path, ["-c", sitePackages])
        guard solutionSite.succeeded, ownSite.succeeded else {
            throw SetupError(step: "find site-packages", output: solutionSite.output + ownSite.output)
        }
        try (solutionSite.output.trimmingCharacters(in: .whitespacesAndNewlines) + "\n")
            .write(to: URL(fileURLWithPath: ownSite.output.trimmingCharacters(in: .whitespacesAndNewlines)).appendingPathComponent("starling-solution.pth"),
                   atomically: true, encoding: .utf8)
        let freeze = try await Shell.run(uv, ["pip", "freeze", "--python", home.solutionPython.path])
        let constraints = folder.appendingPathComponent("solution-constraints.txt")
        // Only the pins: uv also says which environment it read.
        let pins = freeze.output.split(separator: "\n").filter { $0.contains("==") && !$0.hasPrefix("Using ") }
        try (pins.joined(separator: "\n") + "\n").write(to: constraints, atomically: true, encoding: .utf8)
        let install = { (requirements: [String]) in
            try await Shell.run(uv, ["pip", "install", "--python", python.path, "--constraint", constraints.path] + requirements)
        }
        var installed: [String] = [], failed: [Failure] = []
        if try await install(declared.requirements).succeeded {
            installed = declared.requirements
        } else {
            // One at a time, so one that cannot be installed does not keep out the others.
            for requirement in declared.requirements {
                let outcome = try await install([requirement])
                if outcome.succeeded {
                    installed.append(requirement)
                } else {
                    failed.append(Failure(requirement: requirement, reason: Self.reason(outcome.output)))
                    log("could not install \(requirement): \(Self.reason(outcome.output))")
                }
            }
        }
        // uv does not count the solution environment's packages as installed: it put copies of
        // them (the same versions, by the constraints) here too. The solution environment's own
        // are the ones to import.
        let own = try await Shell.run(uv, ["pip", "freeze", "--python", python.path])
        let copies = own.output.split(separator: "\n").filter { pins.contains($0) }.map { String($0.split(separator: "=")[0]) }
        if !copies.isEmpty {
            let removed = try await Shell.run(uv, ["pip", "uninstall", "--python", python.path] + copies)
            if !removed.succeeded { log("could not remove the copies of the solution environment's packages: \(Self.reason(removed.output))") }
        }
        let record = Record(repository: repository.path, declared: declared, installed: installed, failed: failed,
                            createdAt: ISO8601DateFormatter().string(from: Date()))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(record).write(to: recordFile)
        log("repository environment ready at \(folder.path): \(installed.count) installed, \(failed.count) could not be")
        return (python, record)
    }

    /// The installer's last meaningful lines.
    static func reason(_ output: String) -> String {
        let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return lines.suffix(3).joined(separator: " / ").prefix(400).description
    }
}
