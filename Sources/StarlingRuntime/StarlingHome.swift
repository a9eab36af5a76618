import Foundation

/// Starling's home folder, shared by every checkout on a machine: `~/.cache/starling`, or the
/// folder named by `STARLING_HOME`.
package struct StarlingHome: Sendable, Hashable {
    /// The root folder.
    package var root: URL

    /// Creates a home at an explicit folder.
    ///
    /// - Parameter root: Folder to use as the home.
    package init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// The home chosen by the environment: `STARLING_HOME` when set, else `~/.cache/starling`.
    ///
    /// - Parameter environment: Variables to read; the process environment by default.
    /// - Returns: The home folder.
    package static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) -> StarlingHome {
        if let path = environment["STARLING_HOME"], !path.isEmpty {
            return StarlingHome(root: URL(fileURLWithPath: (path as NSString).expandingTildeInPath))
        }
        let home = environment["HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return StarlingHome(root: home.appendingPathComponent(".cache/starling"))
    }

    /// The virtual environment that runs generated solutions.
    package var solutionEnv: URL { root.appendingPathComponent("python") }
    /// The virtual environment that prepares datasets.
    package var dataEnv: URL { root.appendingPathComponent("data-env") }
    /// The aideml environment (the bench's peer agent).
    package var aidemlEnv: URL { root.appendingPathComponent("aideml-env") }
    /// The Ray environment (`ray[default]`, for `starling bench --executor ray` and `starling ray`).
    package var rayEnv: URL { root.appendingPathComponent("ray-env") }
    /// The llama.cpp build and models.
    package var llm: URL { root.appendingPathComponent("llm") }
    /// The LLM response cache.
    package var cache: URL { root.appendingPathComponent("cache") }
    /// The pretrained model zoo: `<name>.onnx`, `<name>.json` (what was installed) and `weights/`.
    package var zoo: URL { root.appendingPathComponent("zoo") }
    /// The lessons store: what each kind of change gained, over all runs on this machine.
    package var lessons: URL { root.appendingPathComponent("lessons/lessons.jsonl") }

    /// The Python interpreter of the solution environment.
    package var solutionPython: URL { solutionEnv.appendingPathComponent("bin/python") }
    /// The Python interpreter of the data environment.
    package var dataPython: URL { dataEnv.appendingPathComponent("bin/python") }
}
