import Foundation
import StarlingRuntime
import StarlingCore

/// JSON coding shared by the providers.
enum Wire {
    static func encode(_ value: JSONValue) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)) ?? Data()
    }

    static func decode(_ response: HTTPResponse, provider: String) throws -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: response.body)
        } catch {
            throw LLMError(.badResponse, "\(provider) sent a reply that is not JSON: "
                + RetryingHTTPClient.abbreviated(response.bodyText, limit: 300))
        }
    }

    static func int(_ value: JSONValue?) -> Int {
        value?.number.map { Int($0) } ?? 0
    }

    /// `base` + `path`, keeping any path the base already has (`http://h/v1` + `chat/completions`).
    static func url(_ base: URL, _ path: String) -> URL {
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return URL(string: text + "/" + path) ?? base.appendingPathComponent(path)
    }

    /// The message of `{"error": {"message": ...}}` (OpenAI, Anthropic, Gemini alike), with its type.
    static func errorMessage(_ response: HTTPResponse) -> String? {
        guard let body = try? JSONDecoder().decode(JSONValue.self, from: response.body) else { return nil }
        let error = body["error"] ?? body
        if let text = error.string { return text }
        guard let message = error["message"]?.string else { return nil }
        let kind = error["type"]?.string ?? error["status"]?.string
        return kind.map { "\($0): \(message)" } ?? message
    }
}
