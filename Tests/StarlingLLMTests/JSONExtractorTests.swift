import Foundation
import Testing
@testable import StarlingLLM

@Suite struct JSONExtractorTests {
    struct Plan: Codable, Equatable, Sendable {
        var model: String
        var steps: [String]
    }

    @Test func takesBareFencedOrEmbeddedJSON() throws {
        let expected = Plan(model: "lightgbm", steps: ["load", "fit"])
        let replies = [
            #"{"model": "lightgbm", "steps": ["load", "fit"]}"#,
            "Here is the plan:\n```json\n{\"model\": \"lightgbm\", \"steps\": [\"load\", \"fit\"]}\n```\nGood luck.",
            "Sure! {\"model\": \"lightgbm\", \"steps\": [\"load\", \"fit\"]} — that's it.",
            "```\n{\"model\": \"lightgbm\", \"steps\": [\"load\", \"fit\"]}\n```",
        ]
        for reply in replies {
            #expect(try JSONExtractor.decode(Plan.self, from: reply) == expected)
        }
    }

    @Test func bracesInsideStringsDoNotConfuseTheScanner() throws {
        let reply = #"Note {this}: {"model": "a}b{", "steps": ["x]"]} trailing"#
        // The first balanced span is "{this}", which is not JSON; the error must name the problem.
        #expect(JSONExtractor.firstBalanced(in: #"x {"a": "}{", "b": [1]} y"#) == #"{"a": "}{", "b": [1]}"#)
        #expect(throws: ReplyError.self) { try JSONExtractor.decode(Plan.self, from: reply) }
    }

    @Test func errorNamesTheMissingField() {
        #expect {
            try JSONExtractor.decode(Plan.self, from: #"{"model": "x"}"#)
        } throws: { error in
            guard let error = error as? ReplyError else { return false }
            return error.kind == .json && error.message.contains("missing field 'steps'")
        }
        #expect {
            try JSONExtractor.decode(Plan.self, from: "I cannot help with that.")
        } throws: { error in
            (error as? ReplyError)?.message == "no JSON object found in the reply"
        }
    }

    @Test func schemaBuilderBoundsStrings() {
        let schema = JSONSchema.object(["name": JSONSchema.string(), "n": JSONSchema.integer(minimum: 0)])
        #expect(schema["properties"]?["name"]?["maxLength"] == .number(Double(JSONSchema.defaultMaxLength)))
        #expect(schema["required"] == ["name", "n"])
        #expect(schema["additionalProperties"] == false)
        // A field named like a keyword survives; the keyword itself goes, at any depth.
        let nested = JSONSchema.object(["maxLength": JSONSchema.array(of: JSONSchema.string(maxLength: 5))])
        let stripped = JSONSchema.removing(["maxLength"], from: nested)
        #expect(stripped["properties"]?["maxLength"]?["items"] == ["type": "string"])
    }
}
