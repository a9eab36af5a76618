import Foundation
import StarlingTestSupport
import StarlingBench
import StarlingCore
import Testing

@Suite struct MLEBenchImporterTests {
    /// An MLE-bench style competition folder and data root, as `mlebench prepare` leaves them.
    func makeCompetition(grader: String = "accuracy", leaderboard: String = "teamName,score\na,0.95\nb,0.9\nc,0.8\nd,0.7\ne,0.6\n") throws -> TemporaryFolder {
        let folder = try TemporaryFolder("mlebench")
        try folder.write("competitions/spaceship-titanic/config.yaml", """
            id: spaceship-titanic
            name: Spaceship Titanic
            competition_type: simple
            awards_medals: false
            description: mlebench/competitions/spaceship-titanic/description.md
            dataset:
              answers: spaceship-titanic/prepared/private/test.csv
              sample_submission: spaceship-titanic/prepared/public/sample_submission.csv
            grader:
              name: \(grader)
              grade_fn: mlebench.competitions.spaceship-titanic.grade:grade
            preparer: mlebench.competitions.spaceship-titanic.prepare:prepare
            """)
        try folder.write("competitions/spaceship-titanic/description.md", "# Spaceship Titanic\n")
        try folder.write("competitions/spaceship-titanic/leaderboard.csv", leaderboard)
        let data = "data/spaceship-titanic/prepared/"
        try folder.write(data + "public/train.csv", "PassengerId,Age,Transported\n0001_01,39,False\n0002_01,24,True\n0003_01,58,False\n0004_01,33,True\n0005_01,16,True\n")
        try folder.write(data + "public/test.csv", "PassengerId,Age\n0006_01,20\n0007_01,40\n")
        try folder.write(data + "public/sample_submission.csv", "PassengerId,Transported\n0006_01,False\n0007_01,False\n")
        try folder.write(data + "private/test.csv", "PassengerId,Transported\n0006_01,True\n0007_01,False\n")
        return folder
    }

    @Test func importsConfigDataAndLeaderboardIntoAGradableTask() throws {
        let folder = try makeCompetition()
        let task = try MLEBenchImporter(competitionFolder: folder.file("competitions/spaceship-titanic"), dataFolder: folder.file("data"))
            .importTask(into: folder.file("tasks"))
        #expect(task.id == "spaceship-titanic")
        #expect(task.spec.metric == .accuracy)
        #expect(task.spec.direction == .higher)
        #expect(task.spec.idColumn == "PassengerId")
        #expect(task.spec.targetColumns == ["Transported"])
        #expect(task.spec.taskType == .binaryClassification)
        #expect(task.spec.devSplit == .random)
        #expect(task.answersPath == "prepared/private/test.csv")
        #expect(filesUnder(task.folder).contains("leaderboard.csv"))

        let submission = try folder.write("sub.csv", "PassengerId,Transported\n0006_01,True\n0007_01,False\n")
        let report = try TaskGrader(task: task).report(submissionAt: submission)
        #expect(report.score == 1)
        #expect(report.goldThreshold == 0.95 && report.goldMedal)

        // The imported task also yields an agent view with dev rows.
        let view = try AgentViewBuilder(task: task).build(into: folder.file("view"), secretsFolder: folder.file("secrets"))
        #expect(view.devRowCount == 1)
    }

    @Test func mapsMLEBenchGraderNames() {
        #expect(MLEBenchImporter.metric(forGraderName: "auc-roc") == .rocAUC)
        #expect(MLEBenchImporter.metric(forGraderName: "Log Loss") == .logLoss)
        #expect(MLEBenchImporter.metric(forGraderName: "quadratic-weighted-kappa") == .quadraticWeightedKappa)
        #expect(MLEBenchImporter.metric(forGraderName: "MAP@K") == .mapAtK)
        #expect(MLEBenchImporter.metric(forGraderName: "bleu") == nil)
    }

    /// Every grader name of MLE-bench's Lite split (experiments/splits/low.txt) maps to a metric.
    @Test func everyLiteGraderNameMaps() {
        let lite: [String: Metric] = [
            "auc-roc": .rocAUC, "multi-class-log-loss": .multiClassLogLoss, "accuracy": .accuracy,
            "quadratic-weighted-kappa": .quadraticWeightedKappa, "root_mean_squared_error": .rmse,
            "root-mean-squared-error": .rmse, "log-loss": .logLoss, "column-wise ROC AUC": .rocAUCColumnMean,
            "mean-column-wise-rmsle": .columnMeanRMSLE, "mean-column-wise-roc-auc": .rocAUCColumnMean,
            "multi-class-classification-accuracy": .accuracy,
        ]
        for (name, metric) in lite { #expect(MLEBenchImporter.metric(forGraderName: name) == metric, "\(name)") }
    }

    @Test func severalTargetColumnsChooseTheColumnMeanVariant() throws {
        // ranzcr's grader is named auc-roc but averages the AUC of its 9 columns.
        #expect(MLEBenchImporter.metric(forGraderName: "auc-roc", targetCount: 9) == .rocAUCColumnMean)
        #expect(MLEBenchImporter.metric(forGraderName: "auc-roc", targetCount: 1) == .rocAUC)
        #expect(MLEBenchImporter.metric(forGraderName: "root-mean-squared-log-error", targetCount: 2) == .columnMeanRMSLE)
        #expect(MLEBenchImporter.metric(forGraderName: "accuracy", targetCount: 2) == .accuracy)

        let folder = try makeCompetition(grader: "auc-roc")
        let data = "data/spaceship-titanic/prepared/"
        try folder.write(data + "public/train.csv", "PassengerId,Age,A,B\n1,39,0,1\n2,24,1,0\n3,58,0,1\n4,33,1,1\n5,16,1,0\n")
        try folder.write(data + "public/sample_submission.csv", "PassengerId,A,B\n6,0.5,0.5\n7,0.5,0.5\n")
        try folder.write(data + "public/test.csv", "PassengerId,Age\n6,20\n7,40\n")
        try folder.write(data + "private/test.csv", "PassengerId,A,B\n6,1,0\n7,0,1\n")
        let task = try MLEBenchImporter(competitionFolder: folder.file("competitions/spaceship-titanic"), dataFolder: folder.file("data"))
            .importTask(into: folder.file("tasks"))
        #expect(task.spec.metric == .rocAUCColumnMean)
        #expect(task.spec.targetColumns == ["A", "B"])
    }

    @Test func aLeaderboardLeftAsAGitLFSPointerStopsTheImport() throws {
        let folder = try makeCompetition(leaderboard: """
            version https://git-lfs.github.com/spec/v1
            oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393
            size 12345

            """)
        let error = try #require(throws: TaskConfigError.self) {
            try MLEBenchImporter(competitionFolder: folder.file("competitions/spaceship-titanic"), dataFolder: folder.file("data"))
                .importTask(into: folder.file("tasks"), options: .init(direction: .higher))
        }
        #expect(error.message.contains("git lfs pull") && error.file.hasSuffix("leaderboard.csv"))
        #expect(!FileManager.default.fileExists(atPath: folder.file("tasks/spaceship-titanic").path), "nothing was imported")
    }

    @Test func unknownGraderAsksForMetricAndLeaderboardContradictionIsCaught() throws {
        let unknown = try makeCompetition(grader: "jaccard")
        let error = try #require(throws: TaskConfigError.self) {
            try MLEBenchImporter(competitionFolder: unknown.file("competitions/spaceship-titanic"), dataFolder: unknown.file("data"))
                .importTask(into: unknown.file("tasks"))
        }
        #expect(error.key == "grader.name" && error.message.contains("--metric"))

        let reversed = try makeCompetition(leaderboard: "teamName,score\na,0.1\nb,0.5\n")
        let contradiction = try #require(throws: TaskConfigError.self) {
            try MLEBenchImporter(competitionFolder: reversed.file("competitions/spaceship-titanic"), dataFolder: reversed.file("data"))
                .importTask(into: reversed.file("tasks"))
        }
        #expect(contradiction.message.contains("lower is better") || contradiction.message.contains("says lower"))
    }

    @Test func missingDataSaysWhereItLooked() throws {
        let folder = try makeCompetition()
        let error = try #require(throws: TaskStoreError.self) {
            try MLEBenchImporter(competitionFolder: folder.file("competitions/spaceship-titanic"), dataFolder: folder.file("elsewhere"))
                .importTask(into: folder.file("tasks"))
        }
        #expect(error.description.contains("mlebench prepare"))
    }
}
