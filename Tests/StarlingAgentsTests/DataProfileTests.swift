import Foundation
import Testing
@testable import StarlingAgents
import StarlingCore

@Suite struct DataProfileTests {
    /// A profile of a wide table as `profile_data.py` writes it: 40 yes/no columns, 30 numeric
    /// columns, 16 three-level string columns and the target, train and test alike.
    func wideProfile() throws -> URL {
        var columns: [[String: Any]] = [["name": "id", "dtype": "integer", "missing": 0, "unique": 1000, "examples": ["1", "2"], "min": 1, "max": 1000]]
        for i in 0..<40 { columns.append(["name": "flag_\(i)", "dtype": "integer", "missing": 0, "unique": 2, "examples": ["0", "1"], "min": 0, "max": 1]) }
        for i in 0..<30 { columns.append(["name": "amount_\(i)", "dtype": "number", "missing": 0.1, "unique": 900, "examples": ["1.5", "2.25"], "min": 0, "max": Double(100 + i)]) }
        for i in 0..<16 { columns.append(["name": "level_\(i)", "dtype": "string", "missing": 0, "unique": 3, "examples": ["low", "mid", "high"]]) }
        let test = columns
        var train = columns
        train.append(["name": "y", "dtype": "integer", "missing": 0, "unique": 2, "examples": ["0", "1"], "min": 0, "max": 1])
        let document: [String: Any] = ["id_column": "id", "target_columns": ["y"], "files": [
            ["file": "sample_submission.csv", "bytes": 10, "rows": 500, "columns": [columns[0], train.last!], "column_names": ["id", "y"]],
            ["file": "test.csv", "bytes": 10, "rows": 500, "columns": test, "column_names": test.map { $0["name"] as! String }],
            ["file": "train.csv", "bytes": 10, "rows": 1000, "columns": train, "column_names": train.map { $0["name"] as! String }],
        ]]
        let file = try agentScratch().appendingPathComponent("profile.json")
        try JSONSerialization.data(withJSONObject: document).write(to: file)
        return file
    }

    @Test func aWideTableIsDescribedOnceAndGrouped() throws {
        let spec = TaskSpec(id: "wide", name: "Wide", metric: .rocAUC, direction: .higher, taskType: .binaryClassification,
                            idColumn: "id", targetColumns: ["y"])
        let profile = try DataProfile(file: try wideProfile(), spec: spec)
        let text = profile.markdown
        // train.csv first, with every column; test.csv refers back instead of repeating 87 lines.
        #expect(text.hasPrefix("## `train.csv`: 1000 rows, 88 columns"))
        #expect(text.contains("- the 87 columns"))
        #expect(text.contains("as in `train.csv` above"))
        // Columns that read the same share a line; each name still appears.
        #expect(text.contains("`flag_0`, `flag_1`"))
        #expect(text.components(separatedBy: "\n").filter { $0.hasPrefix("- `flag_") }.count == 1)
        #expect(text.contains("`level_15`"))
        #expect(text.contains("`y`: integer") && text.contains("— TARGET"))
        #expect(profile.trainRows == 1000)
        // About four characters a token: the schema of 88 columns stays far below 2.5k tokens.
        #expect(text.count / 4 < 1500, "schema of \(text.count) characters")
    }
}
