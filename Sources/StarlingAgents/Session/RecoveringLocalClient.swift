import Foundation
import Synchronization
import StarlingLLM

/// A client for the local model that survives its server going away mid-run (a crash, or
/// `starling llm stop` from another shell): on a refused connection it starts the server again
/// through `reconnect` and retries the request once.
package final class RecoveringLocalClient: LLMClient, Sendable {
    private let current: Mutex<any LLMClient>
    private let reconnect: @Sendable () async throws -> any LLMClient

    /// Wraps `client`; `reconnect` starts the server again and returns a client for it.
    package init(client: any LLMClient, reconnect: @escaping @Sendable () async throws -> any LLMClient) {
        current = Mutex(client)
        self.reconnect = reconnect
    }

    package var model: ModelRef { current.withLock { $0.model } }
    package var supportsJSONSchema: Bool { current.withLock { $0.supportsJSONSchema } }

    package func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let client = current.withLock { $0 }
        do {
            return try await client.complete(request)
        } catch let error as LLMError where error.code == .connection {
            FileHandle.standardError.write(Data("local server unreachable (\(error.message)); starting it again\n".utf8))
            let fresh = try await reconnect()
            current.withLock { $0 = fresh }
            return try await fresh.complete(request)
        }
    }
}
