/// Ceilings the server puts on requests and environments.
package struct DojoLimits: Sendable, Hashable, Codable {
    /// Environments held at once; `POST /envs` beyond it answers 429.
    package var maxEnvironments: Int
    /// Seconds an environment may sit unused before it expires.
    package var idleTimeoutSeconds: Double
    /// Largest `max_steps` an environment may ask for.
    package var maxSteps: Int
    /// Largest `execution_timeout`, in seconds.
    package var maxExecutionTimeout: Double
    /// Largest `memory_mb`.
    package var maxMemoryMB: Int
    /// Largest JSON request body, in bytes (a step's code travels in it).
    package var maxJSONBodyBytes: Int
    /// Largest `/validate` upload, in bytes.
    package var maxUploadBytes: Int
    /// Cores one script holds (its thread variables follow it).
    package var coresPerExecution: Int

    /// Creates limits; the defaults suit one researcher on one machine.
    package init(
        maxEnvironments: Int = 8, idleTimeoutSeconds: Double = 1800, maxSteps: Int = 1000,
        maxExecutionTimeout: Double = 3600, maxMemoryMB: Int = 65536, maxJSONBodyBytes: Int = 1 << 20,
        maxUploadBytes: Int = 64 << 20, coresPerExecution: Int = 1
    ) {
        self.maxEnvironments = max(1, maxEnvironments)
        self.idleTimeoutSeconds = max(1, idleTimeoutSeconds)
        self.maxSteps = max(1, maxSteps)
        self.maxExecutionTimeout = max(1, maxExecutionTimeout)
        self.maxMemoryMB = max(256, maxMemoryMB)
        self.maxJSONBodyBytes = max(1024, maxJSONBodyBytes)
        self.maxUploadBytes = max(1024, maxUploadBytes)
        self.coresPerExecution = max(1, coresPerExecution)
    }
}
