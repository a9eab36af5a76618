import Foundation
import Testing
@testable import StarlingLLM

@Suite struct ModelRefTests {
    @Test func parsesEveryProvider() throws {
        #expect(try ModelRef(parsing: "local:qwen2.5-coder-0.5b") == ModelRef(provider: .local, name: "qwen2.5-coder-0.5b"))
        #expect(try ModelRef(parsing: "openai:gpt-4.1") == ModelRef(provider: .openai, name: "gpt-4.1"))
        #expect(try ModelRef(parsing: "anthropic:claude-sonnet-4-5").provider == .anthropic)
        #expect(try ModelRef(parsing: "gemini:gemini-2.5-flash").name == "gemini-2.5-flash")
        let compatible = try ModelRef(parsing: "openai-compatible:llama3.1:8b@http://127.0.0.1:11434/v1")
        #expect(compatible.provider == .openaiCompatible)
        #expect(compatible.name == "llama3.1:8b")
        #expect(compatible.baseURL?.absoluteString == "http://127.0.0.1:11434/v1")
        #expect(try ModelRef(parsing: compatible.description) == compatible)
    }

    @Test func rejectsBadNamesSayingWhatToWrite() {
        for bad in ["gpt-4.1", "mystery:model", "openai:", "openai-compatible:name", "openai-compatible:@http://h:1/v1"] {
            #expect {
                try ModelRef(parsing: bad)
            } throws: { error in
                (error as? LLMError)?.code == .invalidModelName && "\(error)".contains("'")
            }
        }
    }

    @Test func keysAreNeverPrinted() throws {
        let configuration = try LLMConfiguration(environment: ["OPENAI_API_KEY": "sk-secret-123", "ANTHROPIC_API_KEY": "ant-secret-456"])
        let openai = try configuration.makeClient(named: "openai:gpt-4.1")
        let anthropic = try configuration.makeClient(named: "anthropic:claude-sonnet-4-5")
        let printed = "\(openai) \(anthropic) \(String(reflecting: openai))"
        #expect(!printed.contains("sk-secret-123"))
        #expect(!printed.contains("ant-secret-456"))
        #expect(printed.contains("redacted"))
    }

    @Test func missingKeyNamesTheVariable() throws {
        let configuration = try LLMConfiguration(environment: [:])
        #expect {
            try configuration.makeClient(named: "gemini:gemini-2.5-flash")
        } throws: { error in
            (error as? LLMError)?.code == .missingKey && "\(error)".contains("GEMINI_API_KEY")
        }
    }
}
