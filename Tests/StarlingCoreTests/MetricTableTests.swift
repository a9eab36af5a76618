import Testing
@testable import StarlingCore

/// The metric table: one row per metric, its facts consistent with each other, every grader
/// name leading back to exactly one metric.
@Suite struct MetricTableTests {
    @Test func everyNameLeadsToOneMetric() {
        var owner: [String: Metric] = [:]
        for metric in Metric.allCases {
            for name in [metric.rawValue] + metric.facts.aliases {
                #expect(owner[name] == nil, "\(name) names both \(owner[name].map { "\($0)" } ?? "") and \(metric)")
                owner[name] = metric
                #expect(Metric(graderName: name) == metric)
            }
        }
        // Graders' spellings: case, spaces and dashes do not matter.
        #expect(Metric(graderName: "Log Loss") == .logLoss && Metric(graderName: "auc-roc") == .rocAUC)
        #expect(Metric(graderName: "MAP@K") == .mapAtK && Metric(graderName: "bleu") == nil)
    }

    @Test func eachRowIsConsistentWithItself() {
        for metric in Metric.allCases {
            let facts = metric.facts
            if facts.classColumns || facts.rankBased || facts.rewardsCalibration || facts.rowSumTolerance != nil {
                #expect(facts.values == .probability, "\(metric)")
            }
            if facts.rewardsCalibration { #expect(facts.direction == .lower, "\(metric): a loss") }
            if facts.rowSumTolerance != nil { #expect(facts.classColumns, "\(metric): rows of class columns") }
            if facts.weighsClassesEqually { #expect(facts.values == .label, "\(metric)") }
            #expect((facts.taskType == .regression) == (facts.values == .number), "\(metric)")
            if let wider = facts.overSeveralColumns {
                #expect(wider.facts.direction == facts.direction && wider.facts.values == facts.values && wider.facts.overSeveralColumns == nil,
                        "\(metric) over several columns is \(wider)")
            }
            #expect(metric.conventionalDirection == facts.direction && metric.submissionValueKind == facts.values)
        }
        // Rows that matter downstream.
        #expect(Metric.rocAUC.facts.rankBased && !Metric.rocAUCOneVsRest.facts.rankBased, "one-vs-rest rows must keep summing to 1")
        #expect(Metric.f1Macro.weighsClassesEqually && !Metric.accuracy.weighsClassesEqually)
        #expect(Metric.multiClassLogLoss.facts.rowSumTolerance == 1e-6 + 1e-5)
    }
}
