import Foundation

/// Finds tasks: every folder with a `config.yaml` directly under one of ``roots``, or a task
/// folder named by path.
package struct TaskStore: Sendable, Hashable {
    /// Folders whose subfolders are tasks, searched in order.
    package var roots: [URL]

    /// Creates a store over explicit folders.
    ///
    /// - Parameter roots: Folders holding task folders.
    package init(roots: [URL]) {
        self.roots = roots.map(\.standardizedFileURL)
    }

    /// The bundled suite's folder: `tasksDirectory` when given, else `STARLING_TASKS`, else
    /// `tasks/lite` in the checkout named by `STARLING_REPO`, else the first `tasks/lite` found
    /// above the working directory or above the executable.
    ///
    /// - Parameters:
    ///   - tasksDirectory: An explicit folder (a `--tasks-dir` option).
    ///   - environment: Variables to read.
    ///   - currentDirectory: Where the search upwards starts.
    ///   - executable: The running program, whose checkout is searched next.
    /// - Returns: A store, possibly with no roots when nothing was found.
    package static func locate(
        tasksDirectory: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
        executable: URL = URL(fileURLWithPath: CommandLine.arguments.first ?? "/")
    ) -> TaskStore {
        if let tasksDirectory, !tasksDirectory.isEmpty {
            return TaskStore(roots: [URL(fileURLWithPath: tasksDirectory)])
        }
        if let path = environment["STARLING_TASKS"], !path.isEmpty {
            return TaskStore(roots: path.split(separator: ":").map { URL(fileURLWithPath: String($0)) })
        }
        if let repo = environment["STARLING_REPO"], !repo.isEmpty {
            return TaskStore(roots: [URL(fileURLWithPath: repo).appendingPathComponent("tasks/lite")])
        }
        let starts = [currentDirectory, executable.resolvingSymlinksInPath().deletingLastPathComponent()]
        for start in starts {
            var folder = start.standardizedFileURL
            while true {
                let candidate = folder.appendingPathComponent("tasks/lite")
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue {
                    return TaskStore(roots: [candidate])
                }
                if folder.path == "/" || folder.path.isEmpty { break }
                folder.deleteLastPathComponent()
            }
        }
        return TaskStore(roots: [])
    }

    /// Task folders under the roots, sorted by name.
    ///
    /// - Returns: Folders that hold a `config.yaml`.
    package func taskFolders() -> [URL] {
        let files = FileManager.default
        return roots.flatMap { root -> [URL] in
            let children = (try? files.contentsOfDirectory(at: root, includingPropertiesForKeys: nil)) ?? []
            return children
                .filter { files.fileExists(atPath: $0.appendingPathComponent("config.yaml").path) }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        }
    }

    /// Every task under the roots, with the configs that failed to load reported separately so
    /// one broken task does not hide the others.
    ///
    /// - Returns: Loaded tasks and errors, each sorted by folder name.
    package func loadAll() -> (tasks: [TaskDefinition], errors: [TaskConfigError]) {
        var tasks: [TaskDefinition] = []
        var errors: [TaskConfigError] = []
        for folder in taskFolders() {
            do {
                tasks.append(try TaskDefinition.load(from: folder))
            } catch let error as TaskConfigError {
                errors.append(error)
            } catch {
                errors.append(TaskConfigError(file: folder.appendingPathComponent("config.yaml").path, key: "", message: "\(error)"))
            }
        }
        return (tasks, errors)
    }

    /// A task by id (the folder name or the config's `id`) or by path to its folder.
    ///
    /// - Parameter reference: An id such as `wa-churn`, or a folder path.
    /// - Returns: The loaded task.
    /// - Throws: ``TaskStoreError`` listing the known ids when nothing matches, or
    ///   ``TaskConfigError`` when the task's config is broken.
    package func task(_ reference: String) throws -> TaskDefinition {
        let files = FileManager.default
        let asPath = URL(fileURLWithPath: (reference as NSString).expandingTildeInPath)
        if reference.contains("/") || files.fileExists(atPath: asPath.appendingPathComponent("config.yaml").path) {
            guard files.fileExists(atPath: asPath.appendingPathComponent("config.yaml").path) else {
                throw TaskStoreError("\(asPath.path) is not a task folder: it has no config.yaml")
            }
            return try TaskDefinition.load(from: asPath)
        }
        let folders = taskFolders()
        if let folder = folders.first(where: { $0.lastPathComponent == reference }) {
            return try TaskDefinition.load(from: folder)
        }
        for folder in folders {
            if let task = try? TaskDefinition.load(from: folder), task.id == reference { return task }
        }
        guard !roots.isEmpty else {
            throw TaskStoreError("no task folder found for '\(reference)': no tasks/lite folder was found; pass --tasks-dir or set STARLING_TASKS")
        }
        let known = folders.map(\.lastPathComponent)
        throw TaskStoreError(
            "no task '\(reference)' under \(roots.map(\.path).joined(separator: ", "))"
                + (known.isEmpty ? " (no tasks there)" : "; known tasks: \(known.joined(separator: ", "))"))
    }
}
