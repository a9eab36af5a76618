import Foundation
import StarlingBench
import StarlingCore
import Testing

/// Every metric against scikit-learn on randomised inputs (ties, constant columns, single
/// classes, one row): both agree to 1e-9, or both refuse.
@Suite(.enabled(if: SolutionPython.isAvailable, "needs the solution environment (starling setup)"))
struct MetricsSklearnTests {
    /// One input, the JSON scikit-learn sees and the Swift call that should agree with it.
    struct Case {
        var metric: Metric
        var json: [String: Any]
        var swift: () throws -> Double
    }

    static let script = #"""
    import json, sys, warnings
    import numpy as np
    from sklearn import metrics as m
    warnings.simplefilter("ignore")

    def apk(actual, predicted, k):
        if len(predicted) > k:
            predicted = predicted[:k]
        score, hits = 0.0, 0.0
        for i, p in enumerate(predicted):
            if p in actual and p not in predicted[:i]:
                hits += 1.0
                score += hits / (i + 1.0)
        if not actual:
            return 0.0
        return score / min(len(actual), k)

    out = []
    for c in json.load(open(sys.argv[1])):
        k, t, p = c["metric"], c["truth"], c["pred"]
        try:
            if k == "accuracy": v = m.accuracy_score(t, p)
            elif k == "balanced_accuracy": v = m.balanced_accuracy_score(t, p)
            elif k == "f1": v = m.f1_score(t, p, pos_label=c.get("pos", 1))
            elif k == "f1_macro": v = m.f1_score(t, p, average="macro")
            elif k == "f1_micro": v = m.f1_score(t, p, average="micro")
            elif k == "roc_auc": v = m.roc_auc_score(t, p)
            elif k == "roc_auc_ovr": v = m.roc_auc_score(t, np.array(p), multi_class="ovr", labels=c["classes"])
            elif k == "roc_auc_column_mean":
                v = np.mean([m.roc_auc_score(np.array(t)[:, j], np.array(p)[:, j]) for j in range(len(t[0]))])
            elif k == "log_loss": v = m.log_loss(t, p)
            elif k == "multi_class_log_loss": v = m.log_loss(t, np.array(p), labels=c["classes"])
            elif k == "rmse": v = m.root_mean_squared_error(t, p)
            elif k == "rmsle": v = m.root_mean_squared_log_error(t, p)
            elif k == "column_mean_rmsle": v = m.root_mean_squared_log_error(np.array(t), np.array(p))
            elif k == "mae": v = m.mean_absolute_error(t, p)
            elif k == "r2": v = m.r2_score(t, p)
            elif k == "quadratic_weighted_kappa": v = m.cohen_kappa_score(t, p, weights="quadratic")
            elif k == "map_at_k": v = np.mean([apk(a, b, c["k"]) for a, b in zip(t, p)])
            else: raise KeyError(k)
            v = float(v)
            out.append({"value": v} if np.isfinite(v) else {"error": "not finite: %r" % v})
        except Exception as e:
            out.append({"error": "%s: %s" % (type(e).__name__, e)})
    json.dump(out, sys.stdout)
    """#

    @Test("every metric agrees with scikit-learn to 1e-9 or both refuse")
    func agreesWithSklearn() async throws {
        var generator = SeededGenerator(seed: 20_261_126)
        let cases = Self.randomCases(perMetric: 60, generator: &generator) + Self.edgeCases()
        #expect(Set(cases.map(\.metric)) == Set(Metric.allCases))
        let reference = try #require(try await SolutionPython.run(Self.script, input: cases.map(\.json)) as? [[String: Any]])
        try #require(reference.count == cases.count)
        var compared = 0
        var refusedByBoth = 0
        var comparedPerMetric: [Metric: Int] = [:]
        for (c, expected) in zip(cases, reference) {
            let actual = Result { try c.swift() }
            switch (expected["value"] as? Double, actual) {
            case let (value?, .success(mine)):
                #expect(abs(mine - value) <= 1e-9 * max(1, abs(value)), "\(c.metric.rawValue): swift \(mine) vs sklearn \(value) for \(c.json)")
                compared += 1
                comparedPerMetric[c.metric, default: 0] += 1
            case let (value?, .failure(error)):
                Issue.record("\(c.metric.rawValue): swift refused (\(error)) but sklearn gives \(value) for \(c.json)")
            case let (nil, .success(mine)):
                Issue.record("\(c.metric.rawValue): sklearn refused (\(expected["error"] ?? "")) but swift gives \(mine) for \(c.json)")
            case let (nil, .failure(error)):
                #expect(error is MetricError, "refusals are MetricErrors, got \(error)")
                #expect(!"\(error)".isEmpty)
                refusedByBoth += 1
            }
        }
        // The random mix must exercise both paths for the comparison to mean anything.
        #expect(compared > 700)
        for metric in Metric.allCases {
            #expect(comparedPerMetric[metric, default: 0] >= 20, "\(metric.rawValue) was compared on too few inputs")
        }
        #expect(refusedByBoth > 40)
    }

    // MARK: - Case generation

    static func randomCases(perMetric: Int, generator g: inout SeededGenerator) -> [Case] {
        var cases: [Case] = []
        let sizes = [1, 2, 3, 5, 8, 13, 40, 200]
        func size(_ g: inout SeededGenerator) -> Int { sizes[Int(g.next() % UInt64(sizes.count))] }
        func int(_ upper: Int, _ g: inout SeededGenerator) -> Int { Int(g.next() % UInt64(upper)) }
        func unit(_ g: inout SeededGenerator) -> Double { Double(g.next() >> 11) / Double(1 << 53) }
        /// Scores on a coarse grid so that ties are frequent.
        func score(_ g: inout SeededGenerator) -> Double { Double(int(11, &g)) / 10 }

        for i in 0..<perMetric {
            let n = size(&g)
            let useStrings = i % 3 == 0
            let names = useStrings ? ["ant", "bee", "cat", "dog", "emu"] : ["0", "1", "2", "3", "4"]
            func labels(_ count: Int, classes: Int, _ g: inout SeededGenerator) -> [String] {
                (0..<count).map { _ in names[int(classes, &g)] }
            }
            func jsonLabels(_ values: [String]) -> [Any] {
                useStrings ? values : values.map { Int($0)! as Any }
            }

            // Label metrics: accuracy, balanced accuracy, F1 macro/micro, kappa.
            for metric in [Metric.accuracy, .balancedAccuracy, .f1Macro, .f1Micro, .quadraticWeightedKappa] {
                let classes = 1 + int(4, &g)
                let truth = labels(n, classes: classes, &g)
                let predicted: [String] = switch i % 4 {
                case 0: truth
                case 1: Array(repeating: truth[0], count: n)
                default: labels(n, classes: min(5, classes + int(2, &g)), &g)
                }
                cases.append(Case(metric: metric, json: ["metric": metric.rawValue, "truth": jsonLabels(truth), "pred": jsonLabels(predicted)]) {
                    switch metric {
                    case .accuracy: try Metrics.accuracy(truth: truth, predicted: predicted)
                    case .balancedAccuracy: try Metrics.balancedAccuracy(truth: truth, predicted: predicted)
                    case .f1Macro: try Metrics.f1(truth: truth, predicted: predicted, average: .macro)
                    case .f1Micro: try Metrics.f1(truth: truth, predicted: predicted, average: .micro)
                    default: try Metrics.quadraticWeightedKappa(truth: truth, predicted: predicted)
                    }
                })
            }

            // Binary F1, with string labels and an explicit positive label a third of the time.
            do {
                let classes = i % 7 == 0 ? 3 : 2
                let truth = labels(n, classes: classes, &g)
                let predicted = labels(n, classes: 2, &g)
                var json: [String: Any] = ["metric": "f1", "truth": jsonLabels(truth), "pred": jsonLabels(predicted)]
                let positive = useStrings ? "bee" : "1"
                if useStrings { json["pos"] = positive }
                cases.append(Case(metric: .f1Binary, json: json) {
                    try Metrics.f1(truth: truth, predicted: predicted, average: .binary, positiveLabel: positive)
                })
            }

            // Binary AUC and log loss; a single class now and then.
            for metric in [Metric.rocAUC, .logLoss] {
                let classes = i % 9 == 0 ? 1 : (i % 17 == 0 ? 3 : 2)
                let truth = labels(n, classes: classes, &g)
                var scores = (0..<n).map { _ in i % 5 == 0 ? 0.5 : score(&g) }
                if metric == .logLoss, i % 11 == 0, n > 0 { scores[0] = 1.25 }
                cases.append(Case(metric: metric, json: ["metric": metric.rawValue, "truth": jsonLabels(truth), "pred": scores]) {
                    metric == .rocAUC
                        ? try Metrics.rocAUC(truth: truth, scores: scores)
                        : try Metrics.logLoss(truth: truth, probabilities: scores)
                })
            }

            // One-vs-rest AUC and multi-class log loss: Swift gets the class columns shuffled.
            for metric in [Metric.rocAUCOneVsRest, .multiClassLogLoss] {
                let classCount = metric == .rocAUCOneVsRest ? 3 + int(2, &g) : 2 + int(3, &g)
                let classes = Array(names.prefix(classCount))
                let truth = labels(n, classes: i % 6 == 0 ? classCount - 1 : classCount, &g)
                var rows: [[Double]] = (0..<n).map { _ in
                    let weights = (0..<classCount).map { _ in Double(int(4, &g)) }
                    let total = weights.reduce(0, +)
                    return total == 0 ? weights.map { _ in 1 / Double(classCount) } : weights.map { $0 / total }
                }
                if i % 13 == 0, n > 0 { rows[0][0] += 0.5 }
                let permutation = g.shuffledIndices(classCount)
                let swiftClasses = permutation.map { classes[$0] }
                let swiftRows = rows.map { row in permutation.map { row[$0] } }
                cases.append(Case(metric: metric, json: [
                    "metric": metric.rawValue, "truth": jsonLabels(truth), "pred": rows, "classes": jsonLabels(classes),
                ]) {
                    metric == .rocAUCOneVsRest
                        ? try Metrics.rocAUCOneVsRest(truth: truth, probabilities: swiftRows, classes: swiftClasses)
                        : try Metrics.logLoss(truth: truth, probabilities: swiftRows, classes: swiftClasses)
                })
            }

            // Column-wise mean AUC over 1-3 binary columns, some constant.
            do {
                let columns = 1 + int(3, &g)
                let truth = (0..<columns).map { c in labels(n, classes: (i + c) % 8 == 0 ? 1 : 2, &g) }
                let scores = (0..<columns).map { _ in (0..<n).map { _ in score(&g) } }
                let rowsTruth: [[Any]] = (0..<n).map { r in truth.map { Int($0[r]) ?? 0 as Any } }
                let rowsScores = (0..<n).map { r in scores.map { $0[r] } }
                let numericTruth = truth.map { column in column.map { $0 == names[0] ? "0" : "1" } }
                cases.append(Case(metric: .rocAUCColumnMean, json: [
                    "metric": "roc_auc_column_mean",
                    "truth": rowsTruth.isEmpty ? [] : (0..<n).map { r in numericTruth.map { Int($0[r])! } },
                    "pred": rowsScores,
                ]) {
                    try Metrics.rocAUCColumnMean(truth: numericTruth, scores: scores)
                })
            }

            // Regression metrics, with constant truths, one-row inputs and out-of-domain values.
            for metric in [Metric.rmse, .rmsle, .mae, .r2] {
                let constant = i % 8 == 0
                var truth = (0..<n).map { _ in constant ? 3.5 : (unit(&g) * 200).rounded() / 4 - (metric == .rmsle ? 0 : 20) }
                let predicted = (0..<n).map { _ in (unit(&g) * 200).rounded() / 4 }
                if metric == .rmsle, i % 10 == 0 { truth[0] = -1 }
                if metric == .rmsle, i % 10 == 5 { truth[0] = -0.75 }
                cases.append(Case(metric: metric, json: ["metric": metric.rawValue, "truth": truth, "pred": predicted]) {
                    switch metric {
                    case .rmse: try Metrics.rmse(truth: truth, predicted: predicted)
                    case .rmsle: try Metrics.rmsle(truth: truth, predicted: predicted)
                    case .mae: try Metrics.mae(truth: truth, predicted: predicted)
                    default: try Metrics.r2(truth: truth, predicted: predicted)
                    }
                })
            }

            // Column-wise mean RMSLE.
            do {
                let columns = 1 + int(3, &g)
                let truth = (0..<columns).map { _ in (0..<n).map { _ in (unit(&g) * 400).rounded() / 4 } }
                let predicted = (0..<columns).map { _ in (0..<n).map { _ in (unit(&g) * 400).rounded() / 4 } }
                cases.append(Case(metric: .columnMeanRMSLE, json: [
                    "metric": "column_mean_rmsle",
                    "truth": (0..<n).map { r in truth.map { $0[r] } },
                    "pred": (0..<n).map { r in predicted.map { $0[r] } },
                ]) {
                    try Metrics.columnMean(truth: truth, predicted: predicted, Metrics.rmsle)
                })
            }

            // MAP@K with duplicates in predictions and empty actual lists.
            do {
                let k = 1 + int(5, &g)
                let vocabulary = ["a", "b", "c", "d", "e", "f"]
                let actual = (0..<n).map { _ in (0..<int(4, &g)).map { _ in vocabulary[int(6, &g)] } }
                let predicted = (0..<n).map { _ in (0..<int(8, &g)).map { _ in vocabulary[int(6, &g)] } }
                cases.append(Case(metric: .mapAtK, json: ["metric": "map_at_k", "truth": actual, "pred": predicted, "k": k]) {
                    try Metrics.meanAveragePrecision(actual: actual, predicted: predicted, k: k)
                })
            }
        }
        return cases
    }

    /// Inputs scikit-learn refuses, listed so they are covered whatever the random mix holds.
    static func edgeCases() -> [Case] {
        [
            Case(metric: .rocAUC, json: ["metric": "roc_auc", "truth": [1, 1, 1], "pred": [0.1, 0.4, 0.9]]) {
                try Metrics.rocAUC(truth: ["1", "1", "1"], scores: [0.1, 0.4, 0.9])
            },
            Case(metric: .logLoss, json: ["metric": "log_loss", "truth": [0, 0], "pred": [0.1, 0.4]]) {
                try Metrics.logLoss(truth: ["0", "0"], probabilities: [0.1, 0.4])
            },
            Case(metric: .f1Binary, json: ["metric": "f1", "truth": [0, 1, 2], "pred": [0, 1, 1]]) {
                try Metrics.f1(truth: ["0", "1", "2"], predicted: ["0", "1", "1"], average: .binary)
            },
            Case(metric: .f1Binary, json: ["metric": "f1", "truth": ["a", "b"], "pred": ["a", "a"]]) {
                try Metrics.f1(truth: ["a", "b"], predicted: ["a", "a"], average: .binary)
            },
            Case(metric: .r2, json: ["metric": "r2", "truth": [2.0], "pred": [1.0]]) {
                try Metrics.r2(truth: [2], predicted: [1])
            },
            Case(metric: .quadraticWeightedKappa, json: ["metric": "quadratic_weighted_kappa", "truth": [2, 2], "pred": [2, 2]]) {
                try Metrics.quadraticWeightedKappa(truth: ["2", "2"], predicted: ["2", "2"])
            },
            Case(metric: .rmsle, json: ["metric": "rmsle", "truth": [-1.5, 2], "pred": [1, 2]]) {
                try Metrics.rmsle(truth: [-1.5, 2], predicted: [1, 2])
            },
            Case(metric: .accuracy, json: ["metric": "accuracy", "truth": [Int](), "pred": [Int]()]) {
                try Metrics.accuracy(truth: [], predicted: [])
            },
            Case(metric: .rocAUCOneVsRest, json: [
                "metric": "roc_auc_ovr", "truth": [0, 1, 1], "pred": [[0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8]], "classes": [0, 1, 2],
            ]) {
                try Metrics.rocAUCOneVsRest(truth: ["0", "1", "1"], probabilities: [[0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8]], classes: ["0", "1", "2"])
            },
        ]
    }
}

extension SeededGenerator {
    /// A random permutation of `0..<count`.
    mutating func shuffledIndices(_ count: Int) -> [Int] {
        var result = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) { result.swapAt(i, Int(next() % UInt64(i + 1))) }
        return result
    }
}
