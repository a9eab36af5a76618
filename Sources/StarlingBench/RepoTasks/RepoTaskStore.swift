import Foundation

/// Finds repo tasks: folders with a `config.yaml` of `type: repo` under the roots, or a folder
/// named by path. The bundled suite is `tasks/repo` beside `tasks/lite`.
package struct RepoTaskStore: Sendable, Hashable {
    /// Folders whose subfolders are tasks.
    package var roots: [URL]

    /// Creates a store over explicit folders.
    package init(roots: [URL]) { self.roots = roots.map(\.standardizedFileURL) }

    /// The bundled repo tasks (`tasks/repo` next to the located `tasks/lite`), or `tasksDirectory`.
    package static func locate(tasksDirectory: String? = nil) -> RepoTaskStore {
        if let tasksDirectory, !tasksDirectory.isEmpty { return RepoTaskStore(roots: [URL(fileURLWithPath: tasksDirectory)]) }
        return RepoTaskStore(roots: TaskStore.locate().roots.map { $0.deletingLastPathComponent().appendingPathComponent("repo") })
    }

    /// Repo task folders under the roots, sorted.
    package func taskFolders() -> [URL] {
        roots.flatMap { root in
            ((try? FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: nil)) ?? [])
                .filter { RepoTask.isRepoTask($0) }
        }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// Every readable task, and an error per unreadable one.
    package func loadAll() -> (tasks: [RepoTask], errors: [RepoTaskError]) {
        var tasks: [RepoTask] = [], errors: [RepoTaskError] = []
        for folder in taskFolders() {
            do { tasks.append(try RepoTask(folder: folder)) } catch let error as RepoTaskError { errors.append(error) } catch {
                errors.append(RepoTaskError("\(folder.path): \(error)"))
            }
        }
        return (tasks, errors)
    }

    /// The task `reference` names: a folder path, or an id under the roots; `nil` when it is not a repo task.
    package func task(_ reference: String) throws -> RepoTask? {
        let direct = URL(fileURLWithPath: reference)
        if RepoTask.isRepoTask(direct) { return try RepoTask(folder: direct) }
        for root in roots where RepoTask.isRepoTask(root.appendingPathComponent(reference)) {
            return try RepoTask(folder: root.appendingPathComponent(reference))
        }
        return nil
    }
}
