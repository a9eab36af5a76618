/// How the response cache is used.
package enum CacheMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Always call the provider; read and write nothing.
    case off
    /// Answer from the cache when it has the request, else call the provider and record the reply.
    case readWrite = "read-write"
    /// Answer only from the cache; never touch the network. A miss is an error. For
    /// deterministic reruns and tests.
    case replayOnly = "replay-only"
}
