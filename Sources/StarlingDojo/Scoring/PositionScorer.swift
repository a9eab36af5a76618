import Foundation
import StarlingBench
import StarlingCore

/// Maps a task's raw scores to position scores in [0, 1].
///
/// With a `leaderboard.csv` the position is MLE-Dojo's: the share of leaderboard entries the
/// score beats (ties count half). Without one it is the position between the calibrated
/// baseline (0) and reference (1) scores from `config.yaml`, clipped to [0, 1]. A task with
/// neither has no position scores.
package struct PositionScorer: Sendable {
    /// Where position scores come from.
    package enum Basis: Sendable, Hashable {
        /// Leaderboard scores, best first.
        case leaderboard([Double])
        /// Calibrated baseline and reference scores.
        case calibration(baseline: Double, reference: Double)
        /// Nothing to compare with.
        case none
    }

    /// The basis in use.
    package let basis: Basis
    /// Which way the metric improves.
    package let direction: Direction

    /// Creates a scorer from an explicit basis.
    package init(basis: Basis, direction: Direction) {
        self.basis = basis
        self.direction = direction
    }

    /// Creates a scorer for a task: its leaderboard when present, else its calibrated scores.
    ///
    /// - Parameter task: The task.
    /// - Throws: ``GradingError`` or ``CSVError`` when a leaderboard exists but cannot be read.
    package init(task: TaskDefinition) throws {
        direction = task.spec.direction
        if FileManager.default.fileExists(atPath: task.leaderboardURL.path) {
            basis = .leaderboard(try Leaderboard.read(contentsOf: task.leaderboardURL, direction: direction).scores)
        } else {
            basis = Self.calibrationBasis(task.spec)
        }
    }

    /// The calibration basis of a task spec, `.none` when either score is missing or they are equal.
    package static func calibrationBasis(_ spec: TaskSpec) -> Basis {
        guard let baseline = spec.baseline?.value, let reference = spec.reference?.value, baseline != reference else { return .none }
        return .calibration(baseline: baseline, reference: reference)
    }

    /// Whether this scorer can place scores at all.
    package var isAvailable: Bool { basis != .none }

    /// The position of a raw score.
    ///
    /// - Parameter score: A score on the task's metric.
    /// - Returns: A value in [0, 1], or `nil` without a basis or for NaN.
    package func position(of score: Double) -> Double? {
        guard !score.isNaN else { return nil }
        switch basis {
        case .leaderboard(let scores):
            guard !scores.isEmpty else { return nil }
            var beaten = 0.0
            for entry in scores {
                if direction.isBetter(score, than: entry) { beaten += 1 } else if entry == score { beaten += 0.5 }
            }
            return beaten / Double(scores.count)
        case .calibration(let baseline, let reference):
            return min(1, max(0, (score - baseline) / (reference - baseline)))
        case .none:
            return nil
        }
    }

    /// A sentence about the basis, for `request_info` and warnings.
    package var explanation: String {
        switch basis {
        case .leaderboard(let scores): "position = share of the \(scores.count) leaderboard.csv entries the score beats (ties count half)"
        case .calibration(let baseline, let reference): "position = (score − baseline \(baseline)) / (reference \(reference) − baseline), clipped to [0, 1]"
        case .none: "no leaderboard.csv and no calibrated baseline/reference scores: position scores are null (run `starling tasks calibrate`)"
        }
    }
}
