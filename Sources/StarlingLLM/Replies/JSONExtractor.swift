import Foundation

/// Finds the JSON value in a model's reply: the whole reply, a fenced block, or the first
/// balanced `{...}` or `[...]` in the text, so small models that wrap JSON in prose still work.
package enum JSONExtractor {
    /// Candidate JSON texts in the order they should be tried.
    ///
    /// - Parameter reply: The reply text.
    /// - Returns: Distinct candidates, most likely first.
    package static func candidates(in reply: String) -> [String] {
        var result: [String] = []
        func add(_ text: String) {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty, !result.contains(trimmed) { result.append(trimmed) }
        }
        let whole = reply.trimmingCharacters(in: .whitespacesAndNewlines)
        if whole.hasPrefix("{") || whole.hasPrefix("[") { add(whole) }
        let blocks = MarkdownBlock.all(in: reply)
        for block in blocks where block.language == "json" || block.language == "jsonc" { add(block.code) }
        for block in blocks where block.language != "json" { add(block.code) }
        if let balanced = firstBalanced(in: reply) { add(balanced) }
        return result.filter { $0.hasPrefix("{") || $0.hasPrefix("[") }
    }

    /// Decodes the first candidate that decodes as `T`.
    ///
    /// - Parameters:
    ///   - type: The type to decode.
    ///   - reply: The reply text.
    ///   - decoder: The decoder to use.
    /// - Returns: The decoded value.
    /// - Throws: ``ReplyError`` naming the first decoding problem, with its field path.
    package static func decode<T: Decodable>(_ type: T.Type, from reply: String,
                                            decoder: JSONDecoder = JSONDecoder()) throws -> T {
        let candidates = candidates(in: reply)
        guard !candidates.isEmpty else {
            throw ReplyError(.json, "no JSON object found in the reply", reply: reply)
        }
        var firstError: ReplyError?
        for candidate in candidates {
            do {
                return try decoder.decode(T.self, from: Data(candidate.utf8))
            } catch {
                if firstError == nil { firstError = ReplyError(.json, describe(error), reply: reply) }
            }
        }
        throw firstError!
    }

    /// A readable sentence for a `DecodingError`: which field, what was wrong.
    static func describe(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the top level" : String(text.drop(while: { $0 == "." }))
        }
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field '\(path(context.codingPath + [key]))'"
        case .typeMismatch(let type, let context):
            return "field '\(path(context.codingPath))' should be \(type)"
        case .valueNotFound(let type, let context):
            return "field '\(path(context.codingPath))' is null but should be \(type)"
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return "invalid JSON at \(path(context.codingPath)): \(underlying ?? context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// The first balanced object or array, skipping brackets inside strings.
    static func firstBalanced(in text: String) -> String? {
        let characters = Array(text)
        guard let start = characters.firstIndex(where: { $0 == "{" || $0 == "[" }) else { return nil }
        var stack: [Character] = []
        var inString = false
        var escaped = false
        for index in start..<characters.count {
            let character = characters[index]
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            switch character {
            case "\"": inString = true
            case "{": stack.append("}")
            case "[": stack.append("]")
            case "}", "]":
                guard stack.last == character else { return nil }
                stack.removeLast()
                if stack.isEmpty { return String(characters[start...index]) }
            default: break
            }
        }
        return nil
    }
}
