import Foundation
import StarlingRuntime

// The local LLM lands with the LLM layer; until then set-up and doctor say so plainly.

func setupLocalLLM(home: StarlingHome, log: @Sendable (String) -> Void) async throws {
    log("the local LLM installer is not part of this build yet; skipping --llm")
}

func localLLMChecks(home: StarlingHome) async -> [HealthCheck] {
    []
}
