import Foundation
import StarlingCore
import Yams

extension TaskDefinition {
    /// Reads a task folder's `config.yaml`.
    ///
    /// Required keys: `id`, `name`, `grader.name` (a ``Metric`` raw value), `dataset.answers`,
    /// `dataset.sample_submission`, `direction`, `task_type`, `id_column`, `target_columns`,
    /// `dev_split`. Optional: `competition_type` (default `simple`), `dev_fraction` (default
    /// 0.2), `source`, `prepare.seed`, `prepare.checksums`, `grader.pos_label`, `grader.k`
    /// (required for `map_at_k`), `grader.columns`, `grader.id_first`, `grader.align`,
    /// `grader.unscored_answer`, `grader.bounded`, `grader.labels_as_text` (see ``SubmissionRules``), `inputs.train`,
    /// `inputs.test`, `inputs.label_column`, `inputs.unpack`, `inputs.files`, `inputs.keep_ids` (see ``TaskInputs``), `scores.baseline`/`scores.reference` (`{value, source}`),
    /// `repo` (a repository folder the agent may read and import).
    ///
    /// - Parameter folder: The task folder.
    /// - Returns: The definition.
    /// - Throws: ``TaskConfigError`` naming the file, key and line of the first problem,
    ///   including a `direction` that contradicts the metric's conventional direction.
    package static func load(from folder: URL) throws -> TaskDefinition {
        let configURL = folder.appendingPathComponent("config.yaml")
        let file = configURL.path
        guard let text = try? String(contentsOf: configURL, encoding: .utf8) else {
            throw TaskConfigError(file: file, key: "", message: "cannot read the file; a task folder needs a config.yaml")
        }
        return try parse(yaml: text, file: file, folder: folder)
    }

    /// Parses config text; see ``load(from:)``.
    ///
    /// - Parameters:
    ///   - yaml: The contents of `config.yaml`.
    ///   - file: The file name for messages.
    ///   - folder: The task folder the paths are relative to.
    /// - Returns: The definition.
    /// - Throws: ``TaskConfigError``.
    package static func parse(yaml: String, file: String, folder: URL) throws -> TaskDefinition {
        let config = try reader(yaml: yaml, file: file)
        let id = try config.string("id")
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw config.error("id", "'\(id)' is not a usable task id; use letters, digits, '-', '_' or '.'")
        }
        let name = try config.string("name")
        let metric: Metric = try config.enumeration("grader.name")
        let direction: Direction = try config.enumeration("direction")
        if direction != metric.conventionalDirection {
            throw config.error(
                "direction",
                "'\(direction.rawValue)' contradicts the metric \(metric.rawValue), for which \(metric.conventionalDirection.rawValue) is better; fix direction or grader.name")
        }
        let taskType: TaskType = try config.enumeration("task_type")
        let idColumn = try config.string("id_column")
        let targetColumns = try config.stringList("target_columns")
        guard !targetColumns.isEmpty else { throw config.error("target_columns", "list at least one column") }
        if targetColumns.contains(idColumn) {
            throw config.error("target_columns", "the id column '\(idColumn)' cannot also be a target column")
        }
        let devSplit: DevSplit = try config.enumeration("dev_split")
        let devFraction = try config.optionalDouble("dev_fraction") ?? 0.2
        guard devFraction > 0, devFraction < 1 else {
            throw config.error("dev_fraction", "\(devFraction) must lie strictly between 0 and 1")
        }
        let answersPath = try config.relativePath("dataset.answers")
        let samplePath = try config.relativePath("dataset.sample_submission")
        let positiveLabel = try config.optionalString("grader.pos_label") ?? "1"
        let k = try config.optionalInt("grader.k")
        if metric == .mapAtK {
            guard let k, k > 0 else { throw config.error("grader.k", "map_at_k needs a positive k, e.g. 'k: 5' under grader") }
        }
        let checksums = try config.stringMap("prepare.checksums")
        for (path, digest) in checksums where digest.count != 64 || !digest.allSatisfy(\.isHexDigit) {
            throw config.error("prepare.checksums", "'\(path)' has '\(digest)', which is not a SHA-256 hex digest")
        }
        let spec = TaskSpec(
            id: id, name: name, metric: metric, direction: direction, taskType: taskType,
            idColumn: idColumn, targetColumns: targetColumns, devSplit: devSplit, devFraction: devFraction,
            baseline: try config.recordedScore("scores.baseline"),
            reference: try config.recordedScore("scores.reference"))
        var definition = TaskDefinition(
            spec: spec, folder: folder,
            competitionType: try config.optionalString("competition_type") ?? "simple",
            answersPath: answersPath, sampleSubmissionPath: samplePath,
            source: try config.optionalString("source"),
            prepareSeed: try config.optionalInt("prepare.seed"),
            checksums: checksums, positiveLabel: positiveLabel, k: k,
            submissionRules: try submissionRules(config), inputs: try inputs(config))
        definition.repository = try config.optionalString("repo")
        return definition
    }

    /// A reader of the config's top-level mapping.
    ///
    /// - Throws: ``TaskConfigError`` for empty text, text that is not YAML or a top level that is not a mapping.
    private static func reader(yaml: String, file: String) throws -> ConfigReader {
        let root: Yams.Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw TaskConfigError(file: file, key: "", message: "the file is empty")
            }
            root = node
        } catch let error as TaskConfigError {
            throw error
        } catch {
            throw TaskConfigError(file: file, key: "", message: "not valid YAML: \(error)")
        }
        let config = ConfigReader(file: file, root: root)
        guard root.mapping != nil else {
            throw TaskConfigError(file: file, key: "", line: root.mark?.line, message: "expected a mapping of keys at the top level")
        }
        return config
    }

    /// The `inputs` section; see ``TaskInputs``.
    private static func inputs(_ config: ConfigReader) throws -> TaskInputs {
        let standard = TaskInputs.standard
        let test = try config.optionalString("inputs.test") ?? standard.test!
        var files: [TaskInputs.FilePattern] = []
        if let node = config.node("inputs.files") {
            guard let sequence = node.sequence else { throw config.error("inputs.files", "expected a list of {train: ..., test: ...}") }
            for item in sequence {
                guard let train = item.mapping?["train"]?.string, let testPattern = item.mapping?["test"]?.string,
                      train.contains("{id}"), testPattern.contains("{id}") else {
                    throw config.error("inputs.files", "each entry needs 'train' and 'test' paths with {id}, e.g. {train: \"train/{id}.jpg\", test: \"test/{id}.jpg\"}")
                }
                files.append(TaskInputs.FilePattern(train: train, test: testPattern))
            }
        }
        return TaskInputs(
            train: try config.optionalString("inputs.train") ?? standard.train,
            test: test == "sample" ? nil : test,
            labelColumn: try config.optionalString("inputs.label_column"),
            unpack: config.node("inputs.unpack") == nil ? [] : try config.stringList("inputs.unpack"),
            files: files,
            keepIDs: try config.optionalBool("inputs.keep_ids") ?? false,
            namedLabels: try namedLabels(config))
    }

    /// `inputs.named_labels: {folder: train, token: 0, values: {cat: "0", dog: "1"}}`.
    private static func namedLabels(_ config: ConfigReader) throws -> TaskInputs.NamedLabels? {
        guard config.node("inputs.named_labels") != nil else { return nil }
        guard let token = try config.optionalInt("inputs.named_labels.token") else {
            throw config.error("inputs.named_labels", "needs 'token': which part of a file name (split at . and _) is the label")
        }
        return TaskInputs.NamedLabels(folder: try config.string("inputs.named_labels.folder"), token: token,
                                      values: try config.stringMap("inputs.named_labels.values"))
    }

    /// The `grader` keys that loosen or tighten how submissions are read; see ``SubmissionRules``.
    private static func submissionRules(_ config: ConfigReader) throws -> SubmissionRules {
        let strict = SubmissionRules.strict
        return SubmissionRules(
            columns: try config.optionalEnumeration("grader.columns") ?? strict.columns,
            idFirst: try config.optionalBool("grader.id_first") ?? strict.idFirst,
            alignment: try config.optionalEnumeration("grader.align") ?? strict.alignment,
            unscoredAnswer: try config.optionalString("grader.unscored_answer"),
            bounded: try config.optionalBool("grader.bounded") ?? strict.bounded,
            labelsAsText: try config.optionalBool("grader.labels_as_text") ?? strict.labelsAsText)
    }
}

/// Typed look-ups into a YAML tree, each failing with the file, dotted key and line.
struct ConfigReader {
    let file: String
    let root: Yams.Node

    func error(_ key: String, _ message: String) -> TaskConfigError {
        TaskConfigError(file: file, key: key, line: node(key)?.mark?.line, message: message)
    }

    func node(_ key: String) -> Yams.Node? {
        var current: Yams.Node? = root
        for part in key.split(separator: ".") {
            guard let mapping = current?.mapping else { return nil }
            current = mapping[Yams.Node(String(part))]
        }
        if case .scalar? = current, current?.null != nil { return nil }
        return current
    }

    func required(_ key: String) throws -> Yams.Node {
        guard let node = node(key) else {
            throw TaskConfigError(file: file, key: key, message: "missing; this key is required")
        }
        return node
    }

    func string(_ key: String) throws -> String {
        let node = try required(key)
        guard case .scalar(let scalar) = node else { throw error(key, "expected a single value") }
        return scalar.string
    }

    func optionalString(_ key: String) throws -> String? {
        node(key) == nil ? nil : try string(key)
    }

    func optionalDouble(_ key: String) throws -> Double? {
        guard let node = node(key) else { return nil }
        guard let value = node.float else { throw error(key, "'\(node.string ?? "")' is not a number") }
        return value
    }

    func optionalBool(_ key: String) throws -> Bool? {
        guard let node = node(key) else { return nil }
        guard let value = node.bool else { throw error(key, "'\(node.string ?? "")' is not true or false") }
        return value
    }

    func optionalEnumeration<E: RawRepresentable & CaseIterable>(_ key: String) throws -> E? where E.RawValue == String {
        node(key) == nil ? nil : try enumeration(key)
    }

    func optionalInt(_ key: String) throws -> Int? {
        guard let node = node(key) else { return nil }
        guard let value = node.int else { throw error(key, "'\(node.string ?? "")' is not an integer") }
        return value
    }

    func enumeration<E: RawRepresentable & CaseIterable>(_ key: String) throws -> E where E.RawValue == String {
        let raw = try string(key)
        guard let value = E(rawValue: raw) else {
            throw error(key, "unknown value '\(raw)'; expected one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    func stringList(_ key: String) throws -> [String] {
        let node = try required(key)
        switch node {
        case .scalar(let scalar): return [scalar.string]
        case .sequence(let sequence):
            return try sequence.map { item in
                guard case .scalar(let scalar) = item else { throw error(key, "expected a list of column names") }
                return scalar.string
            }
        default: throw error(key, "expected a list of column names")
        }
    }

    func stringMap(_ key: String) throws -> [String: String] {
        guard let node = node(key) else { return [:] }
        guard let mapping = node.mapping else { throw error(key, "expected a mapping") }
        var result: [String: String] = [:]
        for (k, v) in mapping {
            guard let name = k.string, case .scalar(let value) = v else { throw error(key, "expected 'path: value' pairs") }
            result[name] = value.string
        }
        return result
    }

    func relativePath(_ key: String) throws -> String {
        let path = try string(key)
        guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
            throw error(key, "'\(path)' must be a path inside the task folder, relative to it")
        }
        return path
    }

    func recordedScore(_ key: String) throws -> RecordedScore? {
        guard let node = node(key) else { return nil }
        guard node.mapping != nil else { throw error(key, "expected '{value: NUMBER, source: TEXT}'") }
        guard let value = try optionalDouble(key + ".value") else {
            throw TaskConfigError(file: file, key: key + ".value", line: node.mark?.line, message: "missing; a recorded score needs a value")
        }
        return RecordedScore(value: value, source: try optionalString(key + ".source") ?? "")
    }
}
