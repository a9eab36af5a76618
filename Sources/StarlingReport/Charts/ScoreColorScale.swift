import Foundation
import StarlingCore

/// Colours for harness scores: the worst score in a run red, the middle yellow, the best green,
/// whichever way the metric improves.
struct ScoreColorScale {
    /// The worst and best scores seen.
    var worst: Double, best: Double

    /// A scale over `scores`, or `nil` when there are none.
    init?(scores: [Double], direction: Direction) {
        let finite = scores.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return nil }
        (worst, best) = direction == .higher ? (low, high) : (high, low)
    }

    /// Position of `score` between worst (0) and best (1).
    func position(_ score: Double) -> Double {
        guard best != worst, score.isFinite else { return 1 }
        return min(1, max(0, (score - worst) / (best - worst)))
    }

    /// The fill colour for `score` as `#rrggbb`.
    func color(_ score: Double) -> String {
        Self.color(at: position(score))
    }

    /// The colour at `t` in 0...1 on the red–yellow–green ramp.
    static func color(at t: Double) -> String {
        let stops: [(Double, (Double, Double, Double))] = [
            (0, (215, 48, 39)), (0.5, (254, 224, 139)), (1, (26, 152, 80)),
        ]
        let t = min(1, max(0, t))
        let upper = stops.firstIndex { $0.0 >= t } ?? stops.count - 1
        let lower = max(0, upper - 1)
        let (t0, c0) = stops[lower], (t1, c1) = stops[upper]
        let f = t1 > t0 ? (t - t0) / (t1 - t0) : 0
        func mix(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * f).rounded()) }
        return String(format: "#%02x%02x%02x", mix(c0.0, c1.0), mix(c0.1, c1.1), mix(c0.2, c1.2))
    }
}
