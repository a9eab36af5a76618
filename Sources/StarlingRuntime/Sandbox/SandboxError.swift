/// A problem that kept the sandbox from running a script at all. A script that fails is an
/// ``ExecutionResult``, not this error.
package struct SandboxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable categories of sandbox failure.
    package enum Code: String, Sendable, Hashable {
        /// The script, interpreter or working directory is missing or unusable.
        case badRequest
        /// The launcher resource is missing from the build.
        case missingLauncher
        /// A memory cgroup could not be set up.
        case cgroup
        /// The process could not be started.
        case spawn
    }

    /// The category.
    package var code: Code
    /// What went wrong and what to do about it.
    package var message: String

    /// Creates an error.
    package init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { "sandbox: \(message)" }
}
