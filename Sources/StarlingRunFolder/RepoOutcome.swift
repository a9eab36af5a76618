/// What a repo task's run came to (in `summary.json` as `repo`): the test script's verdict and
/// how much reading and trying it took.
package struct RepoOutcome: Sendable, Codable, Hashable {
    /// The test script found a readable output.
    package var process = false
    /// The test script found the output right.
    package var result = false
    /// The test script's words (or why it did not run).
    package var comments = ""
    /// Exploration tool calls made (0 with tools off).
    package var toolCalls = 0
    /// Tool calls that could not be answered (unknown entity, bad argument).
    package var failedToolCalls = 0
    /// Scripts written and run.
    package var attempts = 0
    /// Whether the exploration tools were on.
    package var toolsOn = true
    /// The repository: `name version` or its folder.
    package var repository = ""

    /// Creates an empty outcome.
    package init() {}
}
