import Foundation
import StarlingCore
import StarlingRuntime

/// Reruns a script with the training labels shuffled: a script that learns from its features
/// falls to about the score of the sample submission's constant predictions, while one that still
/// scores far from it reads the answer from somewhere other than the features (a leak).
package struct LabelShuffleCheck: Sendable {
    /// Runs scripts against the view, and grades them on its dev rows.
    package let harness: ExecutionHarness
    /// Where the shuffled view (`shuffled-view/`, built once) and the check's script run
    /// (`checks/label-shuffle/`) go: the run folder.
    package let folder: URL

    /// What the check found.
    package struct Verdict: Sendable, Codable, Hashable {
        /// The script's dev score with shuffled training labels.
        package var shuffledScore: Double
        /// The dev score of the sample submission's constant predictions.
        package var chanceScore: Double
        /// The script's dev score with the real labels.
        package var realScore: Double
        /// Whether the shuffled score stays more than halfway from chance towards the real one.
        package var suspicious: Bool
    }

    /// Creates the check.
    package init(harness: ExecutionHarness, folder: URL) {
        self.harness = harness
        self.folder = folder
    }

    /// Runs `code` on the shuffled view.
    ///
    /// - Parameters:
    ///   - code: The script, as it ran on the view.
    ///   - realScore: Its dev score on the view.
    /// - Returns: The verdict; `nil` when the task has no dev rows, or the script wrote no valid
    ///   submission on the shuffled view (nothing to compare).
    /// - Throws: ``LeakageCheckError`` when the shuffled view cannot be built; the sandbox's errors.
    package func run(code: String, realScore: Double) async throws -> Verdict? {
        let spec = harness.task.spec
        guard let tool = Bundle.module.url(forResource: "shuffle_labels", withExtension: "py", subdirectory: "Resources/tools") else {
            throw LeakageCheckError(message: "shuffle_labels.py is missing from Starling's resources; rebuild with `swift build`")
        }
        let shuffled = folder.appendingPathComponent("shuffled-view")
        if !FileManager.default.fileExists(atPath: shuffled.appendingPathComponent("train.csv").path) {
            let request = ExecutionRequest(script: tool, arguments: [harness.task.viewFolder.path, shuffled.path, spec.targetColumns.joined(separator: ",")],
                                           workDir: folder.appendingPathComponent(".shuffle"), python: harness.python,
                                           limits: ExecutionLimits(timeoutSeconds: 300, memoryMB: 8192))
            let result = try await harness.sandbox.run(request)
            guard result.succeeded else {
                throw LeakageCheckError(message: "the training labels could not be shuffled: \(result.output.text.suffix(400))")
            }
        }
        guard let chance = try harness.task.gradeDev(submission: harness.task.viewFolder.appendingPathComponent("sample_submission.csv")) else { return nil }
        let outcome = try await harness.run(code: code, in: folder.appendingPathComponent("checks/label-shuffle"), input: shuffled)
        guard let score = outcome.score else { return nil }
        return Verdict(shuffledScore: score, chanceScore: chance, realScore: realScore,
                       suspicious: abs(score - chance) > 0.5 * abs(realScore - chance))
    }
}

/// A label-shuffle check that could not run.
package struct LeakageCheckError: Error, CustomStringConvertible {
    /// What went wrong.
    package var message: String
    package var description: String { message }
}
