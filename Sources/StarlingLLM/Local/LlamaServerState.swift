import Foundation

/// A running `llama-server` as recorded in its state file.
package struct LlamaServerState: Sendable, Hashable, Codable {
    /// The server's process id.
    package var pid: Int32
    /// The port on 127.0.0.1.
    package var port: Int
    /// The model's name (`qwen2.5-coder-0.5b`) or file name.
    package var model: String
    /// The GGUF file served.
    package var modelPath: String
    /// The options it was started with.
    package var options: LlamaServerOptions
    /// The server's log file.
    package var logFile: String
    /// When it started.
    package var startedAt: Date

    /// The OpenAI-compatible API root: `http://127.0.0.1:PORT/v1`.
    package var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/v1")! }
    /// The health endpoint.
    package var healthURL: URL { URL(string: "http://127.0.0.1:\(port)/health")! }
}
