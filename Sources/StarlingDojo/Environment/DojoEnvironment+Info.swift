import Foundation
import StarlingBench
import StarlingCore
import StarlingRuntime

extension DojoEnvironment {
    /// The observation for `request_info`.
    ///
    /// - Parameter type: What was asked for.
    /// - Returns: Text in `feedback`, data in `content`.
    /// - Throws: ``DojoError`` when the view's files cannot be read.
    func information(_ type: InfoType) throws -> Observation {
        let types: [InfoType] = type == .all ? InfoType.allCases.filter { $0 != .all } : [type]
        var texts: [String] = []
        var content: [String: JSONValue] = [:]
        for item in types {
            let (text, data) = try info(item)
            texts.append(types.count > 1 ? "## \(item.rawValue)\n\(text)" : text)
            content[item.rawValue] = data
        }
        return Observation(actionStatus: .success, feedback: texts.joined(separator: "\n\n"), content: .object(content))
    }

    private func info(_ type: InfoType) throws -> (String, JSONValue) {
        let spec = task.spec
        let viewFolder = view.folder
        switch type {
        case .overview:
            let text = (try? String(contentsOf: viewFolder.appendingPathComponent("description.md"), encoding: .utf8)) ?? spec.name
            return (text, .string(text))
        case .sampleSubmission:
            let url = viewFolder.appendingPathComponent(task.sampleSubmissionURL.lastPathComponent)
            let lines = try Self.headLines(of: url, count: 6)
            let columns = lines.first.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? []
            let text = "input/\(url.lastPathComponent), first rows:\n" + lines.joined(separator: "\n")
            return (text, .object(["file": .string("input/" + url.lastPathComponent), "columns": .array(columns.map(JSONValue.string)),
                                   "head": .array(lines.map(JSONValue.string))]))
        case .dataStructure:
            return dataStructure(of: viewFolder)
        case .dataPath:
            let input = ScriptWorkspace.Name.input
            let text = "\(input)/ in the script's working directory (read-only): train.csv, test.csv, the sample submission and description.md"
            return (text, .object(["path": .string(input), "read_only": .bool(true)]))
        case .outputPath:
            let path = ScriptWorkspace.Name.submissionPath
            let text = "\(path) in the script's working directory: one row per row of \(ScriptWorkspace.Name.input)/test.csv, columns as in the sample submission"
            return (text, .object(["path": .string(path)]))
        case .name:
            return ("\(task.id): \(spec.name)", .object(["id": .string(task.id), "name": .string(spec.name)]))
        case .metadata:
            return metadata()
        case .all:
            return ("", .null)
        }
    }

    /// Every file of the view with its size, and a CSV's columns and rows (counted up to 32 MiB).
    private func dataStructure(of viewFolder: URL) -> (String, JSONValue) {
        var entries: [JSONValue] = []
        var lines: [String] = []
        let names = (try? FileManager.default.contentsOfDirectory(atPath: viewFolder.path))?.sorted() ?? []
        for name in names {
            let url = viewFolder.appendingPathComponent(name)
            let size = ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue ?? 0
            var entry: [String: JSONValue] = ["path": .string("input/" + name), "bytes": .number(Double(size))]
            var line = "input/\(name) (\(size) bytes)"
            if name.hasSuffix(".csv") {
                let header = (try? CSVTable.readHeader(contentsOf: url)) ?? []
                entry["columns"] = .array(header.map(JSONValue.string))
                let rows = size <= 32 << 20 ? (try? CSVTable.read(contentsOf: url))?.rowCount : nil
                entry["rows"] = .number(rows.map(Double.init))
                line += ": \(rows.map { "\($0) rows, " } ?? "")columns \(header.joined(separator: ", "))"
            }
            entries.append(.object(entry))
            lines.append(line)
        }
        return (lines.joined(separator: "\n"), .array(entries))
    }

    /// The task's metric, columns and the environment's limits and scoring.
    private func metadata() -> (String, JSONValue) {
        let spec = task.spec
        let data: JSONValue = .object([
            "task_id": .string(task.id), "metric": .string(spec.metric.rawValue), "direction": .string(spec.direction.rawValue),
            "task_type": .string(spec.taskType.rawValue), "id_column": .string(spec.idColumn),
            "target_columns": .array(spec.targetColumns.map(JSONValue.string)),
            "execution_timeout": .number(options.executionTimeout), "memory_mb": .number(Double(options.memoryMB)),
            "max_steps": .number(Double(options.maxSteps)), "score_mode": .string(options.scoreMode.rawValue),
            "partial_credit": .bool(options.partialCredit), "reveal_test_score": .bool(options.revealTestScore),
            "position_basis": .string(rewards.positions.explanation),
            "hidden_dev_rows": .bool(view.devRowCount > 0),
        ])
        var lines = [
            "Metric: \(spec.metric.rawValue) (\(spec.direction.rawValue) is better); task type \(spec.taskType.rawValue).",
            "Id column \(spec.idColumn); predict \(spec.targetColumns.joined(separator: ", ")).",
            "Each script may run \(Int(options.executionTimeout)) s with \(options.memoryMB) MiB of memory; \(options.maxSteps) steps per episode.",
            "Scores: \(options.scoreMode.rawValue) mode; \(rewards.positions.explanation).",
        ]
        if view.devRowCount > 0 {
            lines.append("execute_code is scored on hidden rows mixed into input/test.csv; the real test score comes at the episode's end.")
        }
        return (lines.joined(separator: "\n"), data)
    }

    /// The first `count` lines of a text file.
    static func headLines(of url: URL, count: Int) throws -> [String] {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw DojoError(.taskUnavailable, "cannot read \(url.lastPathComponent) in the environment's view")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: 64 * 1024)) ?? Data()
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .prefix(count).map { String($0.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))) }.filter { !$0.isEmpty }
    }
}
