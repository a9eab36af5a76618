import StarlingBench
import StarlingCore
import Testing

@Suite struct SubmissionValidatorTests {
    let sample = try! CSVTable.parse("id,churn\n1,0.5\n2,0.5\n3,0.5\n4,0.5\n", source: "sample.csv")

    func problems(_ text: String, metric: Metric = .rocAUC) throws -> SubmissionError {
        let submission = try CSVTable.parse(text, source: "submission.csv")
        return try #require(throws: SubmissionError.self) {
            try SubmissionValidator(sample: sample, idColumn: "id", metric: metric, problemLimit: 12).validate(submission)
        }
    }

    @Test func acceptsAValidSubmissionInAnyRowOrder() throws {
        let submission = try CSVTable.parse("churn,id\n0.1,4\n0.2,2\n0,1\n1,3\n")
        try SubmissionValidator(sample: sample, idColumn: "id", metric: .rocAUC).validate(submission)
    }

    @Test func missingAndExtraColumnsAreNamed() throws {
        let error = try problems("id,prob\n1,0.5\n2,0.5\n3,0.5\n4,0.5\n")
        #expect(error.problems.contains { $0.column == "churn" && $0.message.contains("missing") })
        #expect(error.problems.contains { $0.column == "prob" && $0.message.contains("not in the sample") })
        #expect(error.description.contains("submission.csv"))
    }

    @Test func wrongRowCountDuplicateAndUnknownIds() throws {
        let error = try problems("id,churn\n1,0.5\n2,0.5\n2,0.5\n9,0.5\n5,0.1\n")
        #expect(error.problems.contains { $0.message.contains("5 rows") && $0.message.contains("4") })
        #expect(error.problems.contains { $0.line == 4 && $0.message.contains("'2' repeats line 3") })
        #expect(error.problems.contains { $0.line == 5 && $0.message.contains("'9' is not in the sample") })
        #expect(error.problems.contains { $0.message.contains("'3'") && $0.message.contains("has no row") })
    }

    @Test func nanInfinityTextAndOutOfRangeProbabilitiesNameLineAndColumn() throws {
        let error = try problems("id,churn\n1,nan\n2,inf\n3,1.5\n4,abc\n")
        #expect(error.totalCount == 4)
        #expect(error.problems.map(\.line) == [2, 3, 4, 5])
        #expect(error.problems.allSatisfy { $0.column == "churn" })
        #expect(error.problems[0].message.contains("NaN"))
        #expect(error.problems[1].message.contains("infinite"))
        #expect(error.problems[2].message.contains("[0, 1]"))
        #expect(error.problems[3].message.contains("not a number"))
        #expect(error.description.contains("line 4, column 'churn'"))
    }

    @Test func regressionValuesMayLeaveTheUnitRangeButLabelsMustNotBeEmpty() throws {
        let regression = try CSVTable.parse("id,churn\n1,-3\n2,150\n3,0\n4,2.5\n")
        try SubmissionValidator(sample: sample, idColumn: "id", metric: .rmse).validate(regression)
        let error = try problems("id,churn\n1,a\n2,\n3,b\n4,a\n", metric: .accuracy)
        #expect(error.problems.count == 1)
        #expect(error.problems[0].line == 3)
    }

    @Test func listsOnlyTheFirstProblemsButCountsAll() throws {
        let big = try CSVTable.parse("id,p\n" + (1...50).map { "\($0),0.5" }.joined(separator: "\n"))
        let submission = try CSVTable.parse("id,p\n" + (1...50).map { "\($0),7" }.joined(separator: "\n"), source: "s.csv")
        let error = try #require(throws: SubmissionError.self) {
            try SubmissionValidator(sample: big, idColumn: "id", metric: .logLoss, problemLimit: 15).validate(submission)
        }
        #expect(error.problems.count == 5)
        #expect(error.totalCount == 50)
        #expect(error.problems.first?.line == 2)
        #expect(error.description.contains("and 45 more"))
    }

    @Test func manyIdProblemsDoNotHideAValueProblem() throws {
        let big = try CSVTable.parse("id,p\n" + (1...100).map { "\($0),0.5" }.joined(separator: "\n"))
        let submission = try CSVTable.parse("id,p\n1,0.5\n1,nan\n", source: "s.csv")
        let error = try #require(throws: SubmissionError.self) {
            try SubmissionValidator(sample: big, idColumn: "id", metric: .rocAUC).validate(submission)
        }
        #expect(error.problems.contains { $0.line == 3 && $0.message.contains("NaN") })
        #expect(error.problems.count <= 10)
        #expect(error.totalCount == 1 + 1 + 99 + 1)
    }

    @Test func oneVsRestRowsMustSumToOne() throws {
        let sample = try CSVTable.parse("id,a,b,c\n1,0.3,0.3,0.4\n2,0.3,0.3,0.4\n")
        let submission = try CSVTable.parse("id,a,b,c\n1,0.2,0.3,0.5\n2,0.5,0.5,0.5\n")
        let error = try #require(throws: SubmissionError.self) {
            try SubmissionValidator(sample: sample, idColumn: "id", metric: .rocAUCOneVsRest).validate(submission)
        }
        #expect(error.problems.map(\.line) == [3])
        #expect(error.problems[0].message.contains("sum to 1.5"))
    }

    /// MLE-bench's multi-class log-loss graders (dog-breed, leaf, spooky) reject rows that do not
    /// sum to 1 within `numpy.isclose(..., atol=1e-6)`; an all-ones file would otherwise score a
    /// perfect 2.2e-16.
    @Test func multiClassLogLossRowsMustSumToOneWithinMLEBenchsTolerance() throws {
        let sample = try CSVTable.parse("id,EAP,HPL,MWS\n1,0.4,0.3,0.3\n2,0.4,0.3,0.3\n3,0.4,0.3,0.3\n")
        let validator = SubmissionValidator(sample: sample, idColumn: "id", metric: .multiClassLogLoss)
        let allOnes = try CSVTable.parse("id,EAP,HPL,MWS\n1,1,1,1\n2,1,1,1\n3,1,1,1\n")
        let error = try #require(throws: SubmissionError.self) { try validator.validate(allOnes) }
        #expect(error.totalCount == 3 && error.problems[0].message.contains("sum to 3"))
        // 5e-6 off is within numpy's isclose(atol=1e-6, rtol=1e-5); 5e-5 off is not.
        try validator.validate(try CSVTable.parse("id,EAP,HPL,MWS\n1,0.333335,0.333335,0.333335\n2,1,0,0\n3,0,0.5,0.5\n"))
        let off = try #require(throws: SubmissionError.self) {
            try validator.validate(try CSVTable.parse("id,EAP,HPL,MWS\n1,0.33335,0.33335,0.33335\n2,1,0,0\n3,0,0.5,0.5\n"))
        }
        #expect(off.problems.map(\.line) == [2])
        // A binary log loss has one probability column: nothing to sum.
        let binary = try CSVTable.parse("id,label\n1,0.5\n2,0.5\n")
        try SubmissionValidator(sample: binary, idColumn: "id", metric: .multiClassLogLoss).validate(try CSVTable.parse("id,label\n1,0.9\n2,0.1\n"))
    }
}
