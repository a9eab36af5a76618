import Foundation
import StarlingRuntime

/// Everything needed to turn a `provider:model` name into a ready client: keys, base URLs,
/// retries, cache and accounting. The agent builds one per run and asks it for a client per role.
package struct LLMConfiguration: Sendable {
    /// Starling's home (local server, cache folder, price override).
    package var home: StarlingHome
    /// API keys.
    package var credentials: LLMCredentials
    /// How the response cache is used.
    package var cacheMode: CacheMode
    /// Where cached replies live: `<home>/cache/llm` by default.
    package var cacheFolder: URL
    /// When to retry.
    package var retry: RetryPolicy
    /// Sends HTTP requests.
    package var transport: any HTTPTransport
    /// Records every call; shared by all clients made here.
    package var ledger: UsageLedger
    /// Base URLs that replace a provider's default (from `OPENAI_BASE_URL`, `ANTHROPIC_BASE_URL`,
    /// `GEMINI_BASE_URL`, or set directly).
    package var baseURLs: [ModelRef.Provider: URL]
    /// Where `local:` models are served; by default the running server recorded in the home.
    package var localServerURL: URL?

    /// Creates a configuration from the environment.
    ///
    /// - Parameters:
    ///   - home: Starling's home.
    ///   - environment: Variables with keys and base URLs.
    ///   - cacheMode: How the response cache is used.
    ///   - retry: When to retry.
    ///   - transport: Sends HTTP requests.
    /// - Throws: ``LLMError`` when the user's price file is invalid.
    package init(home: StarlingHome = .resolve(), environment: [String: String] = ProcessInfo.processInfo.environment,
                cacheMode: CacheMode = .off, retry: RetryPolicy = RetryPolicy(),
                transport: any HTTPTransport = DefaultHTTPTransport()) throws {
        self.home = home
        self.credentials = LLMCredentials(environment: environment, file: home.llm.appendingPathComponent("credentials.json"))
        self.cacheMode = cacheMode
        self.cacheFolder = home.cache.appendingPathComponent("llm")
        self.retry = retry
        self.transport = transport
        self.ledger = UsageLedger(prices: try PriceTable.load(override: home.llm.appendingPathComponent("prices.json")))
        var baseURLs: [ModelRef.Provider: URL] = [:]
        for (provider, variable) in [(ModelRef.Provider.openai, "OPENAI_BASE_URL"), (.anthropic, "ANTHROPIC_BASE_URL"),
                                     (.gemini, "GEMINI_BASE_URL")] {
            if let text = environment[variable], let url = URL(string: text), url.host != nil { baseURLs[provider] = url }
        }
        self.baseURLs = baseURLs
    }

    /// Makes a client for a model, wrapped with the cache (unless off) and the ledger.
    ///
    /// - Parameters:
    ///   - model: The model.
    ///   - role: What the calls are for (`coder`, `planner`), recorded in the ledger.
    /// - Returns: The client.
    /// - Throws: ``LLMError`` when a key is missing or no local server runs (a replay-only
    ///   cache needs neither).
    package func makeClient(for model: ModelRef, role: String? = nil) throws -> any LLMClient {
        let base = try makeProviderClient(for: model)
        var client: any LLMClient = base
        if cacheMode != .off {
            client = CachedLLMClient(base: client, cache: ResponseCache(folder: cacheFolder, mode: cacheMode))
        }
        return MeteredLLMClient(base: client, ledger: ledger, role: role)
    }

    /// Makes a client for a name such as `openai:gpt-4.1`.
    ///
    /// - Parameters:
    ///   - name: `provider:model`.
    ///   - role: What the calls are for.
    /// - Returns: The client.
    /// - Throws: ``LLMError`` for a bad name, a missing key or no local server.
    package func makeClient(named name: String, role: String? = nil) throws -> any LLMClient {
        try makeClient(for: ModelRef(parsing: name), role: role)
    }

    /// For a `local:` model, makes sure a server runs it: the one already running, or a new one.
    /// Sets ``localServerURL``. Release the lease when done: it stops the server only if this
    /// call started it. Does nothing for hosted models or in replay-only mode.
    ///
    /// - Parameters:
    ///   - model: The model the run will use.
    ///   - options: Options for a server that must be started (threads from the core budget).
    /// - Returns: A lease on the server, or `nil` when none is needed.
    /// - Throws: ``LLMError`` when the model is unknown or not installed, or start-up fails.
    package mutating func startLocalServerIfNeeded(for model: ModelRef,
                                                  options: LlamaServerOptions = LlamaServerOptions()) async throws -> LocalServerLease? {
        guard model.isLocal, cacheMode != .replayOnly else { return nil }
        let installation = LocalLLMInstallation(home: home)
        let lease = try await LlamaServerController.serve(try LocalModel.named(model.name), from: installation, options: options)
        localServerURL = lease.state.baseURL
        return lease
    }

    private func makeProviderClient(for model: ModelRef) throws -> any LLMClient {
        let http = RetryingHTTPClient(transport: transport, policy: retry)
        // Replay-only never reaches the provider, so it needs no key and no server.
        let replayOnly = cacheMode == .replayOnly
        switch model.provider {
        case .openai:
            let key = replayOnly ? credentials.key(for: .openai) : try credentials.requiredKey(for: .openai)
            return OpenAICompatibleClient(model: model, baseURL: baseURLs[.openai] ?? URL(string: "https://api.openai.com/v1")!,
                                          apiKey: key, supportsJSONSchema: true, maxTokensField: "max_completion_tokens",
                                          unsupportedSchemaKeywords: ["maxLength", "minLength"], http: http)
        case .openaiCompatible:
            guard let baseURL = model.baseURL else {
                throw LLMError(.invalidModelName, "\(model) has no server URL: write openai-compatible:NAME@http://host:port/v1")
            }
            return OpenAICompatibleClient(model: model, baseURL: baseURL, apiKey: credentials.key(for: .openaiCompatible),
                                          supportsJSONSchema: true, http: http)
        case .anthropic:
            let key = replayOnly ? credentials.key(for: .anthropic) ?? APIKey("") : try credentials.requiredKey(for: .anthropic)
            return AnthropicClient(model: model, apiKey: key, baseURL: baseURLs[.anthropic] ?? URL(string: "https://api.anthropic.com")!, http: http)
        case .gemini:
            let key = replayOnly ? credentials.key(for: .gemini) ?? APIKey("") : try credentials.requiredKey(for: .gemini)
            return GeminiClient(model: model, apiKey: key,
                                baseURL: baseURLs[.gemini] ?? URL(string: "https://generativelanguage.googleapis.com/v1beta")!, http: http)
        case .local:
            let url = localServerURL ?? Self.recordedLocalServer(in: home)
            guard let url = url ?? (replayOnly ? URL(string: "http://127.0.0.1:9/v1") : nil) else {
                throw LLMError(.localServer, "no local server is running for \(model): start one with `starling llm serve --model \(model.name)`")
            }
            return OpenAICompatibleClient(model: model, baseURL: url, supportsJSONSchema: true, http: http)
        }
    }

    private static func recordedLocalServer(in home: StarlingHome) -> URL? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let data = try? Data(contentsOf: LocalLLMInstallation(home: home).serverStateFile),
              let state = try? decoder.decode(LlamaServerState.self, from: data) else { return nil }
        return state.baseURL
    }
}
