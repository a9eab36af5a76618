import Foundation
import StarlingTestSupport
import StarlingBench
import StarlingCore

/// A small prepared binary-classification task written to a temporary folder: a numeric
/// feature that predicts the label, a text feature with commas and quotes, and 0/1 answers.
struct SyntheticTask {
    let folder: TemporaryFolder
    let task: TaskDefinition
    /// Training labels by training id.
    let trainLabels: [String: String]

    static let config = """
        id: synthetic
        name: Synthetic churn
        competition_type: simple
        grader:
          name: roc_auc
        dataset:
          answers: prepared/private/answers.csv
          sample_submission: prepared/public/sample_submission.csv
        direction: higher
        task_type: binary_classification
        id_column: id
        target_columns: [churn]
        dev_split: DEV_SPLIT
        dev_fraction: 0.25
        source: "made up in a test"
        scores:
          baseline: {value: 0.5, source: "test"}
          reference: {value: 0.9, source: "test"}

        """

    init(trainRows: Int = 200, testRows: Int = 60, devSplit: DevSplit = .random, seed: UInt64 = 7) throws {
        folder = try TemporaryFolder("task")
        let root = folder.url.appendingPathComponent("synthetic")
        var generator = SeededGenerator(seed: seed)
        func row(_ id: Int) -> (features: [String], label: String) {
            let x = Double(generator.next() % 1000) / 10
            let label = (x + Double(generator.next() % 400) / 10) > 70 ? "1" : "0"
            let note = ["plain", "has, comma", "has \"quote\"", "two\nlines"][Int(generator.next() % 4)]
            return ([String(id), String(x), note], label)
        }
        var train: [[String]] = []
        var labels: [String: String] = [:]
        for id in 0..<trainRows {
            let r = row(id)
            train.append(r.features + [r.label])
            labels[String(id)] = r.label
        }
        var test: [[String]] = []
        var answers: [[String]] = []
        var sample: [[String]] = []
        for id in trainRows..<(trainRows + testRows) {
            let r = row(id)
            test.append(r.features)
            answers.append([String(id), r.label])
            sample.append([String(id), "0.5"])
        }
        try CSVTable(header: ["id", "x", "note", "churn"], rows: train).write(to: root.appendingPathComponent("prepared/public/train.csv"))
        try CSVTable(header: ["id", "x", "note"], rows: test).write(to: root.appendingPathComponent("prepared/public/test.csv"))
        try CSVTable(header: ["id", "churn"], rows: sample).write(to: root.appendingPathComponent("prepared/public/sample_submission.csv"))
        try CSVTable(header: ["id", "churn"], rows: answers).write(to: root.appendingPathComponent("prepared/private/answers.csv"))
        try Data("# Synthetic churn\nPredict churn.\n".utf8).write(to: root.appendingPathComponent("description.md"))
        try Data(Self.config.replacingOccurrences(of: "DEV_SPLIT", with: devSplit.rawValue).utf8)
            .write(to: root.appendingPathComponent("config.yaml"))
        task = try TaskDefinition.load(from: root)
        trainLabels = labels
    }

    /// A prediction computed only from a row's features, so the same row gets the same score
    /// wherever it appears.
    static func predict(x: String) -> String {
        String(min(1, max(0, (Double(x)! - 20) / 100)))
    }
}
