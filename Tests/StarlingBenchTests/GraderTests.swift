import Foundation
import StarlingBench
import StarlingCore
import Testing

@Suite struct GraderTests {
    @Test func matchesRowsByIdNotByOrder() throws {
        let answers = try CSVTable.parse("id,y\n1,0\n2,1\n3,1\n4,0\n")
        let inOrder = try CSVTable.parse("id,y\n1,0.1\n2,0.8\n3,0.3\n4,0.4\n")
        let shuffled = try CSVTable.parse("id,y\n3,0.3\n1,0.1\n4,0.4\n2,0.8\n")
        let grader = Grader(metric: .rocAUC, idColumn: "id", targetColumns: ["y"])
        let a = try grader.score(submission: inOrder, answers: answers)
        #expect(a == 0.75)
        #expect(try grader.score(submission: shuffled, answers: answers) == a)
    }

    @Test func missingIdIsASubmissionErrorNamingIt() throws {
        let answers = try CSVTable.parse("id,y\n1,0\n2,1\n")
        let submission = try CSVTable.parse("id,y\n1,0.2\n", source: "s.csv")
        let error = try #require(throws: SubmissionError.self) {
            try Grader(metric: .rocAUC, idColumn: "id", targetColumns: ["y"]).score(submission: submission, answers: answers)
        }
        #expect(error.description.contains("'2'"))
    }

    @Test func perClassMetricsReadLabelOrOneHotAnswersAlike() throws {
        let labels = try CSVTable.parse("id,label\n1,a\n2,b\n3,c\n4,a\n5,b\n")
        let oneHot = try CSVTable.parse("id,a,b,c\n1,1,0,0\n2,0,1,0\n3,0,0,1\n4,1,0,0\n5,0,1,0\n")
        let submission = try CSVTable.parse("id,c,a,b\n1,0.1,0.7,0.2\n2,0.3,0.3,0.4\n3,0.5,0.2,0.3\n4,0.2,0.2,0.6\n5,0.1,0.1,0.8\n")
        for metric in [Metric.rocAUCOneVsRest, .multiClassLogLoss] {
            let grader = Grader(metric: metric, idColumn: "id", targetColumns: ["a", "b", "c"])
            let fromLabels = try grader.score(submission: submission, answers: labels)
            #expect(try grader.score(submission: submission, answers: oneHot) == fromLabels)
        }
        let logLoss = try Grader(metric: .multiClassLogLoss, idColumn: "id", targetColumns: ["a", "b", "c"])
            .score(submission: submission, answers: labels)
        let expected = -([0.7, 0.4, 0.5, 0.2, 0.8].map { Foundation.log($0) }.reduce(0, +)) / 5
        #expect(abs(logLoss - expected) < 1e-12)
    }

    @Test func metricRefusalBecomesAGradingErrorNamingTheMetric() throws {
        let answers = try CSVTable.parse("id,y\n1,1\n2,1\n")
        let submission = try CSVTable.parse("id,y\n1,0.2\n2,0.9\n")
        let error = try #require(throws: GradingError.self) {
            try Grader(metric: .rocAUC, idColumn: "id", targetColumns: ["y"]).score(submission: submission, answers: answers)
        }
        #expect(error.description.contains("roc_auc"))
        #expect(error.description.contains("only one class"))
    }

    @Test func labelsCompareByValue() throws {
        let answers = try CSVTable.parse("id,y\n1,1\n2,0\n3,2\n")
        let submission = try CSVTable.parse("id,y\n1,1.0\n2, 0\n3,1\n")
        let grader = Grader(metric: .accuracy, idColumn: "id", targetColumns: ["y"])
        #expect(try grader.score(submission: submission, answers: answers) == 2.0 / 3)
        // scikit-learn calls a column holding 2.5 continuous and refuses it beside whole classes.
        let fraction = try CSVTable.parse("id,y\n1,1\n2,0\n3,2.5\n")
        let error = try #require(throws: SubmissionError.self) { try grader.score(submission: fraction, answers: answers) }
        #expect(error.description.contains("'2.5' is a fraction"))
    }

    /// spaceship-titanic's answers say `True`/`False`; a submission written with `true`/`false`
    /// scores 1.0 in MLE-bench, because pandas reads both spellings as booleans, and one written
    /// 1/0 scores too (numpy compares booleans with numbers as 1 and 0).
    @Test func booleanSpellingsArePandasBooleans() throws {
        let answers = try CSVTable.parse("PassengerId,Transported\n0006_01,True\n0007_01,False\n0008_01,True\n")
        let grader = Grader(metric: .accuracy, idColumn: "PassengerId", targetColumns: ["Transported"])
        let spelled = try CSVTable.parse("PassengerId,Transported\n0006_01,true\n0007_01,FALSE\n0008_01,false\n")
        #expect(try grader.score(submission: spelled, answers: answers) == 2.0 / 3)
        let numbers = try CSVTable.parse("PassengerId,Transported\n0006_01,1\n0007_01,0\n0008_01,0\n")
        #expect(try grader.score(submission: numbers, answers: answers) == 2.0 / 3)
        // `yes` makes the column text to pandas, and text never equals a boolean: no silent 0.
        let text = try CSVTable.parse("PassengerId,Transported\n0006_01,true\n0007_01,FALSE\n0008_01,yes\n")
        let error = try #require(throws: SubmissionError.self) { try grader.score(submission: text, answers: answers) }
        #expect(error.description.contains("'yes'") && error.description.contains("line 4"))
        let auc = Grader(metric: .rocAUC, idColumn: "PassengerId", targetColumns: ["Transported"])
        let probabilities = try CSVTable.parse("PassengerId,Transported\n0006_01,0.9\n0007_01,0.2\n0008_01,0.8\n")
        let lowercase = try CSVTable.parse("PassengerId,Transported\n0006_01,true\n0007_01,false\n0008_01,true\n")
        #expect(try auc.score(submission: probabilities, answers: lowercase) == 1, "true is the positive class, as True is")
    }

    @Test func mapAtKReadsSpaceSeparatedItems() throws {
        let answers = try CSVTable.parse("id,items\n1,a b\n2,c\n")
        let submission = try CSVTable.parse("id,items\n1,a x b\n2,x y\n")
        let score = try Grader(metric: .mapAtK, idColumn: "id", targetColumns: ["items"], k: 3).score(submission: submission, answers: answers)
        #expect(abs(score - (1 + 2.0 / 3) / 2 / 2) < 1e-12)
    }
}
