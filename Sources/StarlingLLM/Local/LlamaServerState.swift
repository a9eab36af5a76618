import Foundation

/// A running `llama-server` as recorded in its state file.
public struct LlamaServerState: Sendable, Hashable, Codable {
    /// The server's process id.
    public var pid: Int32
    /// The port on 127.0.0.1.
    public var port: Int
    /// The model's name (`qwen2.5-coder-0.5b`) or file name.
    public var model: String
    /// The GGUF file served.
    public var modelPath: String
    /// The options it was started with.
    public var options: LlamaServerOptions
    /// The server's log file.
    public var logFile: String
    /// When it started.
    public var startedAt: Date

    /// The OpenAI-compatible API root: `http://127.0.0.1:PORT/v1`.
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/v1")! }
    /// The health endpoint.
    public var healthURL: URL { URL(string: "http://127.0.0.1:\(port)/health")! }
}
