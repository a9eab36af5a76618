import Foundation

/// Wraps a client with a ``ResponseCache``: answers repeated requests from disk and, in
/// replay-only mode, never calls the wrapped client at all.
///
/// An identical request gets the identical reply, even at a temperature above 0: a strategy
/// that wants several different drafts for one prompt should vary the seed (part of the key).
package struct CachedLLMClient: LLMClientLayer {
    /// The client that answers misses.
    package var base: any LLMClient
    /// Where replies are kept.
    package var cache: ResponseCache

    /// Creates a caching client.
    ///
    /// - Parameters:
    ///   - base: The client that answers misses.
    ///   - cache: Where replies are kept, and how.
    package init(base: any LLMClient, cache: ResponseCache) {
        self.base = base
        self.cache = cache
    }

    package func complete(_ request: ChatRequest) async throws -> ChatResponse {
        guard cache.mode != .off, request.bypassesResponseCache != true else { return try await base.complete(request) }
        let started = Date()
        let key = ResponseCache.key(for: request, model: model)
        if let entry = cache.lookup(key) {
            var response = entry.response
            response.fromCache = true
            response.latency = Date().timeIntervalSince(started)
            return response
        }
        if cache.mode == .replayOnly {
            throw LLMError(.cacheMiss, "replay-only cache has no reply for this request to \(model) "
                + "(key \(key.prefix(12))…, looked in \(cache.folder.path)); record it first with the cache mode read-write")
        }
        let response = try await base.complete(request)
        // Cut or empty replies are not worth replaying.
        if !response.text.isEmpty {
            try? cache.store(ResponseCache.Entry(key: key, model: model.description, request: request,
                                                 response: response, recordedAt: Date()))
        }
        return response
    }
}
