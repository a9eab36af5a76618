import Foundation
import Synchronization
import StarlingLLM
import StarlingRunFolder
import StarlingRuntime
import StarlingStore

/// The one place a role's LLM client is put together. From the inside out:
///
/// 1. the provider's client, whose HTTP client retries (``RetryingHTTPClient``);
/// 2. the response cache (``CachedLLMClient``), unless it is off;
/// 3. the usage ledger (``MeteredLLMClient``) — 1 to 3 are ``LLMConfiguration/makeClient(for:role:)``;
///
/// for the local model's server, then:
///
/// 4. the slot-state cache (``SlotCachingClient``), when ``LocalServerPolicy`` keeps states;
/// 5. a server that went away started again (``RecoveringLocalClient``), which rebuilds 1 to 4;
/// 6. one request at a time to the server (``GatedClient``), shared by every role;
///
/// and, once the run's journal is open:
///
/// 7. the journal (``JournalingLLMClient``): every call with its step, tokens, cost and latency.
///
/// The local server itself is started by ``LlamaServerController/serve(_:from:options:)`` only.
package enum ClientStack {
    /// A client per role for `configuration`'s models (layers 1 to 6); a local model's server is
    /// started (or joined) under a lease in `leases`, and its clients start it again when it goes
    /// away mid-run.
    ///
    /// - Throws: ``AgentError`` when the local model is not installed or the roles name two;
    ///   ``LLMError`` for a missing key or a server that does not start.
    package static func clients(for configuration: RunConfiguration, home: StarlingHome,
                                leases: LeaseBox) async throws -> (clients: [AgentRole: any LLMClient], prices: PriceTable?) {
        let installation = LocalLLMInstallation(home: home)
        let names = try AgentSession.modelNames(configuration.models, installation: installation)
        var llmConfig = try LLMConfiguration(home: home, cacheMode: CacheMode(rawValue: configuration.cacheMode) ?? .readWrite)
        // Replay-only answers from the cache: no server to start.
        let local = llmConfig.cacheMode == .replayOnly ? nil : names.values.first(where: { $0.hasPrefix("local:") })
        let server = try local.map { try localServer($0, configuration: configuration, installation: installation, leases: leases) }
        let startServer = server?.start
        llmConfig.localServerURL = try await startServer?()
        var clients: [AgentRole: any LLMClient] = [:]
        // Every role's requests to the local server pass one gate and one slot-state cache (see
        // ``LocalServerPolicy``); a restarted server gets a fresh cache.
        let gate = LocalServerPolicy.oneRequestAtATime() ? RequestGate() : nil
        let slotFolder = LocalServerPolicy.slotFolder(in: home)
        let kept = server?.keeping
        let slotCache: @Sendable (URL?) -> SlotStateCache? = { url in
            guard LocalServerPolicy.cachesSlotStates(), let url else { return nil }
            return SlotStateCache(root: url.deletingLastPathComponent(), folder: slotFolder, slots: 2, keeping: kept)
        }
        if LocalServerPolicy.cachesSlotStates() { SlotStateCache.removeOrphans(in: slotFolder) }
        let firstCache = slotCache(llmConfig.localServerURL)
        if let firstCache { leases.add(firstCache) }
        for role in AgentRole.allCases {
            let name = names[role.rawValue]!
            let made = try llmConfig.makeClient(named: name, role: role.rawValue)
            if name.hasPrefix("local:"), let startServer {
                let config = llmConfig
                let client: any LLMClient = firstCache.map { SlotCachingClient(made, cache: $0) } ?? made
                let recovering = RecoveringLocalClient(client: client) {
                    var fresh = config
                    fresh.localServerURL = try await startServer()
                    let remade = try fresh.makeClient(named: name, role: role.rawValue)
                    guard let cache = slotCache(fresh.localServerURL) else { return remade }
                    leases.add(cache)
                    return SlotCachingClient(remade, cache: cache)
                }
                clients[role] = gate.map { GatedClient(recovering, gate: $0) } ?? recovering
            } else {
                clients[role] = made
            }
        }
        return (clients, llmConfig.ledger.prices)
    }

    /// How to start (or join) the server of the local model `name` under a lease in `leases`,
    /// and the prompt states it keeps across runs, when ``LocalServerPolicy`` keeps them.
    ///
    /// - Throws: ``AgentError`` when the model or the server is not installed.
    static func localServer(_ name: String, configuration: RunConfiguration, installation: LocalLLMInstallation,
                            leases: LeaseBox) throws -> (start: @Sendable () async throws -> URL, keeping: KeptSlotStates?) {
        let model = try LocalModel.named(String(name.dropFirst("local:".count)))
        guard installation.isInstalled(model), installation.isServerInstalled else {
            throw AgentError("the local model \(model.name) is not installed: run `starling setup --llm`")
        }
        let options = LocalServerPolicy.options(for: model, settings: configuration.settings)
        var keeping: KeptSlotStates?
        if LocalServerPolicy.keepsPromptStates() {
            keeping = KeptSlotStates(folder: LocalServerPolicy.slotFolder(in: installation.home),
                                     fingerprint: KeptSlotStates.fingerprint(server: installation.serverBinary, model: model.file(in: installation.home),
                                                                             settings: ["ctx=\(options.contextSize)", "slots=\(options.slots)"]))
        }
        let start: @Sendable () async throws -> URL = {
            let lease = try await LlamaServerController.serve(model, from: installation, options: options)
            leases.add(lease)
            return lease.state.baseURL
        }
        return (start, keeping)
    }

    /// Layer 7: every role's client journaled in `journal`, its cost from `prices`; with
    /// `reachability`, every role's calls count towards one verdict on whether the model answers;
    /// with `live`, the calls in flight are shown to the dashboard.
    package static func journaled(_ clients: [AgentRole: any LLMClient], journal: Journal, prices: PriceTable?,
                                  reachability: ModelReachability? = nil, live: LiveActivity? = nil) -> [AgentRole: any LLMClient] {
        clients.reduce(into: [:]) {
            $0[$1.key] = JournalingLLMClient(base: $1.value, role: $1.key, journal: journal, prices: prices, reachability: reachability, live: live)
        }
    }
}

/// The local-server leases a run or bench took (more than one when the server had to be
/// restarted); released together at the end.
package final class LeaseBox: Sendable {
    private let leases = Mutex<[LocalServerLease]>([])

    /// An empty box.
    package init() {}

    private let slotCaches = Mutex<[SlotStateCache]>([])

    /// Keeps `lease` until ``releaseAll()``.
    package func add(_ lease: LocalServerLease) { leases.withLock { $0.append(lease) } }

    /// Keeps `cache` until ``releaseAll()``, which deletes its saved states.
    package func add(_ cache: SlotStateCache) { slotCaches.withLock { $0.append(cache) } }

    /// Runs `body` with a new box and releases what it took however `body` ends.
    package static func holding<T>(_ body: (LeaseBox) async throws -> T) async throws -> T {
        let leases = LeaseBox()
        do {
            let value = try await body(leases)
            await leases.releaseAll()
            return value
        } catch {
            await leases.releaseAll()
            throw error
        }
    }

    /// Deletes the slot caches' files and releases every lease, newest first.
    package func releaseAll() async {
        for cache in slotCaches.withLock({ $0 }) { await cache.removeFiles() }
        for lease in leases.withLock({ $0 }).reversed() { await lease.release() }
    }
}
