import Foundation
import Yams

/// Turns GitTaskBench tasks (a checkout of its repository: `queries/<id>/query.json`,
/// `config/<id>/task_info.yaml`, `test_scripts/<id>/test_script.py`, `groundtruth/<id>/…`,
/// `code_base/<Repo>/`) into repo task folders that the `repo` strategy runs. The repository,
/// the test script and the ground truth stay where they are in the checkout (nothing of the
/// benchmark is copied but the small input files); the description keeps the benchmark's own
/// (Chinese) task text and adds its output-naming rule in English.
package struct GitTaskBenchImporter: Sendable {
    /// The GitTaskBench checkout.
    package let source: URL

    /// Creates an importer.
    package init(source: URL) { self.source = source.standardizedFileURL }

    /// One task's outcome.
    package struct Imported: Sendable, Hashable {
        package var id: String
        /// The task folder written, or `nil` when skipped.
        package var folder: URL?
        /// Why it was skipped.
        package var skipped: String?
        /// The repository and its import name.
        package var repository: String
    }

    struct Query: Decodable {
        struct Repository: Decodable {
            var name: String
            var path: String
            var url: String?
            var understandingGuidelines: [String]?
            enum CodingKeys: String, CodingKey { case name, path, url, understandingGuidelines = "understanding_guidelines" }
        }
        struct Files: Decodable {
            struct Input: Decodable { var path: String; var description: String? }
            var inputFiles: [Input]?
            enum CodingKeys: String, CodingKey { case inputFiles = "input_files" }
        }
        var taskID: String
        var taskDescription: String
        var repositories: [Repository]
        var filePaths: Files?
        enum CodingKeys: String, CodingKey {
            case taskID = "task_id", taskDescription = "task_description", repositories, filePaths = "file_paths"
        }
    }

    struct Info: Decodable {
        var taskid: String
        var testScript: String
        var groundtruth: String?
        var multiOutput: Bool?
        var parameters: [String: String]?
        enum CodingKeys: String, CodingKey {
            case taskid, groundtruth, parameters
            case testScript = "test_script", multiOutput = "multi_output"
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            taskid = try c.decode(String.self, forKey: .taskid)
            testScript = try c.decode(String.self, forKey: .testScript)
            groundtruth = try c.decodeIfPresent(String.self, forKey: .groundtruth)
            multiOutput = try c.decodeIfPresent(Bool.self, forKey: .multiOutput)
            // Parameters are numbers or strings in the files; they are passed on the command line as text.
            if let raw = try? c.decodeIfPresent([String: YAMLScalar].self, forKey: .parameters) { parameters = raw.mapValues(\.text) }
        }
    }

    struct YAMLScalar: Decodable {
        var text: String
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let value = try? c.decode(String.self) { text = value }
            else if let value = try? c.decode(Double.self) { text = value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value) }
            else if let value = try? c.decode(Bool.self) { text = value ? "true" : "false" }
            else { text = "" }
        }
    }

    /// The config written for each task (the fields ``RepoTask`` reads).
    struct Written: Encodable {
        struct Repo: Encodable { var name: String; var path: String; var importRoot: String
            enum CodingKeys: String, CodingKey { case name, path, importRoot = "import_root" } }
        struct Test: Encodable { var script: String; var output: String; var groundtruth: String?; var parameters: [String: String] }
        var id: String
        var type = "repo"
        var title: String
        var repo: Repo
        var inputs: [String]
        var outputs: [String] = []
        var test: Test
    }

    /// Task ids in the checkout, sorted.
    package func taskIDs() throws -> [String] {
        let queries = source.appendingPathComponent("queries")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: queries.path) else {
            throw RepoTaskError("\(source.path) is not a GitTaskBench checkout: \(queries.path) is missing")
        }
        return names.filter { FileManager.default.fileExists(atPath: queries.appendingPathComponent($0).appendingPathComponent("query.json").path) }.sorted()
    }

    /// Imports tasks into `destination`.
    ///
    /// - Parameters:
    ///   - destination: The folder of task folders to write (created).
    ///   - only: Task ids to import; all when empty.
    /// - Returns: One entry per task, written or skipped with the reason.
    package func importTasks(into destination: URL, only: [String] = []) throws -> [Imported] {
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
        let ids = try taskIDs().filter { only.isEmpty || only.contains($0) }
        for id in only where !ids.contains(id) { throw RepoTaskError("no task '\(id)' in \(source.path)/queries") }
        return ids.map { id in
            do { return try importTask(id, into: destination) } catch {
                return Imported(id: id, folder: nil, skipped: "\(error)", repository: "")
            }
        }
    }

    /// The checkout path of a benchmark path (`/GitTaskBench/code_base/X` → `<checkout>/code_base/X`).
    func local(_ path: String) -> URL {
        var relative = path
        for prefix in ["/GitTaskBench/", "GitTaskBench/", "/"] where relative.hasPrefix(prefix) { relative.removeFirst(prefix.count); break }
        return source.appendingPathComponent(relative)
    }

    func importTask(_ id: String, into destination: URL) throws -> Imported {
        let fm = FileManager.default
        let queryFile = source.appendingPathComponent("queries/\(id)/query.json")
        let query = try JSONDecoder().decode(Query.self, from: Data(contentsOf: queryFile))
        let infoFile = source.appendingPathComponent("config/\(id)/task_info.yaml")
        guard let infoText = try? String(contentsOf: infoFile, encoding: .utf8) else { throw RepoTaskError("\(infoFile.path) is missing") }
        let info = try YAMLDecoder().decode(Info.self, from: infoText)
        guard let repository = query.repositories.first else { throw RepoTaskError("query.json names no repository") }
        let repoFolder = local(repository.path)
        guard fm.fileExists(atPath: repoFolder.path) else { throw RepoTaskError("its repository \(repoFolder.path) is not in the checkout") }
        let (importName, importRoot) = Self.importName(repoFolder, repository: repository.name)
        let script = source.appendingPathComponent(info.testScript)
        guard fm.fileExists(atPath: script.path) else { throw RepoTaskError("its test script \(script.path) is missing") }

        let folder = destination.appendingPathComponent(id)
        try? fm.removeItem(at: folder)
        try fm.createDirectory(at: folder.appendingPathComponent("input"), withIntermediateDirectories: true)
        var inputs: [String] = []
        var inputLines: [String] = []
        for input in query.filePaths?.inputFiles ?? [] where !input.path.isEmpty {
            let file = local(input.path)
            guard fm.fileExists(atPath: file.path) else { throw RepoTaskError("its input \(file.path) is missing from the checkout") }
            let name = file.lastPathComponent
            try fm.copyItem(at: file, to: folder.appendingPathComponent("input/\(name)"))
            inputs.append("input/\(name)")
            inputLines.append("- `input/\(name)`" + ((input.description ?? "").isEmpty ? "" : " — \(input.description!)"))
        }
        let groundtruth = info.groundtruth.map { source.appendingPathComponent($0) }
        if let groundtruth, !fm.fileExists(atPath: groundtruth.path) { throw RepoTaskError("its ground truth \(groundtruth.path) is missing from the checkout") }
        let written = Written(id: id, title: "GitTaskBench \(id)", repo: .init(name: importName, path: repoFolder.path, importRoot: importRoot), inputs: inputs,
                              test: .init(script: script.path, output: info.multiOutput == true ? "folder" : "file", groundtruth: groundtruth?.path,
                                          parameters: info.parameters ?? [:]))
        try YAMLEncoder().encode(written).write(to: folder.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        let guidelines = (repository.understandingGuidelines ?? []).map { "- \($0)" }.joined(separator: "\n")
        let description = """
            # GitTaskBench \(id)

            The task, as the benchmark states it (in Chinese):

            > \(query.taskDescription.replacingOccurrences(of: "\n", with: "\n> "))

            Repository: \(repository.name)\(repository.url.map { " (\($0))" } ?? ""), \(importName.isEmpty
                ? "which has no importable package or module: run its scripts by path"
                : "importable as `import \(importName)`").
            \(guidelines.isEmpty ? "" : "The benchmark's reading guidelines:\n" + guidelines + "\n")
            Input files:
            \(inputLines.isEmpty ? "(none)" : inputLines.joined(separator: "\n"))

            Output: write the result into `output/`. A single output file is named `output.<ext>`; several are named \
            `output_01.<ext>`, `output_02.<ext>`, … The extension is the one the task implies (e.g. .txt, .csv, .json, .pdf).
            """
        try description.write(to: folder.appendingPathComponent("description.md"), atomically: true, encoding: .utf8)
        _ = try RepoTask(folder: folder)
        return Imported(id: id, folder: folder, skipped: nil, repository: "\(repository.name) (" + (importName.isEmpty ? "scripts by path" : "import \(importName)") + ")")
    }

    /// What a repository's code is imported as, and the folder that holds it (`.` or `src`): the
    /// top-level package named like the repository, else the largest one; without packages, the
    /// top-level module named like the repository; `""` when there is neither (its scripts are run
    /// by path; the folder is still on `sys.path`), never an invented name.
    static func importName(_ folder: URL, repository: String) -> (String, String) {
        let fm = FileManager.default
        let ignored: Set<String> = ["tests", "test", "docs", "doc", "examples", "example", "benchmarks", "scripts", "build", "dist"]
        let wanted = repository.lowercased().replacingOccurrences(of: "-", with: "_")
        func pick(_ names: [String], size: (String) -> Int) -> String? {
            guard !names.isEmpty else { return nil }
            return names.first { $0.lowercased() == wanted }
                ?? names.first { $0.lowercased().hasPrefix(wanted) || wanted.hasPrefix($0.lowercased()) }
                ?? names.max { size($0) < size($1) }
        }
        for root in ["src", "."] {
            let base = root == "." ? folder : folder.appendingPathComponent(root)
            let packages = ((try? fm.contentsOfDirectory(atPath: base.path)) ?? []).filter {
                !ignored.contains($0.lowercased()) && fm.fileExists(atPath: base.appendingPathComponent($0).appendingPathComponent("__init__.py").path)
            }.sorted()
            if let name = pick(packages, size: { size(base.appendingPathComponent($0)) }) { return (name, root) }
        }
        let notModules: Set<String> = ["setup", "conftest", "__init__", "__main__", "noxfile", "fabfile"]
        let modules = ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".py") }
            .map { String($0.dropLast(3)) }
            .filter { !notModules.contains($0) && !$0.hasPrefix("test_") && $0.range(of: #"^[A-Za-z_][A-Za-z0-9_]*$"#, options: .regularExpression) != nil }
            .sorted()
        // A module is taken only when it is named like the repository: the other top-level files
        // are mostly scripts (run.py, train.py), which run their work when imported.
        return (modules.first { $0.lowercased() == wanted } ?? "", ".")
    }

    static func size(_ folder: URL) -> Int {
        (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".py") }.count
    }
}
