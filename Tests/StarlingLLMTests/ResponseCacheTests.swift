import Foundation
import StarlingRuntime
import Testing
@testable import StarlingLLM

@Suite struct ResponseCacheTests {
    func temporaryHome() -> StarlingHome {
        StarlingHome(root: FileManager.default.temporaryDirectory.appendingPathComponent("starling-llm-test-\(UUID().uuidString)"))
    }

    @Test func replayOnlyAnswersWithNoServerRunning() async throws {
        let home = temporaryHome()
        defer { try? FileManager.default.removeItem(at: home.root) }
        let server = try StubHTTPServer([.json(openAIReply("recorded answer", prompt: 9, completion: 2))])
        let name = "openai-compatible:stub@\(server.baseURL.absoluteString)/v1"
        let request = ChatRequest(messages: [.user("What is 2+2?")], maxTokens: 16)

        let recording = try LLMConfiguration(home: home, environment: [:], cacheMode: .readWrite, retry: fastRetry)
        let first = try await recording.makeClient(named: name).complete(request)
        #expect(!first.fromCache)
        let second = try await recording.makeClient(named: name).complete(request)
        #expect(second.fromCache)
        #expect(server.requests.count == 1)
        server.stop()

        let replay = try LLMConfiguration(home: home, environment: [:], cacheMode: .replayOnly, retry: .none)
        let replayed = try await replay.makeClient(named: name).complete(request)
        #expect(replayed.text == "recorded answer")
        #expect(replayed.fromCache)
        #expect(replayed.usage.completionTokens == 2)
        let totals = await replay.ledger.totals
        #expect(totals.cacheHits == 1)
        #expect(totals.cost == 0)
        // The entry is a readable file under the home's cache folder.
        let key = ResponseCache.key(for: request, model: try ModelRef(parsing: name))
        let file = ResponseCache(folder: home.cache.appendingPathComponent("llm"), mode: .replayOnly).file(for: key)
        #expect(FileManager.default.fileExists(atPath: file.path))
    }

    @Test func aWarmUpRequestAlwaysReachesTheServerAndIsNotKept() async throws {
        let home = temporaryHome()
        defer { try? FileManager.default.removeItem(at: home.root) }
        let server = try StubHTTPServer([.json(openAIReply("a")), .json(openAIReply("b")), .json(openAIReply("c"))])
        defer { server.stop() }
        let name = "openai-compatible:stub@\(server.baseURL.absoluteString)/v1"
        let configuration = try LLMConfiguration(home: home, environment: [:], cacheMode: .readWrite, retry: fastRetry)
        let plain = ChatRequest(messages: [.system("s"), .user("the task context")], maxTokens: 1)
        var warm = plain
        warm.bypassesResponseCache = true
        // Recorded by an earlier run, the same request would otherwise be answered from the cache.
        #expect(!(try await configuration.makeClient(named: name).complete(plain)).fromCache)
        #expect(!(try await configuration.makeClient(named: name).complete(warm)).fromCache)
        #expect(!(try await configuration.makeClient(named: name).complete(warm)).fromCache)
        #expect(server.requests.count == 3)
        // The flag is not part of the key: the ordinary request still finds its recorded reply.
        #expect(ResponseCache.key(for: warm, model: try ModelRef(parsing: name)) == ResponseCache.key(for: plain, model: try ModelRef(parsing: name)))
        let again = try await configuration.makeClient(named: name).complete(plain)
        #expect(again.fromCache && again.text == "a")
    }

    @Test func aReplyFromTheResponseCacheLeavesTheSlotAsItWas() async throws {
        let home = temporaryHome()
        defer { try? FileManager.default.removeItem(at: home.root) }
        let server = try StubHTTPServer([.json(openAIReply("first")), .json(openAIReply("second"))])
        defer { server.stop() }
        let name = "openai-compatible:stub@\(server.baseURL.absoluteString)/v1"
        let configuration = try LLMConfiguration(home: home, environment: [:], cacheMode: .readWrite, retry: fastRetry)
        let request = ChatRequest(messages: [.user("the task context")], maxTokens: 4)
        // Slot states are saved to a server that is not there: the held text is what is checked.
        let slots = SlotStateCache(root: URL(string: "http://127.0.0.1:9")!, folder: home.root, slots: 1)
        let client = SlotCachingClient(try configuration.makeClient(named: name), cache: slots)
        let asked = try await client.complete(request)
        #expect(!asked.fromCache)
        #expect(await slots.heldText(slot: 0) == SlotStateCache.text(of: request.messages) + "first")
        let other = ChatRequest(messages: [.user("another prompt")], maxTokens: 4)
        _ = try await client.complete(other)
        let cached = try await client.complete(request)
        #expect(cached.fromCache && cached.text == "first")
        // The server never saw the cached request, so the slot still holds the other prompt.
        #expect(await slots.heldText(slot: 0) == SlotStateCache.text(of: other.messages) + "second")
        #expect(server.requests.count == 2)
    }

    @Test func replayOnlyMissNeverTouchesTheNetwork() async throws {
        let home = temporaryHome()
        defer { try? FileManager.default.removeItem(at: home.root) }
        let server = try StubHTTPServer([.json(openAIReply("should not be asked"))])
        let replay = try LLMConfiguration(home: home, environment: [:], cacheMode: .replayOnly)
        // No key and no local server are needed in replay-only mode.
        for name in ["openai-compatible:stub@\(server.baseURL.absoluteString)/v1", "openai:gpt-4.1", "local:qwen2.5-coder-0.5b"] {
            await #expect {
                try await replay.makeClient(named: name).chat("never recorded")
            } throws: { error in
                (error as? LLMError)?.code == .cacheMiss && "\(error)".contains("read-write")
            }
        }
        #expect(server.requests.isEmpty)
    }

    @Test func keyCoversModelMessagesAndParameters() throws {
        let model = ModelRef(provider: .openai, name: "gpt-4.1")
        let base = ChatRequest(messages: [.user("a")], temperature: 0, maxTokens: 10)
        let key = ResponseCache.key(for: base, model: model)
        #expect(key.count == 64)
        var timeoutOnly = base
        timeoutOnly.timeout = 1
        #expect(ResponseCache.key(for: timeoutOnly, model: model) == key)
        var variants: [ChatRequest] = []
        var changed = base; changed.temperature = 0.5; variants.append(changed)
        changed = base; changed.maxTokens = 11; variants.append(changed)
        changed = base; changed.messages = [.system("a")]; variants.append(changed)
        changed = base; changed.seed = 1; variants.append(changed)
        changed = base; changed.responseFormat = .jsonSchema(name: "x", schema: ["type": "object"]); variants.append(changed)
        for variant in variants { #expect(ResponseCache.key(for: variant, model: model) != key) }
        #expect(ResponseCache.key(for: base, model: ModelRef(provider: .anthropic, name: "gpt-4.1")) != key)
        #expect(ResponseCache.key(for: base, model: ModelRef(provider: .openai, name: "gpt-4o")) != key)
    }

    @Test func offModeNeitherReadsNorWrites() async throws {
        let home = temporaryHome()
        defer { try? FileManager.default.removeItem(at: home.root) }
        let server = try StubHTTPServer([.json(openAIReply("fresh"))])
        let configuration = try LLMConfiguration(home: home, environment: [:], cacheMode: .off)
        let client = try configuration.makeClient(named: "openai-compatible:stub@\(server.baseURL.absoluteString)/v1")
        _ = try await client.chat("x")
        _ = try await client.chat("x")
        #expect(server.requests.count == 2)
        #expect(!FileManager.default.fileExists(atPath: home.cache.appendingPathComponent("llm").path))
    }
}

@Suite struct AccountingTests {
    @Test func pricesMatchExactlyByPrefixAndBySnapshot() throws {
        let table = try PriceTable.load()
        #expect(table.price(for: ModelRef(provider: .openai, name: "gpt-4.1")) == .init(input: 2, output: 8))
        #expect(table.price(for: ModelRef(provider: .anthropic, name: "claude-sonnet-4-5-20250929")) == .init(input: 3, output: 15))
        #expect(table.price(for: ModelRef(provider: .local, name: "anything")) == .init(input: 0, output: 0))
        #expect(table.price(for: ModelRef(provider: .openai, name: "unknown-model")) == nil)
        let cost = table.cost(of: TokenUsage(promptTokens: 1_000_000, completionTokens: 500_000), model: ModelRef(provider: .openai, name: "gpt-4.1"))
        #expect(cost == 6)
    }

    @Test func userFileOverridesAndBadFileIsExplained() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prices-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("prices.json")
        try #"{"prices": {"openai:gpt-4.1": {"input": 1, "output": 2}, "openai:my-finetune": {"input": 5, "output": 6}}}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let table = try PriceTable.load(override: file)
        #expect(table.price(for: ModelRef(provider: .openai, name: "gpt-4.1")) == .init(input: 1, output: 2))
        #expect(table.price(for: ModelRef(provider: .openai, name: "my-finetune")) == .init(input: 5, output: 6))
        #expect(table.price(for: ModelRef(provider: .gemini, name: "gemini-2.5-pro")) != nil)
        try #"{"prices": {"openai:gpt-4.1": {"input": "cheap"}}}"#.write(to: file, atomically: true, encoding: .utf8)
        #expect {
            try PriceTable.load(override: file)
        } throws: { error in
            "\(error)".contains(file.path)
        }
    }

    @Test func ledgerTotalsCallsTokensCostAndCacheHits() async throws {
        let ledger = UsageLedger(prices: try PriceTable.load())
        let gpt = ModelRef(provider: .openai, name: "gpt-4.1")
        let mystery = ModelRef(provider: .openai, name: "mystery")
        await ledger.record(ChatResponse(text: "a", model: "m", usage: TokenUsage(promptTokens: 1000, completionTokens: 100), latency: 1), model: gpt, role: "coder")
        await ledger.record(ChatResponse(text: "b", model: "m", usage: TokenUsage(promptTokens: 1000, completionTokens: 100), latency: 0.01, fromCache: true), model: gpt)
        await ledger.record(ChatResponse(text: "c", model: "m", usage: TokenUsage(promptTokens: 5, completionTokens: 5), latency: 2), model: mystery)
        let totals = await ledger.totals
        #expect(totals.calls == 3)
        #expect(totals.cacheHits == 1)
        #expect(totals.usage == TokenUsage(promptTokens: 1005, completionTokens: 105))
        #expect(totals.cachedUsage == TokenUsage(promptTokens: 1000, completionTokens: 100))
        #expect(abs(totals.cost - (1000 * 2 + 100 * 8) / 1_000_000.0) < 1e-12)
        #expect(totals.unpricedCalls == 1)
        #expect(abs(totals.latency - 3.01) < 1e-9)
        #expect(await ledger.totalsByModel["openai:gpt-4.1"]?.calls == 2)
        #expect(await ledger.records.first?.role == "coder")
    }
}
