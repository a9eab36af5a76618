import Foundation

/// A prepared binary task of 300 rows (`tiny`, ROC AUC, one feature) that a run, a bench cell or
/// an MCP session can work on in seconds.
enum TinyTask {
    /// Writes the task folder (config, description, prepared data and answers) at `folder`.
    static func write(into folder: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: folder.appendingPathComponent("prepared/public"), withIntermediateDirectories: true)
        try fm.createDirectory(at: folder.appendingPathComponent("prepared/private"), withIntermediateDirectories: true)
        var train = "id,x,y\n", test = "id,x\n", sample = "id,y\n", answers = "id,y\n"
        for i in 0..<300 {
            let x = Double((i * 37) % 100) / 100, y = x + Double((i * 11) % 7) / 20 > 0.6 ? 1 : 0
            if i < 240 { train += "\(i),\(x),\(y)\n" } else { test += "\(i),\(x)\n"; sample += "\(i),0.5\n"; answers += "\(i),\(y)\n" }
        }
        for (name, text) in [("prepared/public/train.csv", train), ("prepared/public/test.csv", test),
                             ("prepared/public/sample_submission.csv", sample), ("prepared/private/answers.csv", answers),
                             ("description.md", "Predict y from x; the metric is ROC AUC.\n"),
                             ("config.yaml", """
                                id: tiny
                                name: Tiny
                                grader:
                                  name: roc_auc
                                dataset:
                                  answers: prepared/private/answers.csv
                                  sample_submission: prepared/public/sample_submission.csv
                                direction: higher
                                task_type: binary_classification
                                id_column: id
                                target_columns: [y]
                                dev_split: random

                                """)] {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }
}
