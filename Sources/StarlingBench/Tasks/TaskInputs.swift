/// Where a task's training rows, test ids and per-row files are, for the layouts MLE-bench
/// competitions use besides `train.csv` + `test.csv`: labels in `labels.csv`, test ids only in
/// the sample submission, images or other files named after each row's id, one label column
/// behind one-hot answer columns. Read from the `inputs` section of `config.yaml`; paths are
/// relative to `prepared/public/`.
package struct TaskInputs: Sendable, Hashable, Codable {
    /// A file (or folder) per row, named after the row's id: `train/{id}.jpg`.
    package struct FilePattern: Sendable, Hashable, Codable {
        /// A training row's file, with `{id}` for its id.
        package var train: String
        /// A test row's file.
        package var test: String

        /// The path of one row's file (or of the folder holding it, when `{id}` names a folder):
        /// everything up to and including the path component that holds `{id}`.
        ///
        /// - Parameters:
        ///   - pattern: `train` or `test`.
        ///   - id: The row's id.
        /// - Returns: The path relative to the public folder.
        package static func item(_ pattern: String, id: String) -> String {
            let parts = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard let at = parts.firstIndex(where: { $0.contains("{id}") }) else { return pattern }
            return parts[...at].joined(separator: "/").replacingOccurrences(of: "{id}", with: id)
        }
    }

    /// Training labels written in file names, not in a table: dogs-vs-cats' `train/cat.17.jpg`,
    /// the whale challenge's `train2/…_TRAIN12_1.aif`. The agent view lists those files in
    /// ``TaskInputs/train`` (an index it writes: `id` = the file's path, the target = the label).
    package struct NamedLabels: Sendable, Hashable, Codable {
        /// The folder of training files (after unpacking).
        package var folder: String
        /// Which token of a file name, split at `.` and `_`, is the label; negative counts from
        /// the end.
        package var token: Int
        /// Label token → the answer value (`cat` → `0`); tokens not listed are used as they are.
        package var values: [String: String]

        /// Creates the description.
        package init(folder: String, token: Int, values: [String: String] = [:]) {
            self.folder = folder
            self.token = token
            self.values = values
        }

        /// The label in `name`, mapped to its answer value; `nil` when the name has no such token.
        package func label(of name: String) -> String? {
            let tokens = name.split(whereSeparator: { $0 == "." || $0 == "_" }).map(String.init)
            let index = token < 0 ? tokens.count + token : token
            guard tokens.indices.contains(index) else { return nil }
            return values[tokens[index]] ?? tokens[index]
        }
    }

    /// The index file the view writes for labels in file names.
    package static let namedLabelsIndex = "train_from_file_names.csv"

    /// `inputs.named_labels`.
    package var namedLabels: NamedLabels?
    /// `inputs.train`: the labelled rows (default `train.csv`).
    package var train: String
    /// `inputs.test`: the rows to predict; `nil` (`sample` in the config) when the test ids are
    /// only in the sample submission.
    package var test: String?
    /// `inputs.label_column`: the training file's one label column when the answers are one-hot
    /// columns named after its classes (dog-breed's `breed`, spooky's `author`).
    package var labelColumn: String?
    /// `inputs.unpack`: archives the agent view unpacks in place (`train.zip` → `train/`).
    package var unpack: [String]
    /// `inputs.files`: per-row files.
    package var files: [FilePattern]
    /// `inputs.keep_ids`: the ids are content, not labels (detecting-insults' id is the comment
    /// text), so the agent view keeps them instead of giving rows fresh ids.
    package var keepIDs: Bool

    /// Creates inputs.
    package init(train: String = "train.csv", test: String? = "test.csv", labelColumn: String? = nil,
                unpack: [String] = [], files: [FilePattern] = [], keepIDs: Bool = false, namedLabels: NamedLabels? = nil) {
        self.train = train
        self.test = test
        self.labelColumn = labelColumn
        self.unpack = unpack
        self.files = files
        self.keepIDs = keepIDs
        self.namedLabels = namedLabels
    }

    /// `train.csv` and `test.csv`, nothing else: Starling's own tasks.
    package static let standard = TaskInputs()

    /// Whether the layout is the standard one.
    package var isStandard: Bool { self == .standard }

    /// Where things are, in words for the agent (and its model): appended to the description in
    /// the agent view and in prompts, since a script written for `train.csv` + `test.csv` would
    /// not find them. `nil` for the standard layout.
    ///
    /// - Parameters:
    ///   - idColumn: The id column.
    ///   - targets: The predicted columns.
    ///   - sampleFile: The sample submission's file name.
    ///   - trainExists: Whether the training file is there (some competitions keep their labels
    ///     in file names or other formats).
    package func describe(idColumn: String, targets: [String], sampleFile: String, trainExists: Bool = true) -> String? {
        guard !isStandard else { return nil }
        var lines = ["## Where the data is (Starling's note on this folder's layout)"]
        let targetList = targets.count > 6 ? "\(targets.count) columns (\(targets.prefix(3).joined(separator: ", ")), …)" : targets.joined(separator: ", ")
        if let namedLabels {
            lines.append("- Training labels are in the file names under `\(namedLabels.folder)/`; Starling lists them in `\(train)` (`\(idColumn)` = the file's path here, and its label).")
        } else if !trainExists {
            lines.append("- Training data: no single file of labelled rows; the labels are in the files of this folder (see the description).")
        } else if let labelColumn {
            lines.append("- Training rows: `\(train)`, one row per `\(idColumn)`; its column `\(labelColumn)` holds the class. The submission has one probability column per class (\(targetList)), named as the classes.")
        } else {
            lines.append("- Training rows: `\(train)` (id `\(idColumn)`, targets \(targetList)).")
        }
        if keepIDs {
            lines.append("- The id `\(idColumn)` is each row's text itself: it is the input to learn from (text classification), not a label.")
        }
        if let test {
            lines.append("- Rows to predict: `\(test)`.")
        } else {
            lines.append("- Rows to predict: there is no test.csv; the ids to predict are the `\(idColumn)` column of `\(sampleFile)`.")
        }
        for pattern in files {
            lines.append("- Each row's file: training rows `\(pattern.train)`, rows to predict `\(pattern.test)` (`{id}` is the row's `\(idColumn)`).")
        }
        if !unpack.isEmpty {
            lines.append("- Already unpacked here: \(unpack.map { "`\($0)`" }.joined(separator: ", ")) (their folders hold the files).")
        }
        lines.append("- Write `submission.csv` with the columns of `\(sampleFile)`, one row per id in it.")
        return lines.joined(separator: "\n")
    }
}
