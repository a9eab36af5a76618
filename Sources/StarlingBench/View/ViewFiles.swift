import Foundation
import StarlingRuntime

/// File work of an agent view beyond its CSV files: unpacking archives and giving dev rows'
/// files their fresh names among the test files.
enum ViewFiles {
    /// Puts a public file or folder into the view. A file at the top is copied (the builder may
    /// rewrite it); the files inside a folder (a competition's thousands of images) are hard
    /// links when the file system allows, copies otherwise, so a view costs no second copy of
    /// the data. Nothing writes into those files: the view only renames and removes them.
    static func place(_ source: URL, at destination: URL) throws {
        let files = FileManager.default
        var isFolder: ObjCBool = false
        guard files.fileExists(atPath: source.path, isDirectory: &isFolder), isFolder.boolValue else {
            try files.copyItem(at: source, to: destination)
            return
        }
        try files.createDirectory(at: destination, withIntermediateDirectories: true)
        for name in try files.contentsOfDirectory(atPath: source.path) {
            let item = source.appendingPathComponent(name)
            var itemIsFolder: ObjCBool = false
            _ = files.fileExists(atPath: item.path, isDirectory: &itemIsFolder)
            if itemIsFolder.boolValue {
                try place(item, at: destination.appendingPathComponent(name))
            } else if (try? files.linkItem(at: item, to: destination.appendingPathComponent(name))) == nil {
                try files.copyItem(at: item, to: destination.appendingPathComponent(name))
            }
        }
    }

    /// Unpacks each archive that is in the view into the view (a zip's `train/…` members land in
    /// `train/`) and removes the archive, so that the files are there to move and to read.
    ///
    /// - Throws: ``AgentViewError`` when an archive cannot be unpacked.
    static func unpack(_ archives: [String], in view: URL) throws {
        for name in archives {
            let archive = view.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: archive.path) else { continue }
            let run = try runPython(["-m", "zipfile", "-e", archive.path, view.path], keepErrors: true)
            guard run.status == 0 else {
                throw AgentViewError("cannot unpack \(name) (inputs.unpack): \(run.text.suffix(400))")
            }
            try FileManager.default.removeItem(at: archive)
        }
    }

    /// Runs the Python below to completion (the builder is synchronous) and returns its exit
    /// status and the one stream the caller reads.
    private static func runPython(_ arguments: [String], keepErrors: Bool = false) throws -> (status: Int32, text: String) {
        let run = try ChildProcess.runToEnd(try python(), arguments)
        return (run.status, String(decoding: keepErrors ? run.errors : run.output, as: UTF8.self))
    }

    /// A Python to unpack with: the solution environment's, else `python3` on the PATH.
    private static func python() throws -> URL {
        let solution = StarlingHome.resolve().solutionPython
        if FileManager.default.isExecutableFile(atPath: solution.path) { return solution }
        if let path = Shell.which("python3") { return URL(fileURLWithPath: path) }
        throw AgentViewError("unpacking archives (inputs.unpack) needs Python: run `starling setup` or install python3")
    }

    /// Gives the view's test rows their files under their view ids: a real test row's file is
    /// renamed (`test/{id}` → `test/{view id}`), a dev row's moves from the training files.
    /// Fresh ids collide with no task id, so no move overwrites another row's file.
    ///
    /// - Parameters:
    ///   - rows: The row's id in the task, its id in the view, and whether it is a dev row.
    ///   - patterns: The task's per-row files.
    ///   - view: The view folder.
    /// - Throws: ``AgentViewError`` naming a row's file that is missing.
    static func move(_ rows: [(taskID: String, viewID: String, isDev: Bool)], patterns: [TaskInputs.FilePattern], in view: URL) throws {
        let files = FileManager.default
        var moved = Set<String>()
        for pattern in patterns {
            for row in rows {
                let from = row.isDev ? pattern.train : pattern.test
                let item = TaskInputs.FilePattern.item(from, id: row.taskID)
                guard moved.insert(item).inserted else { continue }
                let source = view.appendingPathComponent(item)
                let destination = view.appendingPathComponent(TaskInputs.FilePattern.item(pattern.test, id: row.viewID))
                guard files.fileExists(atPath: source.path) else {
                    throw AgentViewError("\(source.path) is missing: \(row.isDev ? "training" : "test") row '\(row.taskID)' has no file for inputs.files '\(from)'")
                }
                try files.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                try files.moveItem(at: source, to: destination)
            }
        }
    }
}

extension ViewFiles {
    /// The training files whose names hold their labels, as a table: the id column is each
    /// file's path in the view, the target its label.
    ///
    /// - Throws: ``AgentViewError`` when the folder is missing or holds no labelled file.
    static func namedLabelIndex(_ named: TaskInputs.NamedLabels, idColumn: String, targets: [String], in view: URL) throws -> CSVTable {
        guard targets.count == 1 else { throw AgentViewError("inputs.named_labels needs one target column; the task has \(targets.count)") }
        let folder = view.appendingPathComponent(named.folder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw AgentViewError("\(folder.path) is missing: inputs.named_labels names it as the folder of labelled training files")
        }
        var rows: [[String]] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            guard let label = named.label(of: name) else { continue }
            rows.append([named.folder + "/" + name, label])
        }
        guard !rows.isEmpty else { throw AgentViewError("\(folder.path) holds no file whose name has a label at token \(named.token)") }
        return try CSVTable(header: [idColumn, targets[0]], rows: rows)
    }

    /// The member names of a zip archive.
    ///
    /// - Throws: ``AgentViewError`` when the archive cannot be read.
    static func members(of archive: URL) throws -> [String] {
        let run = try runPython(["-c", "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", archive.path])
        guard run.status == 0 else { throw AgentViewError("cannot list \(archive.path): not a zip archive") }
        return run.text.split(separator: "\n").map(String.init).filter { !$0.hasSuffix("/") }
    }
}
