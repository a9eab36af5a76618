import Foundation
import StarlingLLM
import StarlingRunFolder
import StarlingRuntime

/// How runs (and bench cells) start the local server: two slots of up to 8,192 tokens each (two
/// conversations in flight keep their own cached prompts), every core for generation and for
/// prompt processing, and n-gram speculative decoding (`ngram-mod`). Every caller must agree, or
/// a shared server restarts. Measured on this project's 2-core machines with the 1.5B model
/// (a real edit request of a run and a short one, quiet machine): `-t 1` generated 4.4–6.1 tokens/s,
/// `-t 2` 11.4–12.0; `ngram-mod` 5.0 against 4.4 without it on the edit request, 6.3 against 6.1
/// on a short one. With edits, calls and script runs mostly alternate, so generation gets the
/// cores. `STARLING_LLM_THREADS`, `STARLING_LLM_BATCH_THREADS` and `STARLING_LLM_SPEC` (a
/// `--spec-type` value, or `none`) override the policy, for `bench/server_policy.py`.
package enum LocalServerPolicy {
    /// The server options for `model` under `settings`, with the environment's overrides.
    ///
    /// The server saves and restores slot states in ``slotFolder(in:)`` (``SlotStateCache``).
    package static func options(for model: LocalModel, settings: AgentSettings, home: StarlingHome = .resolve(),
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> LlamaServerOptions {
        let threads = environment["STARLING_LLM_THREADS"].flatMap(Int.init) ?? settings.totalCores
        let batch = environment["STARLING_LLM_BATCH_THREADS"].flatMap(Int.init) ?? settings.totalCores
        let spec = environment["STARLING_LLM_SPEC"] ?? "ngram-mod"
        let folder = slotFolder(in: home)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return LlamaServerOptions(contextSize: 2 * min(model.contextLength, 8192), threads: max(1, threads),
                                  extraArguments: ["--slot-save-path", folder.path],
                                  speculative: spec == "none" || spec.isEmpty ? nil : spec, batchThreads: max(1, batch), slots: 2)
    }

    /// Where the local server saves slot states: `<home>/llm/slots`.
    package static func slotFolder(in home: StarlingHome) -> URL {
        home.llm.appendingPathComponent("slots")
    }

    /// Whether runs keep the server's slot states (``SlotStateCache``); `STARLING_LLM_SLOT_CACHE=0`
    /// leaves slot choice to the server, for side-by-side benches.
    package static func cachesSlotStates(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        environment["STARLING_LLM_SLOT_CACHE"] != "0"
    }

    /// Whether runs keep the task-context warm-up's slot state for later runs of the task
    /// (``KeptSlotStates``); `STARLING_LLM_KEEP_PROMPTS=0` makes every run process it afresh, for
    /// side-by-side benches of cold runs.
    package static func keepsPromptStates(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        environment["STARLING_LLM_KEEP_PROMPTS"] != "0"
    }

    /// Whether a run sends the local server one request at a time (``RequestGate``). On two
    /// cores two requests in flight share the cores and each crawls (a wa-churn run's merge phase:
    /// 36 s per call, one 172-token reply 126 s) while the calls of the same run one after another
    /// took 30 s; the waiting branch's script runs meanwhile. `STARLING_LLM_ONE_AT_A_TIME=0` sends
    /// them as they come (the server's two slots), for side-by-side benches.
    package static func oneRequestAtATime(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        environment["STARLING_LLM_ONE_AT_A_TIME"] != "0"
    }
}
