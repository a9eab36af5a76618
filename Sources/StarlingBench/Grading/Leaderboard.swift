import Foundation
import StarlingCore

/// A competition's final leaderboard, from which MLE-bench derives medal thresholds.
package struct Leaderboard: Sendable, Hashable {
    /// Scores, best first.
    package var scores: [Double]

    /// Creates a leaderboard from scores in any order, sorting them best first.
    ///
    /// - Parameters:
    ///   - scores: Team scores.
    ///   - direction: Which way the metric improves.
    package init(scores: [Double], direction: Direction) {
        self.scores = scores.sorted { direction.isBetter($0, than: $1) }
    }

    /// Reads a `leaderboard.csv` with a `score` column (MLE-bench's format). Rows whose score
    /// is empty are skipped.
    ///
    /// - Parameters:
    ///   - url: The file.
    ///   - direction: Which way the metric improves, used to sort best first.
    /// - Returns: The leaderboard.
    /// - Throws: ``CSVError`` or ``GradingError`` when there is no `score` column or no score.
    package static func read(contentsOf url: URL, direction: Direction) throws -> Leaderboard {
        let table = try CSVTable.read(contentsOf: url)
        guard let column = table.column("score") else {
            throw GradingError("\(url.path): no 'score' column; columns are \(table.header.joined(separator: ", "))")
        }
        var scores: [Double] = []
        for (r, text) in column.enumerated() {
            guard !text.trimmingWhitespace().isEmpty else { continue }
            guard let value = NumberField.parse(text), !value.isNaN else {
                throw GradingError("\(url.path):\(table.lineNumbers[r]): score '\(text)' is not a number")
            }
            scores.append(value)
        }
        guard !scores.isEmpty else { throw GradingError("\(url.path): the leaderboard has no scores") }
        return Leaderboard(scores: scores, direction: direction)
    }

    /// Whether the scores as written get better downwards: MLE-bench's own rule for
    /// `is_lower_better` (the first row scores lower than the last).
    ///
    /// - Parameter writtenScores: Scores in file order.
    /// - Returns: `true` when the first score is below the last.
    package static func isLowerBetter(writtenScores: [Double]) -> Bool {
        guard let first = writtenScores.first, let last = writtenScores.last else { return false }
        return first < last
    }

    /// Medal thresholds by Kaggle's progression rules, as MLE-bench computes them: for fewer
    /// than 100 teams gold/silver/bronze are the scores at positions 10%/20%/40%; for 100–249
    /// gold is position 10; for 250–999 positions 10+0.2%, 50 and 100; from 1000 teams
    /// 10+0.2%, 5% and 10%. The median is the plain median of all scores.
    ///
    /// - Returns: The thresholds.
    package func thresholds() -> MedalThresholds {
        let n = scores.count
        func at(_ position: Int) -> Double { scores[min(max(position, 1), n) - 1] }
        let gold, silver, bronze: Double
        switch n {
        case ..<100:
            gold = at(max(1, Int(Double(n) * 0.1)))
            silver = at(max(1, Int(Double(n) * 0.2)))
            bronze = at(max(1, Int(Double(n) * 0.4)))
        case 100..<250:
            gold = at(10)
            silver = at(max(1, Int(Double(n) * 0.2)))
            bronze = at(max(1, Int(Double(n) * 0.4)))
        case 250..<1000:
            gold = at(10 + Int(Double(n) * 0.002))
            silver = at(50)
            bronze = at(100)
        default:
            gold = at(10 + Int(Double(n) * 0.002))
            silver = at(max(1, Int(Double(n) * 0.05)))
            bronze = at(max(1, Int(Double(n) * 0.1)))
        }
        let ascending = scores.sorted()
        let median = n % 2 == 1 ? ascending[n / 2] : (ascending[n / 2 - 1] + ascending[n / 2]) / 2
        return MedalThresholds(gold: gold, silver: silver, bronze: bronze, median: median)
    }
}

/// Scores needed for each medal and to beat the median team.
package struct MedalThresholds: Sendable, Hashable, Codable {
    /// Score at or beyond which a submission earns gold.
    package var gold: Double
    /// Score at or beyond which a submission earns at least silver.
    package var silver: Double
    /// Score at or beyond which a submission earns at least bronze.
    package var bronze: Double
    /// Median leaderboard score; "above median" means strictly better.
    package var median: Double

    /// The medals `score` earns, by MLE-bench's rules (a threshold reached counts; at most
    /// one medal).
    ///
    /// - Parameters:
    ///   - score: A graded score.
    ///   - direction: Which way the metric improves.
    /// - Returns: Gold, silver, bronze and above-median flags.
    package func medals(for score: Double, direction: Direction) -> (gold: Bool, silver: Bool, bronze: Bool, aboveMedian: Bool) {
        func reaches(_ threshold: Double) -> Bool {
            direction == .lower ? score <= threshold : score >= threshold
        }
        let gold = reaches(self.gold)
        let silver = !gold && reaches(self.silver)
        let bronze = !gold && !silver && reaches(self.bronze)
        let aboveMedian = direction.isBetter(score, than: median)
        return (gold, silver, bronze, aboveMedian)
    }
}
