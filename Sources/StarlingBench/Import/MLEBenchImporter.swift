import Foundation
import StarlingCore
import Yams

/// Turns an MLE-bench competition folder (`config.yaml`, `description.md`, `leaderboard.csv`)
/// and its prepared data (`prepared/public/`, `prepared/private/`) into a Starling task folder.
package struct MLEBenchImporter: Sendable {
    /// The competition's folder in MLE-bench (`mlebench/competitions/<id>/`).
    package var competitionFolder: URL
    /// The prepared data: the MLE-bench data root, the competition's data folder, or its
    /// `prepared/` folder.
    package var dataFolder: URL

    /// Choices that MLE-bench's config does not state; `nil` means "work it out".
    package struct Options: Sendable, Hashable {
        /// The metric, when the grader name is not one Starling knows.
        package var metric: Metric?
        /// Which way the metric improves; default: from `leaderboard.csv`'s order, else the
        /// metric's usual direction.
        package var direction: Direction?
        /// The task type; default: from the metric and the answers.
        package var taskType: TaskType?
        /// How to hold out dev rows; default: `random` when `train.csv` holds the answer columns,
        /// else `none`.
        package var devSplit: DevSplit?
        /// The id column; default: the sample submission's first column whose values are all
        /// different (detecting-insults' id is its third column, `Comment`).
        package var idColumn: String?
        /// Copy the data (default) or link to it.
        package var linkData: Bool

        /// Creates options.
        package init(metric: Metric? = nil, direction: Direction? = nil, taskType: TaskType? = nil,
                    devSplit: DevSplit? = nil, idColumn: String? = nil, linkData: Bool = false) {
            self.metric = metric
            self.direction = direction
            self.taskType = taskType
            self.devSplit = devSplit
            self.idColumn = idColumn
            self.linkData = linkData
        }
    }

    /// Creates an importer.
    ///
    /// - Parameters:
    ///   - competitionFolder: The MLE-bench competition folder.
    ///   - dataFolder: Where its prepared data lies.
    package init(competitionFolder: URL, dataFolder: URL) {
        self.competitionFolder = competitionFolder.standardizedFileURL
        self.dataFolder = dataFolder.standardizedFileURL
    }

    /// Starling's metric for an MLE-bench grader name, e.g. `auc-roc` → ``Metric/rocAUC``.
    ///
    /// - Parameter graderName: `grader.name` from an MLE-bench config.
    /// - Returns: The metric, or `nil` when the name is not known.
    package static func metric(forGraderName graderName: String) -> Metric? {
        Metric(graderName: graderName)
    }

    /// The metric for a grader given how many target columns the sample submission has: MLE-bench
    /// names several graders by their per-column metric (ranzcr's `auc-roc` averages the AUC of 9
    /// columns), so a single-column metric over several columns is its column-mean variant.
    ///
    /// - Parameters:
    ///   - graderName: `grader.name` from an MLE-bench config.
    ///   - targetCount: Target columns in the sample submission.
    /// - Returns: The metric, or `nil` when the name is not known.
    package static func metric(forGraderName graderName: String, targetCount: Int) -> Metric? {
        guard let metric = metric(forGraderName: graderName) else { return nil }
        guard targetCount > 1 else { return metric }
        return metric.facts.overSeveralColumns ?? metric
    }

    /// Imports the competition into `tasksFolder/<id>/`.
    ///
    /// - Parameters:
    ///   - tasksFolder: Where the new task folder goes.
    ///   - options: Choices the MLE-bench config does not state.
    ///   - date: Recorded in the new config's header comment.
    /// - Returns: The new task, loaded from the written config.
    /// - Throws: ``TaskConfigError`` for a missing or unusable MLE-bench key (naming the file),
    ///   ``TaskStoreError`` when the data or the destination folder is unusable.
    package func importTask(into tasksFolder: URL, options: Options = Options(), date: Date = Date()) throws -> TaskDefinition {
        let files = FileManager.default
        let configURL = competitionFolder.appendingPathComponent("config.yaml")
        let config = try readConfig(configURL)
        try Self.refuseLFSPointer(competitionFolder.appendingPathComponent("leaderboard.csv"))
        let id = try config.string("id")
        let name = try config.string("name")
        let competitionType = try config.optionalString("competition_type") ?? "simple"
        let graderName = try config.string("grader.name")
        let answersSpec = try config.string("dataset.answers")
        let sampleSpec = try config.string("dataset.sample_submission")

        let prepared = try locatePrepared(id: id)
        let answersRelative = try relativeToPrepared(answersSpec, prepared: prepared, key: "dataset.answers", config: configURL)
        let sampleRelative = try relativeToPrepared(sampleSpec, prepared: prepared, key: "dataset.sample_submission", config: configURL)

        let sample = try CSVTable.read(contentsOf: prepared.appendingPathComponent(sampleRelative))
        let sampleHeader = sample.header
        let idColumn = options.idColumn ?? Self.idColumn(of: sample)
        guard sampleHeader.contains(idColumn) else {
            throw TaskStoreError("\(prepared.appendingPathComponent(sampleRelative).path) has no column '\(idColumn)'; pass --id-column")
        }
        // Columns the sample carries over from the test file (insults' Date) are not predictions.
        let testHeader = (try? CSVTable.readHeader(contentsOf: prepared.appendingPathComponent("public/test.csv"))) ?? []
        let targets = sampleHeader.filter { $0 != idColumn && !testHeader.contains($0) }
        guard let metric = options.metric ?? Self.metric(forGraderName: graderName, targetCount: targets.count) else {
            throw TaskConfigError(
                file: configURL.path, key: "grader.name",
                message: "MLE-bench grader '\(graderName)' has no Starling metric; pass --metric with one of \(Metric.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let direction = try options.direction ?? leaderboardDirection(metric: metric)
        let finder = MLEBenchLayoutFinder(
            publicFolder: prepared.appendingPathComponent("public"), idColumn: idColumn, targets: targets,
            sampleIDs: sample.column(idColumn) ?? [],
            answerValues: Set(targets.count == 1 ? (try CSVTable.read(contentsOf: prepared.appendingPathComponent(answersRelative)).column(targets[0]) ?? []) : []))
        let layout = try finder.find()
        // A classification over text (comments, requests, sentences) is a text task: its model cards differ.
        let taskType = try options.taskType ?? (metric.submissionValueKind != .number && finder.readsText(layout.inputs)
            ? .text : inferTaskType(metric: metric, answers: prepared.appendingPathComponent(answersRelative), targets: targets))
        let devSplit: DevSplit = options.devSplit ?? (layout.splittable ? .random : .none)
        let rules = MLEBenchGradingRules.lite[id]

        let destination = tasksFolder.appendingPathComponent(id)
        if let contents = try? files.contentsOfDirectory(atPath: destination.path), !contents.isEmpty {
            throw TaskStoreError("\(destination.path) already exists and is not empty; remove it or import elsewhere")
        }
        try copyFiles(to: destination, prepared: prepared, link: options.linkData)

        let imported = ImportedConfig(id: id, name: name, competitionType: competitionType, graderName: graderName, metric: metric,
                                      rules: rules, answers: answersRelative, sample: sampleRelative, direction: direction,
                                      taskType: taskType, idColumn: idColumn, targets: targets, devSplit: devSplit, inputs: layout.inputs)
        let yaml = imported.yaml(from: competitionFolder, prepared: prepared, date: date)
        try Data(yaml.utf8).write(to: destination.appendingPathComponent("config.yaml"))
        return try TaskDefinition.load(from: destination)
    }

    /// The sample's first column whose values are all different: the id.
    static func idColumn(of sample: CSVTable) -> String {
        sample.header.indices.first { Set(sample.columns[$0]).count == sample.rowCount } .map { sample.header[$0] } ?? sample.header.first ?? ""
    }

    /// The `grader` section: the metric and what the competition's grade.py checks.
    static func graderYAML(metric: Metric, rules: SubmissionRules?) -> String {
        var lines = ["grader:", "  name: \(metric.rawValue)"]
        guard let rules else {
            return (lines + ["  # not a Lite competition: Starling's strict checks (the sample's columns, ids, values)"]).joined(separator: "\n")
        }
        lines.append("  # checks of MLE-bench's grade.py for this competition")
        lines.append("  columns: \(rules.columns.rawValue)")
        if rules.idFirst { lines.append("  id_first: true") }
        if rules.alignment != .id { lines.append("  align: \(rules.alignment.rawValue)") }
        if let unscored = rules.unscoredAnswer { lines.append("  unscored_answer: \(TaskConfigEditor.quoted(unscored))") }
        if !rules.bounded { lines.append("  bounded: false") }
        if rules.labelsAsText { lines.append("  labels_as_text: true") }
        return lines.joined(separator: "\n")
    }

    /// The `inputs` section (with its trailing newline), empty for the standard layout.
    static func inputsYAML(_ inputs: TaskInputs) -> String {
        guard !inputs.isStandard else { return "" }
        let q = TaskConfigEditor.quoted
        var lines = ["inputs:", "  train: \(q(inputs.train))", "  test: \(q(inputs.test ?? "sample"))"]
        if let label = inputs.labelColumn { lines.append("  label_column: \(q(label))") }
        if let named = inputs.namedLabels {
            let values = named.values.sorted { $0.key < $1.key }.map { "\(q($0.key)): \(q($0.value))" }.joined(separator: ", ")
            lines.append("  named_labels: {folder: \(q(named.folder)), token: \(named.token), values: {\(values)}}")
        }
        if inputs.keepIDs { lines.append("  keep_ids: true  # the ids are text the rows are about") }
        if !inputs.unpack.isEmpty { lines.append("  unpack: [\(inputs.unpack.map(q).joined(separator: ", "))]") }
        if !inputs.files.isEmpty {
            lines.append("  files:")
            for pattern in inputs.files { lines.append("    - {train: \(q(pattern.train)), test: \(q(pattern.test))}") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The competition's `config.yaml`.
    ///
    /// - Throws: ``TaskStoreError`` when it cannot be read, ``TaskConfigError`` when it is empty or not YAML.
    private func readConfig(_ configURL: URL) throws -> ConfigReader {
        guard let text = try? String(contentsOf: configURL, encoding: .utf8) else {
            throw TaskStoreError("\(configURL.path) cannot be read; COMPETITION_DIR must be an MLE-bench competition folder")
        }
        do {
            guard let node = try Yams.compose(yaml: text) else { throw TaskConfigError(file: configURL.path, key: "", message: "the file is empty") }
            return ConfigReader(file: configURL.path, root: node)
        } catch let error as TaskConfigError {
            throw error
        } catch {
            throw TaskConfigError(file: configURL.path, key: "", message: "not valid YAML: \(error)")
        }
    }

    /// Which way `metric` improves: from `leaderboard.csv`'s order when it has two different
    /// scores, else the metric's usual direction.
    ///
    /// - Throws: ``TaskConfigError`` when the leaderboard contradicts the metric.
    private func leaderboardDirection(metric: Metric) throws -> Direction {
        let leaderboardURL = competitionFolder.appendingPathComponent("leaderboard.csv")
        guard FileManager.default.fileExists(atPath: leaderboardURL.path),
              let scores = try? CSVTable.read(contentsOf: leaderboardURL).column("score")?.compactMap(NumberField.parse),
              scores.count >= 2, scores.first != scores.last else { return metric.conventionalDirection }
        let direction: Direction = Leaderboard.isLowerBetter(writtenScores: scores) ? .lower : .higher
        if direction != metric.conventionalDirection {
            throw TaskConfigError(
                file: leaderboardURL.path, key: "",
                message: "the leaderboard says \(direction.rawValue) is better but \(metric.rawValue) is \(metric.conventionalDirection.rawValue)-is-better; pass --metric with the right metric")
        }
        return direction
    }

    /// A file of a repository cloned without git-lfs holds a three-line pointer (`version
    /// https://git-lfs…`, `oid`, `size`) instead of its content. Imported as a leaderboard it
    /// would break every grade later, so it stops the import here.
    ///
    /// - Throws: ``TaskConfigError`` saying to run `git lfs pull`.
    static func refuseLFSPointer(_ url: URL) throws {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return }
        defer { try? handle.close() }
        let head = String(decoding: (try? handle.read(upToCount: 64)) ?? Data(), as: UTF8.self)
        if head.hasPrefix("version https://git-lfs") {
            throw TaskConfigError(
                file: url.path, key: "",
                message: "is a Git LFS pointer, not the leaderboard (the repository was cloned without git-lfs): run `git lfs install && git lfs pull` in the mle-bench checkout, then import again")
        }
    }

    /// The description, the leaderboard and the prepared data (copied, or linked) into the new task folder.
    private func copyFiles(to destination: URL, prepared: URL, link: Bool) throws {
        let files = FileManager.default
        try files.createDirectory(at: destination, withIntermediateDirectories: true)
        for extra in ["description.md", "leaderboard.csv"] {
            let source = competitionFolder.appendingPathComponent(extra)
            if files.fileExists(atPath: source.path) { try files.copyItem(at: source, to: destination.appendingPathComponent(extra)) }
        }
        let preparedDestination = destination.appendingPathComponent("prepared")
        if link {
            try files.createSymbolicLink(at: preparedDestination, withDestinationURL: prepared)
        } else {
            try files.copyItem(at: prepared, to: preparedDestination)
        }
    }

    /// The folder holding `public/` and `private/`.
    private func locatePrepared(id: String) throws -> URL {
        let candidates = [
            dataFolder.appendingPathComponent(id).appendingPathComponent("prepared"),
            dataFolder.appendingPathComponent("prepared"),
            dataFolder,
        ]
        for candidate in candidates {
            let files = FileManager.default
            if files.fileExists(atPath: candidate.appendingPathComponent("public").path),
               files.fileExists(atPath: candidate.appendingPathComponent("private").path) {
                return candidate
            }
        }
        throw TaskStoreError(
            "no prepared data found for \(id): looked for public/ and private/ in \(candidates.map(\.path).joined(separator: ", ")); run MLE-bench's `mlebench prepare -c \(id)` first")
    }

    /// An MLE-bench dataset path (`<id>/prepared/private/test.csv`) as a path inside `prepared`.
    private func relativeToPrepared(_ spec: String, prepared: URL, key: String, config: URL) throws -> String {
        let parts = spec.split(separator: "/").map(String.init)
        let relative: String
        if let at = parts.lastIndex(of: "prepared") {
            relative = parts[(at + 1)...].joined(separator: "/")
        } else if let at = parts.firstIndex(where: { $0 == "public" || $0 == "private" }) {
            relative = parts[at...].joined(separator: "/")
        } else {
            relative = spec
        }
        guard FileManager.default.fileExists(atPath: prepared.appendingPathComponent(relative).path) else {
            throw TaskConfigError(file: config.path, key: key, message: "'\(spec)' is not in \(prepared.path) (looked for \(relative))")
        }
        return relative
    }

    private func inferTaskType(metric: Metric, answers: URL, targets: [String]) throws -> TaskType {
        if let implied = metric.facts.taskType { return implied }
        let table = try CSVTable.read(contentsOf: answers)
        let labels = targets.compactMap(table.column).flatMap { $0 }
        return Set(labels).count <= 2 ? .binaryClassification : .multiclassClassification
    }
}

/// What an imported competition's `config.yaml` says, gathered before it is written.
private struct ImportedConfig {
    var id: String, name: String, competitionType: String, graderName: String
    var metric: Metric
    var rules: SubmissionRules?
    /// The answers and sample submission, relative to the prepared folder.
    var answers: String, sample: String
    var direction: Direction
    var taskType: TaskType
    var idColumn: String, targets: [String]
    var devSplit: DevSplit
    var inputs: TaskInputs

    /// The config, with a header naming where and when it was imported.
    func yaml(from competitionFolder: URL, prepared: URL, date: Date) -> String {
        let day = ISO8601DateFormatter.string(from: date, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
        let q = TaskConfigEditor.quoted
        return """
            # Imported by `starling tasks import-mlebench` on \(day) from \(competitionFolder.path)
            # (MLE-bench grader '\(graderName)'). Check task_type, dev_split and the columns.
            id: \(q(id))
            name: \(q(name))
            competition_type: \(q(competitionType))
            \(MLEBenchImporter.graderYAML(metric: metric, rules: rules))
            dataset:
              answers: \(q("prepared/" + answers))
              sample_submission: \(q("prepared/" + sample))
            direction: \(direction.rawValue)
            task_type: \(taskType.rawValue)
            id_column: \(q(idColumn))
            target_columns: [\(targets.map(q).joined(separator: ", "))]
            dev_split: \(devSplit.rawValue)
            dev_fraction: 0.2
            \(MLEBenchImporter.inputsYAML(inputs))source: \(q("MLE-bench competition \(id); data from \(prepared.path)"))
            scores: {}

            """
    }
}
