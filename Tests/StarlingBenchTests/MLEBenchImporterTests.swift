import Foundation
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
