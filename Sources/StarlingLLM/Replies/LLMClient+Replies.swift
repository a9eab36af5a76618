import Foundation
import StarlingCore

extension LLMClient {
    /// Asks for a JSON reply and decodes it into `T`, without tool calling.
    ///
    /// The schema is given in the prompt and, where the provider supports it, as a
    /// `response_format` that constrains decoding. The JSON is taken from the whole reply, a
    /// fenced block or the first balanced object. If it does not decode, one repair request per
    /// `maxRepairs` quotes the error and asks again.
    ///
    /// - Parameters:
    ///   - type: The type to decode.
    ///   - request: The conversation; its `responseFormat` is replaced.
    ///   - schemaName: A short name for the schema (letters, digits, `_`).
    ///   - schema: The JSON schema of `T`; build one with ``JSONSchema``.
    ///   - maxRepairs: Repair requests allowed after the first reply.
    /// - Returns: The value and the replies it took.
    /// - Throws: ``ReplyError`` when no reply decodes; ``LLMError`` when a call fails.
    package func structured<T: Decodable & Sendable>(
        _ type: T.Type, request: ChatRequest, schemaName: String = "reply", schema: JSONValue,
        maxRepairs: Int = 1
    ) async throws -> StructuredReply<T> {
        var request = request
        request.responseFormat = .jsonSchema(name: schemaName, schema: schema)
        let schemaText = String(decoding: schema.canonicalData(), as: UTF8.self)
        request.messages = Self.appendingToLastUser(request.messages, PromptTemplate.jsonInstructions.render(["schema": schemaText]))
        var responses: [ChatResponse] = []
        while true {
            let response = try await complete(request)
            responses.append(response)
            do {
                let value = try JSONExtractor.decode(T.self, from: response.text)
                return StructuredReply(value: value, responses: responses)
            } catch let error as ReplyError {
                guard responses.count <= maxRepairs else { throw error }
                let cut = response.wasTruncated ? " It was cut off by the token limit: keep every string short." : ""
                request.messages += [
                    .assistant(response.text),
                    .user(PromptTemplate.jsonRepair.render(["error": error.message, "truncated": cut])),
                ]
            }
        }
    }

    /// Asks for a Python script and returns it once it is extracted and known to parse.
    ///
    /// If extraction or the syntax check fails, one repair request per `maxRepairs` quotes the
    /// error and asks for the whole script again.
    ///
    /// - Parameters:
    ///   - request: The conversation asking for code.
    ///   - checker: The syntax checker (its interpreter should be the one that will run the code).
    ///   - maxRepairs: Repair requests allowed after the first reply.
    /// - Returns: The code and the replies it took.
    /// - Throws: ``ReplyError`` when no reply yields parseable code; ``LLMError`` when a call fails.
    package func pythonCode(request: ChatRequest, checker: PythonSyntaxChecker = PythonSyntaxChecker(),
                           maxRepairs: Int = 1) async throws -> StructuredReply<String> {
        var request = request
        var responses: [ChatResponse] = []
        while true {
            let response = try await complete(request)
            responses.append(response)
            do {
                let code = try PythonCodeExtractor.extract(from: response.text)
                try await checker.check(code)
                return StructuredReply(value: code, responses: responses)
            } catch let error as ReplyError {
                guard responses.count <= maxRepairs else { throw error }
                request.messages += [
                    .assistant(response.text),
                    .user(PromptTemplate.codeRepair.render(["error": error.message])),
                ]
            }
        }
    }

    static func appendingToLastUser(_ messages: [ChatMessage], _ text: String) -> [ChatMessage] {
        var messages = messages
        if let index = messages.lastIndex(where: { $0.role == .user }) {
            messages[index].content += "\n\n" + text
        } else {
            messages.append(.user(text))
        }
        return messages
    }
}
