import Foundation
import StarlingRunFolder

/// Runs one cell's agent. The bench harness calls it and then reads what the run left in its
/// folder (`summary.json`), so a test can substitute a runner that writes a folder itself.
package protocol BenchCellRunner: Sendable {
    /// Runs (or resumes) the agent for `cell` in the run folder `folder`.
    ///
    /// Returns when the run ended, with or without a valid submission.
    ///
    /// - Parameters:
    ///   - cell: The cell.
    ///   - task: Its task.
    ///   - folder: The run folder; it may hold an interrupted run to resume.
    /// - Throws: ``BenchCellError`` when the run could not run or did not end.
    func run(_ cell: BenchCell, task: BenchTask, in folder: URL) async throws
}
