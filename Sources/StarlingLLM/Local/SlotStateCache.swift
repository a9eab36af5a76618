import Foundation
import StarlingRuntime
import StarlingCore

/// Keeps the local server's processed prompts (its slots' KV states) so a request finds what it
/// shares with an earlier one already computed, whichever slot that one ran in.
///
/// On two cores llama-server processes 45–75 prompt tokens a second, so a prompt whose first
/// 1,300 tokens are new costs ~20 s before the first reply token. Left alone the server puts
/// requests that come one at a time all into one slot (it picks the most similar slot, and an
/// empty one is never similar), so a run's two branches overwrite each other's script there.
/// This cache chooses the slot (`id_slot`) whose held text shares the longest beginning with the
/// request, saves a slot's state to a file after each reply (`POST /slots/N?action=save`, about
/// 15 ms for 35 MB), and restores a saved state into a slot (`action=restore`) when it shares
/// clearly more with the request than any slot does. The server must run with
/// `--slot-save-path FOLDER`. Prefixes are compared on the messages' text, which the chat template
/// turns into tokens in the same order. With ``KeptSlotStates``, the state of a request marked
/// ``ChatRequest/keepsPromptState`` (the task-context warm-up) outlives the run, and later runs
/// restore it like one of their own.
package actor SlotStateCache {
    /// The server's root, e.g. `http://127.0.0.1:8080` (no `/v1`).
    package let root: URL
    /// The server's `--slot-save-path` folder.
    package let folder: URL
    /// How many slots the server runs.
    package let slots: Int
    /// Saved states kept; older files are deleted.
    package let capacity: Int
    /// A saved state is restored only when it shares this many more characters with the request
    /// than the best slot (about 100 tokens: ~2 s of prompt processing on two cores).
    package static let restoreMargin = 400

    private struct Saved {
        var file: String
        var text: String
    }

    private var held: [String?]
    private var lastUsed: [Int]
    private var busy: Set<Int> = []
    private var saved: [Saved] = []
    /// States kept by earlier runs (and this one) that this run may restore.
    private var kept: [KeptSlotStates.Entry] = []
    /// Where kept states live; `nil` keeps nothing past the run.
    package let keeping: KeptSlotStates?
    private var clock = 0
    private var counter = 0
    private let prefix: String
    private let http: RetryingHTTPClient
    /// Restores done, states saved and failures (for tests and the log); `keptRestores` counts
    /// the restores of states kept by earlier runs.
    package private(set) var restores = 0, saves = 0, failures = 0, keptRestores = 0

    /// A cache for the server at `root` with `slots` slots saving into `folder`; with `keeping`,
    /// it restores states earlier runs kept and keeps the states of requests that ask for it.
    package init(root: URL, folder: URL, slots: Int, capacity: Int = 6, keeping: KeptSlotStates? = nil,
                http: RetryingHTTPClient = RetryingHTTPClient(policy: RetryPolicy(maxAttempts: 1))) {
        self.root = root
        self.folder = folder
        self.slots = max(1, slots)
        self.capacity = max(1, capacity)
        self.keeping = keeping
        kept = keeping?.entries() ?? []
        self.http = http
        held = Array(repeating: nil, count: max(1, slots))
        lastUsed = Array(repeating: 0, count: max(1, slots))
        prefix = "starling-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(6))"
    }

    /// Deletes state files left by runs that ended without cleaning up (killed): files named
    /// `starling-PID-…` whose process is gone.
    ///
    /// - Parameter folder: The server's `--slot-save-path` folder.
    /// - Returns: How many files were deleted.
    @discardableResult
    package static func removeOrphans(in folder: URL) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var removed = 0
        for name in names where name.hasPrefix("starling-") {
            let parts = name.split(separator: "-")
            guard parts.count >= 3, let pid = Int32(parts[1]), pid > 0, kill(pid, 0) != 0, errno == ESRCH else { continue }
            if (try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))) != nil { removed += 1 }
        }
        return removed
    }

    /// The text a request's prompt stands for, in the order the template renders it.
    package static func text(of messages: [ChatMessage]) -> String {
        messages.map { $0.role.rawValue + "\u{1}" + $0.content + "\u{2}" }.joined()
    }

    /// How many leading characters `a` and `b` share.
    static func sharedLength(_ a: String?, _ b: String) -> Int {
        guard let a else { return 0 }
        var count = 0
        for (x, y) in zip(a.utf8, b.utf8) {
            guard x == y else { break }
            count += 1
        }
        return count
    }

    /// Picks the slot for a prompt of `text` and marks it busy, restoring a saved state into it
    /// first when one shares clearly more; `nil` when every slot is busy (the server chooses).
    package func checkOut(for text: String) async -> Int? {
        let idle = (0..<slots).filter { !busy.contains($0) }
        guard !idle.isEmpty else { return nil }
        // Longest shared beginning; among equals, the slot used least recently, so two lines of
        // work that share only the task context keep one slot each.
        let scored = idle.map { (slot: $0, shared: Self.sharedLength(held[$0], text)) }
        var best = scored.max { a, b in a.shared != b.shared ? a.shared < b.shared : lastUsed[a.slot] > lastUsed[b.slot] }!
        // This run's saved states, then the kept ones (an equal kept one loses to the run's own).
        let stored: [(file: String, text: String, kept: KeptSlotStates.Entry?)] = saved.map { ($0.file, $0.text, nil) }
            + kept.map { ($0.file, $0.text, $0) }
        if let candidate = stored.indices.max(by: { Self.sharedLength(stored[$0].text, text) < Self.sharedLength(stored[$1].text, text) }) {
            let shared = Self.sharedLength(stored[candidate].text, text)
            if shared > best.shared + Self.restoreMargin {
                // Into the idle slot whose content matters least for this request.
                let target = scored.min { a, b in a.shared != b.shared ? a.shared < b.shared : lastUsed[a.slot] < lastUsed[b.slot] }!.slot
                if await post(slot: target, action: "restore", file: stored[candidate].file) {
                    restores += 1
                    if let entry = stored[candidate].kept {
                        keptRestores += 1
                        keeping?.touch(entry)
                    }
                    held[target] = stored[candidate].text
                    best = (target, shared)
                } else if let entry = stored[candidate].kept {
                    // Unreadable for this server (a build that slipped past the fingerprint): not offered again.
                    kept.removeAll { $0 == entry }
                }
            }
        }
        busy.insert(best.slot)
        clock += 1
        lastUsed[best.slot] = clock
        return best.slot
    }

    /// Records that `slot` now holds `text` (the prompt and its reply) and saves its state, or,
    /// after a failed request, that its content is unknown. With `prompt` (and ``keeping``), the
    /// state is saved for later runs as the state of `prompt` instead of as one of this run's: a
    /// warm-up's one-token reply is not part of what later runs share.
    package func checkIn(slot: Int, holding text: String?, keepingPrompt prompt: String? = nil) async {
        busy.remove(slot)
        held[slot] = text
        guard let text else { return }
        if let prompt, let keeping {
            guard !kept.contains(where: { $0.text == prompt }) else { return }
            // Another run of the same server and model may have kept it since this one started.
            if !keeping.contains(prompt) {
                guard await post(slot: slot, action: "save", file: keeping.file(for: prompt)) else { return }
                saves += 1
            }
            if let entry = keeping.record(prompt) { kept.append(entry) }
            return
        }
        counter += 1
        let file = "\(prefix)-\(counter).bin"
        guard await post(slot: slot, action: "save", file: file) else { return }
        saves += 1
        saved.append(Saved(file: file, text: text))
        while saved.count > capacity {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(saved.removeFirst().file))
        }
    }

    /// Marks `slot` idle again with its content unchanged (the request never reached the server).
    package func release(slot: Int) {
        busy.remove(slot)
    }

    /// The text `slot` holds as far as this cache knows, `nil` when unknown or empty.
    package func heldText(slot: Int) -> String? {
        slot >= 0 && slot < held.count ? held[slot] : nil
    }

    /// Deletes every state file this cache saved.
    package func removeFiles() {
        for state in saved { try? FileManager.default.removeItem(at: folder.appendingPathComponent(state.file)) }
        saved.removeAll()
    }

    private func post(slot: Int, action: String, file: String) async -> Bool {
        let url = root.appendingPathComponent("slots").appendingPathComponent(String(slot))
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return false }
        components.queryItems = [URLQueryItem(name: "action", value: action)]
        guard let target = components.url else { return false }
        let request = HTTPRequest(url: target, headers: ["Content-Type": "application/json"],
                                  body: Wire.encode(["filename": .string(file)]), timeout: 60)
        do {
            _ = try await http.send(request, provider: "llama-server slots", errorMessage: Wire.errorMessage)
            return true
        } catch {
            failures += 1
            return false
        }
    }
}

/// A client of the local server whose requests go to the slot ``SlotStateCache`` picks.
package struct SlotCachingClient: LLMClientLayer {
    /// The client that sends the requests (an OpenAI-compatible client of the server).
    package let base: any LLMClient
    /// The server's slot states.
    package let cache: SlotStateCache

    /// Wraps `base`.
    package init(_ base: any LLMClient, cache: SlotStateCache) {
        self.base = base
        self.cache = cache
    }

    package func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let text = SlotStateCache.text(of: request.messages)
        guard let slot = await cache.checkOut(for: text) else { return try await base.complete(request) }
        var pinned = request
        pinned.slot = slot
        do {
            let reply = try await base.complete(pinned)
            // A reply from a response cache never reached the server: the slot holds what it held.
            if reply.fromCache {
                await cache.release(slot: slot)
            } else {
                await cache.checkIn(slot: slot, holding: text + reply.text, keepingPrompt: request.keepsPromptState == true ? text : nil)
            }
            return reply
        } catch {
            await cache.checkIn(slot: slot, holding: nil)
            throw error
        }
    }
}
