import Foundation
import StarlingRuntime

/// Builds a task's `prepared/` folder by running its `prepare.py` in the data environment, then
/// checks the files against the checksums recorded in `config.yaml`.
package struct TaskPreparer: Sendable {
    /// The data environment's interpreter.
    package var python: URL

    /// Creates a preparer.
    ///
    /// - Parameter python: Interpreter that runs `prepare.py`.
    package init(python: URL) {
        self.python = python
    }

    /// What a preparation produced.
    package struct Outcome: Sendable, Hashable {
        /// SHA-256 of every prepared file, keyed by path relative to `prepared/`.
        package var checksums: [String: String]
        /// Prepared files that have no recorded checksum.
        package var unrecorded: [String]
        /// Everything `prepare.py` printed.
        package var output: String
    }

    /// Runs `python prepare.py --out DIR` in the task folder, writing into a fresh folder that
    /// replaces `prepared/` only when the script succeeds, then verifies checksums. Holds the
    /// task's preparation lock, so concurrent preparations of one task take turns.
    ///
    /// - Parameter task: The task to prepare.
    /// - Returns: Checksums and output.
    /// - Throws: ``PreparationError`` when the interpreter or script is missing, the script
    ///   fails, or a recorded checksum does not match (the new data stays in place so it can be
    ///   inspected).
    package func prepare(_ task: TaskDefinition) async throws -> Outcome {
        try await Self.lock(for: task).withLock { try await prepareHoldingLock(task) }
    }

    /// Prepares a task unless it is already prepared, deciding under the task's preparation lock:
    /// of several runs that start on an unprepared task at once, the first prepares it and the
    /// others wait for it and then use its files (each preparing on its own would replace
    /// `prepared/` under the others' checksum reads).
    ///
    /// - Parameter task: The task to prepare.
    /// - Returns: The outcome, or nil when the task was prepared already.
    /// - Throws: As ``prepare(_:)``.
    package func prepareIfNeeded(_ task: TaskDefinition) async throws -> Outcome? {
        try await Self.lock(for: task).withLock {
            task.isPrepared ? nil : try await prepareHoldingLock(task)
        }
    }

    /// The lock that serialises preparations of one task, next to its `prepare.py`.
    static func lock(for task: TaskDefinition) -> FileLock {
        FileLock(url: task.folder.appendingPathComponent(".prepare.lock"))
    }

    private func prepareHoldingLock(_ task: TaskDefinition) async throws -> Outcome {
        let files = FileManager.default
        guard files.isExecutableFile(atPath: python.path) else {
            throw PreparationError(taskID: task.id, message: "the data environment's Python is missing at \(python.path); run `starling setup`")
        }
        guard files.fileExists(atPath: task.prepareScriptURL.path) else {
            throw PreparationError(taskID: task.id, message: "no prepare.py in \(task.folder.path)")
        }
        let staging = task.folder.appendingPathComponent(".prepared-\(UUID().uuidString.prefix(8))")
        defer { try? files.removeItem(at: staging) }
        let outcome = try await Shell.run(
            python.path, [task.prepareScriptURL.path, "--out", staging.path],
            environment: ["PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"],
            workingDirectory: task.folder)
        guard outcome.succeeded else {
            throw PreparationError(taskID: task.id, message: "prepare.py failed", outputTail: String(outcome.output.suffix(4000)))
        }
        for needed in ["public", "private"] where !files.fileExists(atPath: staging.appendingPathComponent(needed).path) {
            throw PreparationError(taskID: task.id, message: "prepare.py wrote no \(needed)/ folder under --out", outputTail: String(outcome.output.suffix(4000)))
        }
        if files.fileExists(atPath: task.preparedURL.path) { try files.removeItem(at: task.preparedURL) }
        try files.moveItem(at: staging, to: task.preparedURL)

        let computed = try Self.checksums(of: task.preparedURL)
        let mismatches = Self.compare(recorded: task.checksums, computed: computed)
        if !mismatches.isEmpty {
            throw PreparationError(
                taskID: task.id,
                message: "prepared data differs from the recorded checksums (the data package or its pandas version may differ from the one the task was made with):\n"
                    + mismatches.map { "  \($0)" }.joined(separator: "\n"))
        }
        let unrecorded = computed.keys.filter { task.checksums[$0] == nil }.sorted()
        return Outcome(checksums: computed, unrecorded: unrecorded, output: outcome.output)
    }

    /// SHA-256 of every regular file under a folder.
    ///
    /// - Parameter folder: Usually a task's `prepared/`.
    /// - Returns: Digests keyed by path relative to `folder`.
    /// - Throws: When a file cannot be read.
    package static func checksums(of folder: URL) throws -> [String: String] {
        var result: [String: String] = [:]
        let base = folder.standardizedFileURL.resolvingSymlinksInPath().path
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return [:] }
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let path = url.standardizedFileURL.resolvingSymlinksInPath().path
            guard path.hasPrefix(base + "/") else { continue }
            result[String(path.dropFirst(base.count + 1))] = try Checksum.sha256(ofFile: url)
        }
        return result
    }

    /// The recorded checksums that the computed ones contradict or lack.
    ///
    /// - Parameters:
    ///   - recorded: From `prepare.checksums`.
    ///   - computed: From ``checksums(of:)``.
    /// - Returns: Mismatches, sorted by path.
    package static func compare(recorded: [String: String], computed: [String: String]) -> [ChecksumMismatch] {
        recorded.keys.sorted().compactMap { path in
            let expected = recorded[path]!.lowercased()
            let actual = computed[path]
            return actual == expected ? nil : ChecksumMismatch(path: path, expected: expected, actual: actual)
        }
    }

    /// Checks an already prepared task against its recorded checksums without running anything.
    ///
    /// - Parameter task: A prepared task.
    /// - Returns: Mismatches; empty when all recorded files match.
    /// - Throws: When a file cannot be read.
    package static func verify(_ task: TaskDefinition) throws -> [ChecksumMismatch] {
        compare(recorded: task.checksums, computed: try checksums(of: task.preparedURL))
    }
}
