import Foundation
import StarlingCore
import StarlingRuntime

/// The complete schema of a task's data, for prompts: every file and column with dtype, missing
/// share and a few values, plus which columns are the id and the target. Small models invent
/// column names when they see a partial preview; this shows them all.
package struct DataProfile: Sendable {
    /// The profile JSON file (also read by the pre-flight check).
    package let file: URL
    /// The schema as Markdown for prompts.
    package let markdown: String
    /// Every column name per file.
    package let columns: [String: [String]]
    /// Rows of `train.csv` (0 when unknown).
    package let trainRows: Int
    /// Feature columns of `train.csv` that hold numbers (not the id or a target), in file order:
    /// what a feature edit may do arithmetic on.
    package let numericFeatures: [String]

    /// Profiles a data folder by running `profile_data.py` in the sandbox.
    ///
    /// - Parameters:
    ///   - folder: The data folder (the agent view).
    ///   - spec: The task, for the id and target columns.
    ///   - sandbox: Where the profiler runs.
    ///   - python: The solution interpreter.
    ///   - output: Where to write `profile.json`.
    /// - Throws: ``AgentError`` with the profiler's output when it fails.
    package static func make(folder: URL, spec: TaskSpec, sandbox: Sandbox, python: URL, output: URL) async throws -> DataProfile {
        guard let tool = Bundle.module.url(forResource: "profile_data", withExtension: "py", subdirectory: "Resources/tools") else {
            throw AgentError("profile_data.py is missing from Starling's resources; rebuild with `swift build`")
        }
        let scratch = output.deletingLastPathComponent().appendingPathComponent(".profile")
        let request = ExecutionRequest(script: tool, arguments: [folder.path, spec.idColumn, spec.targetColumns.joined(separator: ",")],
                                       workDir: scratch, readOnlyPaths: [folder], python: python,
                                       limits: ExecutionLimits(timeoutSeconds: 300, memoryMB: 8192, outputCapBytes: 8 * 1024 * 1024))
        let result = try await sandbox.run(request)
        guard result.succeeded, let json = result.output.text.split(separator: "\n").last(where: { $0.hasPrefix("{") }) else {
            throw AgentError("profiling the data in \(folder.path) failed: \(result.summary)\n\(result.output.text.suffix(2000))")
        }
        try Data(json.utf8).write(to: output)
        return try DataProfile(file: output, spec: spec)
    }

    /// Reads a profile written earlier (on resume).
    ///
    /// - Throws: When the file is missing or malformed.
    package init(file: URL, spec: TaskSpec) throws {
        let decoded = try JSONDecoder().decode(ProfileFile.self, from: Data(contentsOf: file))
        self.file = file
        var columns: [String: [String]] = [:]
        var lines: [String] = []
        // Columns already described (with their file), so test.csv does not repeat train.csv's.
        var alreadyDescribed: [String: String] = [:]
        let order = ["train.csv": 0, "test.csv": 1, "sample_submission.csv": 2]
        let files = decoded.files.enumerated().sorted { (order[$0.element.file] ?? 3, $0.offset) < (order[$1.element.file] ?? 3, $1.offset) }.map(\.element)
        for entry in files {
            columns[entry.file] = entry.column_names ?? []
            if let count = entry.folder_files {
                let examples = (entry.examples ?? []).map { "`\($0)`" }.joined(separator: ", ")
                lines.append("- `\(entry.file)/`: a folder of \(count) files" + (examples.isEmpty ? "" : ", e.g. \(examples)"))
                continue
            }
            guard let rows = entry.rows, let described = entry.columns else {
                lines.append("- `\(entry.file)` (\(entry.bytes) bytes)" + (entry.error.map { " — could not be read as CSV: \($0)" } ?? ""))
                continue
            }
            lines.append("## `\(entry.file)`: \(rows) rows, \(entry.column_names?.count ?? described.count) columns (\(Self.role(of: entry.file)))")
            let repeated = described.filter { alreadyDescribed[$0.name] != nil && !spec.targetColumns.contains($0.name) }
            if repeated.count > 3 {
                let sources = Dictionary(grouping: repeated.compactMap { alreadyDescribed[$0.name] }, by: { $0 })
                let source = sources.max { $0.value.count < $1.value.count }!.key
                lines.append("- the \(repeated.count) columns \(Self.names(repeated.map(\.name))) as in `\(source)` above")
            }
            // Columns that read the same (dtype, missingness, values) share one line: a wide
            // table costs a few lines instead of one per column.
            var groups: [(key: String, names: [String], text: String)] = []
            for column in described where repeated.count <= 3 || !repeated.contains(where: { $0.name == column.name }) {
                let fewValues = (column.unique ?? 99) <= 10
                let text = Self.describe(column, fewValues: fewValues)
                var special = ""
                if column.name == spec.idColumn { special += " — id column" }
                if spec.targetColumns.contains(column.name) && entry.file == "train.csv" { special += " — TARGET" }
                // Only columns with few values and no role group: their whole description is shared.
                let key = special.isEmpty && fewValues ? text : "\(column.name)\u{1}\(text)"
                if let index = groups.firstIndex(where: { $0.key == key }) {
                    groups[index].names.append(column.name)
                } else {
                    groups.append((key, [column.name], text + special))
                }
            }
            for group in groups {
                lines.append("- " + group.names.map { "`\($0)`" }.joined(separator: ", ") + ": " + group.text)
            }
            for column in described where alreadyDescribed[column.name] == nil { alreadyDescribed[column.name] = entry.file }
        }
        self.columns = columns
        let train = decoded.files.first { $0.file == "train.csv" }
        self.trainRows = train?.rows ?? 0
        self.numericFeatures = (train?.columns ?? []).filter {
            $0.min != nil && $0.max != nil && $0.name != spec.idColumn && !spec.targetColumns.contains($0.name)
        }.map(\.name)
        self.markdown = lines.joined(separator: "\n")
    }

    /// What a file of the view is for.
    private static func role(of file: String) -> String {
        switch file {
        case "train.csv": "training rows with the target"
        case "test.csv": "rows to predict, no target"
        case "sample_submission.csv": "the submission format"
        default: "extra file"
        }
    }

    /// One column in a short line: a range says enough about a number; strings show a few values.
    private static func describe(_ column: ProfileFile.Column, fewValues: Bool) -> String {
        var text = "\(column.dtype)"
        if let group = column.group { text += " (\(group) columns)" }
        if column.missing > 0 { text += ", \(Int((column.missing * 100).rounded()))% missing" }
        if let min = column.min, let max = column.max {
            text += " \(format(min))…\(format(max))"
            if let unique = column.unique, unique <= 20 { text += ", \(unique) values" }
        } else if column.text == true {
            text += ", free text (mean \(Int(column.mean_length ?? 0)) characters)"
        } else {
            if let unique = column.unique { text += ", \(unique) values" }
            if let examples = column.examples, !examples.isEmpty {
                let shown = (fewValues ? examples.sorted() : Array(examples.prefix(3))).prefix(4).map { String($0.prefix(28)) }
                text += ": " + shown.joined(separator: ", ") + ((column.unique ?? 0) > shown.count ? ", …" : "")
            }
        }
        return text
    }

    /// Column names in backticks; a long list keeps its first and last few, with the count between.
    static func names(_ names: [String]) -> String {
        let quoted = names.map { "`\($0)`" }
        guard quoted.count > 12 else { return quoted.joined(separator: ", ") }
        return (quoted.prefix(6) + ["… \(quoted.count - 9) more …"] + quoted.suffix(3)).joined(separator: ", ")
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e12 ? String(Int(value)) : String(format: "%.4g", value)
    }

    private struct ProfileFile: Decodable {
        struct Column: Decodable {
            var name: String
            var dtype: String
            var missing: Double
            var unique: Int?
            var examples: [String]?
            var min: Double?
            var max: Double?
            var group: Int?
            var text: Bool?
            var mean_length: Double?
        }
        struct Entry: Decodable {
            var file: String
            var bytes: Int
            var rows: Int?
            var columns: [Column]?
            var column_names: [String]?
            var error: String?
            var folder_files: Int?
            var examples: [String]?
        }
        var files: [Entry]
    }
}
