import Foundation

/// Starling's home folder, shared by every checkout on a machine: `~/.cache/starling`, or the
/// folder named by `STARLING_HOME`.
public struct StarlingHome: Sendable, Hashable {
    /// The root folder.
    public var root: URL

    /// Creates a home at an explicit folder.
    ///
    /// - Parameter root: Folder to use as the home.
    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// The home chosen by the environment: `STARLING_HOME` when set, else `~/.cache/starling`.
    ///
    /// - Parameter environment: Variables to read; the process environment by default.
    /// - Returns: The home folder.
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) -> StarlingHome {
        if let path = environment["STARLING_HOME"], !path.isEmpty {
            return StarlingHome(root: URL(fileURLWithPath: (path as NSString).expandingTildeInPath))
        }
        let home = environment["HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return StarlingHome(root: home.appendingPathComponent(".cache/starling"))
    }

    /// The virtual environment that runs generated solutions.
    public var solutionEnv: URL { root.appendingPathComponent("python") }
    /// The virtual environment that prepares datasets.
    public var dataEnv: URL { root.appendingPathComponent("data-env") }
    /// The aideml environment (the bench's peer agent).
    public var aidemlEnv: URL { root.appendingPathComponent("aideml-env") }
    /// The Ray environment (`ray[default]`, for `starling bench --executor ray` and `starling ray`).
    public var rayEnv: URL { root.appendingPathComponent("ray-env") }
    /// The llama.cpp build and models.
    public var llm: URL { root.appendingPathComponent("llm") }
    /// The LLM response cache.
    public var cache: URL { root.appendingPathComponent("cache") }
    /// The lessons store: what each kind of change gained, over all runs on this machine.
    public var lessons: URL { root.appendingPathComponent("lessons/lessons.jsonl") }

    /// The Python interpreter of the solution environment.
    public var solutionPython: URL { solutionEnv.appendingPathComponent("bin/python") }
    /// The Python interpreter of the data environment.
    public var dataPython: URL { dataEnv.appendingPathComponent("bin/python") }
}
