import Foundation
import StarlingRuntime
import StarlingCore

/// The verdict of a repo task's test script on one output folder.
package struct RepoCheck: Sendable, Hashable, Codable {
    /// An output was produced and is readable in the expected format.
    package var process: Bool
    /// The output is right.
    package var result: Bool
    /// The script's own words.
    package var comments: String

    /// Runs the task's test script on `output` in the sandbox (the task's own code, but it still
    /// runs fenced) and reads its verdict: the last JSON object of the result file, or of its
    /// output, with `process`/`Process` and `result`/`Result`/`Results` as booleans or
    /// `"True"`/`"False"` strings (GitTaskBench's scripts write all of these).
    ///
    /// - Parameters:
    ///   - task: The task.
    ///   - output: The folder the solution wrote.
    ///   - scratch: A working folder for the check (created).
    ///   - sandbox: Where the test script runs.
    ///   - python: The interpreter (the solution environment's: some test scripts import numpy or pandas).
    ///   - pythonPath: Folders for the script's `sys.path` (some test scripts import the task's library).
    package static func run(task: RepoTask, output: URL, scratch: URL, sandbox: Sandbox, python: URL, pythonPath: [URL] = []) async throws -> RepoCheck {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let resultFile = scratch.appendingPathComponent("results/results.jsonl")
        try FileManager.default.createDirectory(at: resultFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard let target = outputArgument(task: task, output: output) else {
            return RepoCheck(process: false, result: false, comments: "no output found in \(output.lastPathComponent)/")
        }
        var arguments = ["--output", target.path, "--result", resultFile.path]
        if let groundtruth = task.groundtruth { arguments += ["--groundtruth", groundtruth.path] }
        for (key, value) in task.test.parameters.sorted(by: { $0.key < $1.key }) { arguments += ["--\(key)", value] }
        let request = ExecutionRequest(script: task.resolve(task.test.script), arguments: arguments, workDir: scratch, readOnlyPaths: [output],
                                       python: python, limits: ExecutionLimits(timeoutSeconds: 300, memoryMB: 4096),
                                       environment: pythonPath.isEmpty ? [:] : ["PYTHONPATH": pythonPath.map(\.path).joined(separator: ":")],
                                       logFile: scratch.appendingPathComponent("test.log"))
        let execution = try await sandbox.run(request)
        let fileText = (try? String(contentsOf: resultFile, encoding: .utf8)) ?? ""
        if let verdict = parse(fileText) ?? parse(execution.output.text) { return verdict }
        return RepoCheck(process: false, result: false, comments: "the test script gave no verdict (\(execution.summary)): \(execution.output.text.suffix(300))")
    }

    /// What `--output` gets: the folder, or for `output: file` the first file named `output*`
    /// (GitTaskBench's rule: `output.*`, then `output*`, then files inside `output*` folders).
    static func outputArgument(task: RepoTask, output: URL) -> URL? {
        guard task.test.output == "file" else { return output }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []).sorted().filter { !$0.hasSuffix(".py") }
        if let name = names.first(where: { $0.hasPrefix("output.") }) ?? names.first(where: { $0.hasPrefix("output") && !isFolder(output.appendingPathComponent($0)) }) {
            return output.appendingPathComponent(name)
        }
        for folder in names where folder.hasPrefix("output") && isFolder(output.appendingPathComponent(folder)) {
            if let inner = ((try? FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent(folder).path)) ?? []).sorted().first {
                return output.appendingPathComponent(folder).appendingPathComponent(inner)
            }
        }
        return names.first.map { output.appendingPathComponent($0) }
    }

    static func isFolder(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The verdict in the last line of `text` that is a JSON object with a process key.
    static func parse(_ text: String) -> RepoCheck? {
        for line in text.split(separator: "\n").reversed() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("{"), let object = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any] else { continue }
            let lowered = Dictionary(object.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
            guard let process = truth(lowered["process"]) else { continue }
            let result = truth(lowered["result"]) ?? truth(lowered["results"]) ?? false
            let comments = (lowered["comments"] as? String) ?? (lowered["comments"].map { "\($0)" } ?? "")
            return RepoCheck(process: process, result: result, comments: comments)
        }
        return nil
    }

    static func truth(_ value: Any?) -> Bool? {
        switch value {
        case let flag as Bool: flag
        case let text as String: text.lowercased() == "true" ? true : (text.lowercased() == "false" ? false : nil)
        case let number as NSNumber: number.boolValue
        default: nil
        }
    }
}
