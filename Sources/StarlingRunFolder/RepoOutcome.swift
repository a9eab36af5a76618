/// What a repo task's run came to (in `summary.json` as `repo`): the test script's verdict and
/// how much reading and trying it took.
public struct RepoOutcome: Sendable, Codable, Hashable {
    /// The test script found a readable output.
    public var process = false
    /// The test script found the output right.
    public var result = false
    /// The test script's words (or why it did not run).
    public var comments = ""
    /// Exploration tool calls made (0 with tools off).
    public var toolCalls = 0
    /// Tool calls that could not be answered (unknown entity, bad argument).
    public var failedToolCalls = 0
    /// Scripts written and run.
    public var attempts = 0
    /// Whether the exploration tools were on.
    public var toolsOn = true
    /// The repository: `name version` or its folder.
    public var repository = ""

    /// Creates an empty outcome.
    public init() {}
}
