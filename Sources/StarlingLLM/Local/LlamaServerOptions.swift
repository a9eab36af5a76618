import Foundation

/// How to start `llama-server`.
package struct LlamaServerOptions: Sendable, Hashable, Codable {
    /// Context size in tokens (`-c`), shared by prompt and reply.
    package var contextSize: Int
    /// Generation threads (`-t`).
    package var threads: Int
    /// The port; `nil` picks a free one.
    package var port: Int?
    /// Seconds to wait for `/health` to answer ok after start (the model loads meanwhile).
    package var healthTimeout: TimeInterval
    /// More arguments, passed last.
    package var extraArguments: [String]
    /// Parallel slots (`-np`), each with its own prompt cache and `contextSize / slots` tokens.
    /// Two conversations in flight (two candidates, say) then keep their own cached prefixes
    /// instead of evicting each other's on every turn.
    package var slots: Int = 1
    /// Threads for prompt processing (`-tb`); `nil` means the generation threads. Prompt
    /// processing is short bursts of dense work, so it may use cores that generation leaves to
    /// scripts: with the 1.5B model on 2 quiet cores `-tb 2` read 142 prompt tokens/s against 73.
    package var batchThreads: Int?
    /// Speculative decoding (`--spec-type`), e.g. `ngram-mod`; `nil` for none. N-gram drafts come
    /// from the prompt itself, which code edits repeat a lot: with the 1.5B model at `-t 1`
    /// generation went from 16 to 31 tokens/s with `ngram-mod`.
    package var speculative: String?

    /// Creates options.
    ///
    /// - Parameters:
    ///   - contextSize: Context size in tokens.
    ///   - threads: Generation threads; by default from ``threads(forCoreBudget:)`` with the
    ///     machine's default budget.
    ///   - port: A fixed port, or `nil` for a free one.
    ///   - healthTimeout: Seconds to wait for the server to become healthy.
    ///   - extraArguments: More arguments.
    package init(contextSize: Int = 8192, threads: Int? = nil, port: Int? = nil, healthTimeout: TimeInterval = 180,
                extraArguments: [String] = [], speculative: String? = nil, batchThreads: Int? = nil, slots: Int = 1) {
        self.contextSize = contextSize
        self.threads = threads ?? Self.threads(forCoreBudget: Self.defaultCoreBudget)
        self.port = port
        self.healthTimeout = healthTimeout
        self.extraArguments = extraArguments
        self.speculative = speculative
        self.batchThreads = batchThreads
        self.slots = slots
    }

    enum CodingKeys: String, CodingKey {
        case contextSize, threads, port, healthTimeout, extraArguments, speculative, batchThreads, slots
    }

    /// Decodes options; state files from before slots were recorded read as one slot.
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        contextSize = try c.decode(Int.self, forKey: .contextSize)
        threads = try c.decode(Int.self, forKey: .threads)
        port = try c.decodeIfPresent(Int.self, forKey: .port)
        healthTimeout = try c.decode(TimeInterval.self, forKey: .healthTimeout)
        extraArguments = try c.decodeIfPresent([String].self, forKey: .extraArguments) ?? []
        speculative = try c.decodeIfPresent(String.self, forKey: .speculative)
        batchThreads = try c.decodeIfPresent(Int.self, forKey: .batchThreads)
        slots = try c.decodeIfPresent(Int.self, forKey: .slots) ?? 1
    }

    /// Cores the server may use when nobody says: one on machines of up to 2 cores (where other
    /// work shares them), half the cores above that.
    package static var defaultCoreBudget: Int {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return cores <= 2 ? 1 : cores / 2
    }

    /// Threads for a core budget. Never more threads than cores granted: on 2 busy cores `-t 1`
    /// held 24 tokens/s with the 1.5B model while `-t 2` fell to 3–6.
    ///
    /// - Parameter coreBudget: Cores the server may use.
    /// - Returns: The thread count, at least 1.
    package static func threads(forCoreBudget coreBudget: Int) -> Int {
        max(1, min(coreBudget, ProcessInfo.processInfo.activeProcessorCount))
    }
}
