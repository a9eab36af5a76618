/// Resource limits for one sandboxed script execution.
public struct ExecutionLimits: Sendable, Hashable, Codable {
    /// Wall-clock seconds before the whole process tree is killed.
    public var timeoutSeconds: Double
    /// Memory ceiling in mebibytes, or `nil` for none.
    public var memoryMB: Int?
    /// Cores this execution may use; thread-count variables are set from it.
    public var cores: Int
    /// Bytes of output kept in memory (half from the start, half from the end); the full
    /// output always goes to the log file.
    public var outputCapBytes: Int

    /// Creates limits.
    ///
    /// - Parameters:
    ///   - timeoutSeconds: Wall-clock limit.
    ///   - memoryMB: Memory limit in MiB.
    ///   - cores: Core share of the execution slot.
    ///   - outputCapBytes: In-memory output cap.
    public init(timeoutSeconds: Double = 600, memoryMB: Int? = nil, cores: Int = 1, outputCapBytes: Int = 64 * 1024) {
        self.timeoutSeconds = timeoutSeconds
        self.memoryMB = memoryMB
        self.cores = max(1, cores)
        self.outputCapBytes = max(256, outputCapBytes)
    }
}
