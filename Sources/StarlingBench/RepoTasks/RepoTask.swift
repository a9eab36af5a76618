import Foundation
import Yams

/// A task in the GitTaskBench mould: reuse a Python repository to turn input files into output
/// files, judged by the task's own test script (`process`: an output was produced and is
/// readable; `result`: it is right). Read from a folder with `config.yaml` (`type: repo`),
/// `description.md`, `input/`, the test script and, hidden from the agent, the ground truth.
package struct RepoTask: Sendable, Hashable {
    /// Where the repository comes from.
    package struct Source: Sendable, Hashable, Decodable {
        /// The import name (`sqlparse`).
        package var name: String
        /// A PyPI source distribution, pinned: distribution name, version and the sdist's SHA-256.
        package var pypi: String?
        package var version: String?
        package var sha256: String?
        /// The top folder inside the sdist (`sqlparse-0.5.3`).
        package var source: String?
        /// A local folder instead of a PyPI sdist (relative to the task folder, or absolute).
        package var path: String?
        /// The folder inside the repository that goes on `sys.path` (`.` or `src`).
        package var importRoot: String

        enum CodingKeys: String, CodingKey {
            case name, pypi, version, sha256, source, path
            case importRoot = "import_root"
        }

        package init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            pypi = try c.decodeIfPresent(String.self, forKey: .pypi)
            version = try c.decodeIfPresent(String.self, forKey: .version)
            sha256 = try c.decodeIfPresent(String.self, forKey: .sha256)
            source = try c.decodeIfPresent(String.self, forKey: .source)
            path = try c.decodeIfPresent(String.self, forKey: .path)
            importRoot = try c.decodeIfPresent(String.self, forKey: .importRoot) ?? "."
        }
    }

    /// How the test script is called.
    package struct Test: Sendable, Hashable, Decodable {
        /// The script (relative to the task folder, or absolute).
        package var script: String = "test_script.py"
        /// What `--output` gets: `folder` (the output folder) or `file` (the first file named `output*`).
        package var output: String = "folder"
        /// What `--groundtruth` gets (relative to the task folder, or absolute); none when absent.
        package var groundtruth: String?
        /// Extra `--key value` arguments.
        package var parameters: [String: String] = [:]

        enum CodingKeys: String, CodingKey { case script, output, groundtruth, parameters }

        package init() {}

        package init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            script = try c.decodeIfPresent(String.self, forKey: .script) ?? script
            output = try c.decodeIfPresent(String.self, forKey: .output) ?? output
            groundtruth = try c.decodeIfPresent(String.self, forKey: .groundtruth)
            parameters = try c.decodeIfPresent([String: String].self, forKey: .parameters) ?? [:]
        }
    }

    struct Config: Decodable {
        var id: String
        var type: String
        var title: String?
        var repo: Source
        var inputs: [String]?
        var outputs: [String]?
        var test: Test?
        var pythonPath: [String]?

        enum CodingKeys: String, CodingKey {
            case id, type, title, repo, inputs, outputs, test
            case pythonPath = "python_path"
        }
    }

    package var id: String
    package var title: String
    /// The task folder.
    package var folder: URL
    package var source: Source
    /// Input files, relative to the task folder (under `input/`).
    package var inputs: [String]
    /// File names the solution writes under `output/` (may be empty when the task leaves names open).
    package var outputs: [String]
    package var test: Test
    /// More folders for `sys.path` (a repository whose modules import each other by top-level name).
    package var extraPythonPath: [String]

    /// The task text the agent reads.
    package var description: String {
        (try? String(contentsOf: folder.appendingPathComponent("description.md"), encoding: .utf8)) ?? title
    }

    /// Whether `folder` holds a repo task (`type: repo` in its config.yaml).
    package static func isRepoTask(_ folder: URL) -> Bool {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("config.yaml"), encoding: .utf8) else { return false }
        return text.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == "type: repo" }
    }

    /// Reads a task folder.
    ///
    /// - Throws: ``TaskConfigError``-like messages as ``RepoTaskError`` naming the file and the field to fix.
    package init(folder: URL) throws {
        let file = folder.appendingPathComponent("config.yaml")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw RepoTaskError("\(file.path) is missing: a repo task folder needs config.yaml, description.md, input/ and a test script")
        }
        let config: Config
        do { config = try YAMLDecoder().decode(Config.self, from: text) } catch {
            throw RepoTaskError("\(file.path): \(error) — see tasks/repo/README.md for the fields")
        }
        guard config.type == "repo" else { throw RepoTaskError("\(file.path): type is '\(config.type)', not 'repo'") }
        guard config.repo.path != nil || (config.repo.pypi != nil && config.repo.version != nil && config.repo.sha256 != nil) else {
            throw RepoTaskError("\(file.path): repo needs either `path` (a local folder) or `pypi`, `version` and `sha256` (a pinned sdist)")
        }
        id = config.id
        title = config.title ?? config.id
        self.folder = folder.standardizedFileURL
        source = config.repo
        inputs = config.inputs ?? []
        outputs = config.outputs ?? []
        test = config.test ?? Test()
        if config.test?.groundtruth == nil, FileManager.default.fileExists(atPath: folder.appendingPathComponent("groundtruth").path) {
            test.groundtruth = "groundtruth"
        }
        extraPythonPath = config.pythonPath ?? []
        let script = resolve(test.script)
        guard FileManager.default.fileExists(atPath: script.path) else {
            throw RepoTaskError("\(file.path): the test script \(script.path) is missing")
        }
    }

    /// A path from the config: absolute as it is, otherwise relative to the task folder.
    package func resolve(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path)
    }

    /// The input folder.
    package var inputFolder: URL { folder.appendingPathComponent("input") }
    /// The ground truth, hidden from the agent's scripts.
    package var groundtruth: URL? { test.groundtruth.map(resolve) }
}

/// A repo task could not be read, fetched or checked; the message says what to fix.
package struct RepoTaskError: Error, CustomStringConvertible, Sendable, Hashable {
    package let description: String
    package init(_ description: String) { self.description = description }
}
