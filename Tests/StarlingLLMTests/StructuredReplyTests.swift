import Foundation
import Testing
@testable import StarlingLLM

@Suite struct StructuredReplyTests {
    struct Verdict: Codable, Sendable {
        var bug: Bool
        var summary: String
    }

    static let schema = JSONSchema.object(["bug": JSONSchema.boolean(), "summary": JSONSchema.string(maxLength: 200)])

    @Test func decodesAndPutsTheSchemaInPromptAndFormat() async throws {
        let client = ScriptedClient(["```json\n{\"bug\": true, \"summary\": \"KeyError\"}\n```"])
        let reply = try await client.structured(Verdict.self, request: ChatRequest(messages: [.user("Review.")]),
                                                schemaName: "verdict", schema: Self.schema)
        #expect(reply.value.bug)
        #expect(reply.value.summary == "KeyError")
        #expect(!reply.wasRepaired)
        let sent = try #require(client.requests.first)
        #expect(sent.responseFormat == .jsonSchema(name: "verdict", schema: Self.schema))
        #expect(sent.messages.last?.content.contains("\"maxLength\":200") == true)
        #expect(sent.messages.last?.content.hasPrefix("Review.\n\nReply with one JSON object") == true)
    }

    @Test func oneRepairQuotesTheParseError() async throws {
        let client = ScriptedClient([#"{"bug": "yes"}"#, #"{"bug": false, "summary": "fine"}"#])
        let reply = try await client.structured(Verdict.self, request: ChatRequest(messages: [.user("Review.")]), schema: Self.schema)
        #expect(reply.wasRepaired)
        #expect(reply.value.summary == "fine")
        let repair = try #require(client.requests.last)
        #expect(repair.messages.dropLast().last == .assistant(#"{"bug": "yes"}"#))
        #expect(repair.messages.last?.content.contains("'bug'") == true)
        #expect(repair.messages.last?.content.contains("{{") == false)
    }

    @Test func failureAfterRepairIsAReplyError() async {
        let client = ScriptedClient(["nope", "still nope"])
        await #expect {
            try await client.structured(Verdict.self, request: ChatRequest(messages: [.user("Review.")]), schema: Self.schema)
        } throws: { error in
            (error as? ReplyError)?.kind == .json
        }
        #expect(client.requests.count == 2)
    }
}
