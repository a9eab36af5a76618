import Foundation
import StarlingRuntime
import StarlingCore

/// Builds the folder an agent works from: the task's public files and description, never
/// anything from `prepared/private/`. With a dev split, a share of the training rows becomes
/// hidden dev rows: removed from `train.csv`, mixed into `test.csv` and `sample_submission.csv`,
/// and every test row (real and dev) gets a fresh id in a shuffled order, so the two kinds look
/// alike. The id mapping and the dev answers go to a secrets folder outside the view.
///
/// Tasks laid out as MLE-bench competitions are (``TaskInputs``) work too: labels in another
/// file than `train.csv`, test ids only in the sample submission, one label column behind one-hot
/// answers, and files named after each row's id — a dev row's file moves from the training files
/// to the test files under the row's fresh id. Archives named in `inputs.unpack` are unpacked in
/// the view first.
package struct AgentViewBuilder: Sendable {
    /// The task.
    package var task: TaskDefinition
    /// Seed for choosing dev rows and shuffling.
    package var seed: UInt64
    /// When set, the dev rows are one fold of the training rows instead of `dev_fraction` of
    /// them: every `count`-th row from `index` of the seeded shuffle (the views of folds
    /// `0..<count` built with one seed hold each training row out exactly once), or, with a
    /// ``DevFold/window``, the fold's window at the end of the rows, trained on what comes before.
    package var fold: DevFold?

    /// Creates a builder.
    ///
    /// - Parameters:
    ///   - task: A prepared task.
    ///   - seed: Seed of the dev-row choice and shuffle.
    ///   - fold: Which fold of the training rows becomes the dev rows; `nil`: `dev_fraction` of them.
    package init(task: TaskDefinition, seed: UInt64 = 0, fold: DevFold? = nil) {
        self.task = task
        self.seed = seed
        self.fold = fold
    }

    /// The default secrets folder for a view: a sibling named `<view>.starling-view`. Callers
    /// whose agent can read the view's parent folder must pass another place.
    ///
    /// - Parameter viewFolder: The view folder.
    /// - Returns: The sibling folder.
    package static func defaultSecretsFolder(for viewFolder: URL) -> URL {
        let view = viewFolder.standardizedFileURL
        return view.deletingLastPathComponent().appendingPathComponent(view.lastPathComponent + ".starling-view")
    }

    /// Builds the view.
    ///
    /// - Parameters:
    ///   - viewFolder: Where the agent's files go; must be missing or empty.
    ///   - secretsFolder: Where the mapping and dev answers go; must not lie inside the view.
    /// - Returns: The view, ready to split submissions.
    /// - Throws: ``AgentViewError`` when the task is not prepared, the folders overlap or are
    ///   not empty, or the task's files do not allow a dev split; ``CSVError`` for unreadable
    ///   files.
    package func build(into viewFolder: URL, secretsFolder: URL) throws -> AgentView {
        let files = FileManager.default
        let view = viewFolder.standardizedFileURL
        let secrets = secretsFolder.standardizedFileURL
        try createFolders(view: view, secrets: secrets)
        let inputs = task.inputs
        let holdsOut = task.spec.devSplit != .none
        try placePublicFiles(in: view, holdsOut: holdsOut)

        let sample = try CSVTable.read(contentsOf: task.sampleSubmissionURL)
        let layout: Layout
        let namedIndex = try inputs.namedLabels.map { try ViewFiles.namedLabelIndex($0, idColumn: task.spec.idColumn, targets: task.spec.targetColumns, in: view) }
        if holdsOut {
            layout = try holdOutDevRows(view: view, sample: sample, namedIndex: namedIndex)
        } else {
            layout = try identityLayout(sample: sample)
            try namedIndex?.write(to: view.appendingPathComponent(inputs.train))
            if !files.fileExists(atPath: view.appendingPathComponent(task.sampleSubmissionURL.lastPathComponent).path) {
                try sample.write(to: view.appendingPathComponent("sample_submission.csv"))
            }
        }

        try writeLayoutFile(in: view)
        try layout.viewSample.write(to: secrets.appendingPathComponent(AgentView.sampleFile))
        try layout.mapping.write(to: secrets.appendingPathComponent(AgentView.mappingFile))
        try layout.devAnswers.write(to: secrets.appendingPathComponent(AgentView.devAnswersFile))
        let manifest = AgentViewManifest(
            taskID: task.id, taskFolder: task.folder.path, viewFolder: view.path,
            metric: task.spec.metric, direction: task.spec.direction,
            idColumn: task.spec.idColumn, targetColumns: task.spec.targetColumns,
            positiveLabel: task.positiveLabel, k: task.k, devSplit: task.spec.devSplit, seed: seed,
            devRowCount: layout.devAnswers.rowCount, testRowCount: sample.rowCount, createdAt: Date(),
            submissionRules: viewRules(holdsOut: holdsOut))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(manifest).write(to: secrets.appendingPathComponent(AgentView.manifestFile))
        return try AgentView.open(secretsFolder: secrets)
    }

    /// Checks that the task is prepared and the two folders are apart and empty, then makes them.
    private func createFolders(view: URL, secrets: URL) throws {
        let files = FileManager.default
        guard task.isPrepared else {
            let missing = [task.answersURL, task.sampleSubmissionURL].filter { !files.fileExists(atPath: $0.path) }.map(\.path)
            throw AgentViewError("task \(task.id) is not prepared (\(missing.joined(separator: " and ")) missing): run `starling tasks prepare \(task.id)`, or fix dataset.answers and dataset.sample_submission in \(task.configURL.path)")
        }
        guard !secrets.isInside(view), !view.isInside(secrets) else {
            throw AgentViewError("the secrets folder \(secrets.path) and the view \(view.path) must not contain one another")
        }
        guard !task.answersURL.isInside(task.publicURL) else {
            throw AgentViewError("\(task.configURL.path): dataset.answers lies inside prepared/public/, which agents see; move it to prepared/private/")
        }
        for folder in [view, secrets] {
            if let contents = try? files.contentsOfDirectory(atPath: folder.path), !contents.isEmpty {
                throw AgentViewError("\(folder.path) is not empty; give a new folder or remove it first")
            }
            try files.createDirectory(at: folder, withIntermediateDirectories: true)
        }
    }

    /// Places the public files in the view (all but the split ones when dev rows are held out),
    /// unpacks archives and writes the description with the layout note.
    private func placePublicFiles(in view: URL, holdsOut: Bool) throws {
        let files = FileManager.default
        let inputs = task.inputs
        let splitFiles = Set([inputs.train, task.sampleSubmissionURL.lastPathComponent] + (inputs.test.map { [$0] } ?? []))
        for name in try files.contentsOfDirectory(atPath: task.publicURL.path).sorted() {
            if holdsOut, splitFiles.contains(name) { continue }
            try ViewFiles.place(task.publicURL.appendingPathComponent(name), at: view.appendingPathComponent(name))
        }
        try ViewFiles.unpack(inputs.unpack, in: view)
        var isFolder: ObjCBool = false
        if files.fileExists(atPath: task.descriptionURL.path, isDirectory: &isFolder), isFolder.boolValue {
            throw AgentViewError("\(task.descriptionURL.path) is a folder; a task's description.md must be a Markdown file")
        }
        if files.fileExists(atPath: task.descriptionURL.path), !files.fileExists(atPath: view.appendingPathComponent("description.md").path) {
            try files.copyItem(at: task.descriptionURL, to: view.appendingPathComponent("description.md"))
        }
        if let note = task.layoutNote {
            let description = view.appendingPathComponent("description.md")
            let text = (try? String(contentsOf: description, encoding: .utf8)) ?? ""
            try Data((text + "\n\n" + note + "\n").utf8).write(to: description)
        }
    }

    /// `layout.json` in the view: where the training rows, test ids, sample and per-row files are,
    /// for scripts (the model cards' examples read it) rather than for the model's eyes.
    private func writeLayoutFile(in view: URL) throws {
        let inputs = task.inputs
        let files: [JSONValue] = inputs.files.map { .object(["train": .string($0.train), "test": .string($0.test)]) }
        let layout: JSONValue = .object([
            "id_column": .string(task.spec.idColumn),
            "target_columns": .array(task.spec.targetColumns.map(JSONValue.string)),
            "train": .string(inputs.train),
            "test": inputs.test.map(JSONValue.string) ?? .null,
            "sample_submission": .string(task.sampleSubmissionURL.lastPathComponent),
            "label_column": inputs.labelColumn.map(JSONValue.string) ?? .null,
            "prediction": .string(task.spec.metric.submissionValueKind.rawValue),
            "files": .array(files),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(layout).write(to: view.appendingPathComponent(AgentView.layoutFile))
    }

    /// Where a row of the view's test file comes from.
    private enum RowSource { case test(Int), dev(Int) }

    /// The view ids of `sources`: fresh ones in the style of the test ids, or the rows' own.
    private func viewIDs(_ sources: [RowSource], testIDs: [String], trainIDs: [String]?, generator: inout SeededGenerator) throws -> [String] {
        if task.inputs.keepIDs {
            return try keptIDs(sources.map { source in
                switch source {
                case .test(let r): testIDs[r]
                case .dev(let r): trainIDs?[r] ?? ""
                }
            })
        }
        var taken = Set(testIDs)
        if let trainIDs { taken.formUnion(trainIDs) }
        return FreshIDs.make(count: sources.count, like: testIDs, taken: taken, generator: &generator)
    }

    /// A task's table of rows: a CSV file, or a JSON array of records (with its string keys).
    private func readRows(_ url: URL) throws -> (table: CSVTable, stringKeys: Set<String>) {
        url.pathExtension == "json" ? try JSONRecords.read(url) : (try CSVTable.read(contentsOf: url), [])
    }

    /// Writes `table` in the format of the task file it came from.
    private func writeRows(_ table: CSVTable, like source: URL, to destination: URL) throws {
        if source.pathExtension == "json" {
            try JSONRecords.write(table, stringKeys: try readRows(source).stringKeys, to: destination)
        } else {
            try table.write(to: destination)
        }
    }

    /// Writes the view's training rows, test rows, sample and per-row files.
    private func writeSplit(view: URL, train: CSVTable, test: CSVTable, sample: CSVTable,
                            files: [(taskID: String, viewID: String, isDev: Bool)]) throws {
        try writeRows(train, like: task.trainURL, to: view.appendingPathComponent(task.inputs.train))
        if let testFile = task.inputs.test, let source = task.testURL {
            try writeRows(test, like: source, to: view.appendingPathComponent(testFile))
        }
        // Real test rows first: their fresh names are then free for nothing else to take.
        try ViewFiles.move(files.filter { !$0.isDev } + files.filter(\.isDev), patterns: task.inputs.files, in: view)
        try sample.write(to: view.appendingPathComponent(task.sampleSubmissionURL.lastPathComponent))
        if task.sampleSubmissionURL.lastPathComponent != "sample_submission.csv" {
            try sample.write(to: view.appendingPathComponent("sample_submission.csv"))
        }
    }

    /// The rows' own ids, for tasks whose ids are content (``TaskInputs/keepIDs``); they must
    /// still be unique.
    private func keptIDs(_ ids: [String]) throws -> [String] {
        var seen = Set<String>()
        for id in ids where !seen.insert(id).inserted {
            throw AgentViewError("\(task.configURL.path): inputs.keep_ids is set but the id '\(id.prefix(80))' is both a test row's and a dev row's; set dev_split: none or keep_ids: false")
        }
        return ids
    }

    /// The task's rules, except that a view with dev rows matches rows by id: its ids are
    /// Starling's own, and its rows are shuffled, so a by-position grader would misread them.
    private func viewRules(holdsOut: Bool) -> SubmissionRules {
        var rules = task.submissionRules
        if holdsOut { rules.alignment = .id }
        return rules
    }

    /// The files that describe a built view to the harness.
    struct Layout {
        var viewSample: CSVTable
        var mapping: CSVTable
        var devAnswers: CSVTable
    }

    private func identityLayout(sample: CSVTable) throws -> Layout {
        let idColumn = task.spec.idColumn
        guard let ids = sample.column(idColumn) else {
            throw AgentViewError("\(task.sampleSubmissionURL.path): no id column '\(idColumn)'")
        }
        let answersHeader = try CSVTable.readHeader(contentsOf: task.answersURL)
        return Layout(
            viewSample: sample,
            mapping: CSVTable(header: AgentView.mappingHeader, columns: [ids, ids.map { _ in "test" }, ids]),
            devAnswers: CSVTable(header: answersHeader, columns: answersHeader.map { _ in [] }))
    }

    /// Checks that dev rows can be cut from `train` and passed off as test rows: ids in test and
    /// sample, every answer and test column present in train, every test id in the sample.
    ///
    /// - Returns: The test ids, the sample ids, and each sample id's row.
    /// - Throws: ``AgentViewError`` naming the file, the column or the line that stops it.
    private func checkSplittable(train: CSVTable, test: CSVTable, sample: CSVTable,
                                 answersHeader: [String]) throws -> (testIDs: [String], sampleIDs: [String], sampleRow: [String: Int]) {
        let idColumn = task.spec.idColumn
        let trainFile = task.inputs.train
        guard let testIDs = test.column(idColumn) else {
            throw AgentViewError("\(test.source): no id column '\(idColumn)'; a dev split needs it")
        }
        guard let sampleIDs = sample.column(idColumn) else {
            throw AgentViewError("\(task.sampleSubmissionURL.path): no id column '\(idColumn)'")
        }
        if let label = task.inputs.labelColumn {
            guard train.index(of: label) != nil else {
                throw AgentViewError("\(task.trainURL.path) has no column '\(label)' (inputs.label_column); dev rows need their labels (or set dev_split: none)")
            }
        } else {
            for name in answersHeader where name != idColumn && train.index(of: name) == nil {
                throw AgentViewError("\(task.trainURL.path) has no column '\(name)', which the answers hold; dev rows need their answers in \(trainFile) (or set inputs.label_column, or dev_split: none)")
            }
        }
        for name in test.header where name != idColumn && train.index(of: name) == nil {
            throw AgentViewError("\(test.source) column '\(name)' is not in \(trainFile), so dev rows cannot fill it (or set dev_split: none)")
        }
        if !task.inputs.files.isEmpty, train.index(of: idColumn) == nil {
            throw AgentViewError("\(task.trainURL.path) has no id column '\(idColumn)', so its rows' files (inputs.files) cannot be found")
        }
        var sampleRow: [String: Int] = [:]
        for (r, id) in sampleIDs.enumerated() { sampleRow[id] = r }
        for (r, id) in testIDs.enumerated() where sampleRow[id] == nil {
            throw AgentViewError("\(test.source):\(test.lineNumbers[r]): id '\(id)' has no row in the sample submission")
        }
        return (testIDs, sampleIDs, sampleRow)
    }

    private func holdOutDevRows(view: URL, sample: CSVTable, namedIndex: CSVTable?) throws -> Layout {
        let spec = task.spec
        let idColumn = spec.idColumn
        let train = try namedIndex ?? readRows(task.trainURL).table
        let test = try task.testURL.map { try readRows($0).table }
            ?? CSVTable(header: [idColumn], columns: [sample.column(idColumn) ?? []])
        let answersHeader = [idColumn] + spec.targetColumns
        let (testIDs, sampleIDs, sampleRow) = try checkSplittable(train: train, test: test, sample: sample, answersHeader: answersHeader)

        var generator = SeededGenerator(seed: seed)
        let (devRows, keptRows) = try devSplit(rowCount: train.rowCount, generator: &generator)
        let devSet = Set(devRows)
        let trainRows = keptRows ?? (0..<train.rowCount).filter { !devSet.contains($0) }

        // Rows of the view's test file, real and dev, in a shuffled order with fresh ids.
        let sources = generator.shuffled(test.rowCount > 0 ? (0..<test.rowCount).map(RowSource.test) + devRows.map(RowSource.dev) : devRows.map(RowSource.dev))
        let trainIDs = train.column(idColumn)
        let fresh = try viewIDs(sources, testIDs: testIDs, trainIDs: trainIDs, generator: &generator)

        let trainColumnIndex = test.header.map { train.index(of: $0) }
        let sampleIDColumn = sample.index(of: idColumn)!
        var rows = SplitRows(test: test.header, sample: sample.header)
        let answer = answerValues(in: train)
        for (position, source) in sources.enumerated() {
            let id = fresh[position]
            switch source {
            case .test(let r):
                var row = test.row(r)
                row[test.index(of: idColumn)!] = id
                rows.test.append(row: row)
                var sampleValues = sample.row(sampleRow[testIDs[r]]!)
                sampleValues[sampleIDColumn] = id
                rows.sample.append(row: sampleValues)
                rows.mapping.append([id, "test", testIDs[r]])
                rows.movedFiles.append((testIDs[r], id, false))
            case .dev(let r):
                let row = test.header.indices.map { c in
                    test.header[c] == idColumn ? id : train.columns[trainColumnIndex[c]!][r]
                }
                rows.test.append(row: row)
                // Placeholder values copied from a random real row, so they look like the rest.
                var sampleValues = sample.row(sample.rowCount > 0 ? Int(generator.next() % UInt64(sample.rowCount)) : 0)
                sampleValues[sampleIDColumn] = id
                rows.sample.append(row: sampleValues)
                rows.devMapping.append([id, "dev", trainIDs?[r] ?? "row:\(train.lineNumbers[r])"])
                rows.devAnswers.append([id] + answer(r))
                if let trainIDs { rows.movedFiles.append((trainIDs[r], id, true)) }
            }
        }
        // Test rows are listed in the task's sample order so a split rebuilds that order.
        let originalOrder = Dictionary(uniqueKeysWithValues: sampleIDs.enumerated().map { ($1, $0) })
        rows.mapping.sort { originalOrder[$0[2]]! < originalOrder[$1[2]]! }

        try writeSplit(view: view, train: train.selecting(rows: trainRows), test: rows.test, sample: rows.sample, files: rows.movedFiles)
        return Layout(
            viewSample: rows.sample,
            mapping: try CSVTable(header: AgentView.mappingHeader, rows: rows.mapping + rows.devMapping),
            devAnswers: try CSVTable(header: answersHeader, rows: rows.devAnswers))
    }

    /// The view's test and sample rows and the secrets' rows, built one row at a time.
    private struct SplitRows {
        var test: CSVTable
        var sample: CSVTable
        var mapping: [[String]] = []
        var devMapping: [[String]] = []
        var devAnswers: [[String]] = []
        var movedFiles: [(taskID: String, viewID: String, isDev: Bool)] = []

        init(test: [String], sample: [String]) {
            self.test = CSVTable(header: test, columns: test.map { _ in [] })
            self.sample = CSVTable(header: sample, columns: sample.map { _ in [] })
        }
    }

    /// A training row's answers, one per target column: 1/0 for per-class targets read from a
    /// label column, JSON records' values in the grader's form.
    private func answerValues(in train: CSVTable) -> (Int) -> [String] {
        let targets = task.spec.targetColumns
        let labelIndex = task.inputs.labelColumn.flatMap(train.index(of:))
        let isJSON = task.inputs.train.hasSuffix(".json")
        let indices = targets.map { train.index(of: $0) }
        return { r in
            targets.indices.map { c in
                if let labelIndex { return train.columns[labelIndex][r] == targets[c] ? "1" : "0" }
                let value = train.columns[indices[c]!][r]
                return isJSON ? JSONRecords.answerValue(value) : value
            }
        }
    }

    /// Which training rows become dev rows, and which stay to train on when not all the others
    /// do (a forward-chaining fold keeps only the rows before its window): a fold of K
    /// (interleaved over a shuffle, or the k-th of K windows at the end), else `dev_fraction`
    /// of the rows (the last ones for `dev_split: tail`, else a shuffled draw).
    private func devSplit(rowCount: Int, generator: inout SeededGenerator) throws -> (dev: [Int], kept: [Int]?) {
        let spec = task.spec
        guard let fold else {
            let devCount = Int((Double(rowCount) * spec.devFraction).rounded())
            guard devCount >= 1, devCount < rowCount else {
                throw AgentViewError("\(task.trainURL.path) has \(rowCount) rows; dev_fraction \(spec.devFraction) leaves no dev rows or no training rows")
            }
            return switch spec.devSplit {
            case .tail: (Array((rowCount - devCount)..<rowCount), nil)
            default: (generator.shuffled(Array(0..<rowCount)).prefix(devCount).sorted(), nil)
            }
        }
        guard fold.count >= 2, fold.index >= 0, fold.index < fold.count, rowCount >= 2 * fold.count else {
            throw AgentViewError("\(task.trainURL.path) has \(rowCount) rows: too few for fold \(fold.index) of \(fold.count)")
        }
        guard let window = fold.window else {
            let order = generator.shuffled(Array(0..<rowCount))
            return (stride(from: fold.index, to: order.count, by: fold.count).map { order[$0] }.sorted(), nil)
        }
        // Forward chaining: the windows end the training rows; later rows are not kept.
        guard window >= 1, window * (fold.count + 1) <= rowCount else {
            throw AgentViewError("\(task.trainURL.path) has \(rowCount) rows: too few for \(fold.count) windows of \(window) rows after a first stretch to train on")
        }
        let start = rowCount - (fold.count - fold.index) * window
        return (Array(start..<(start + window)), Array(0..<start))
    }
}
