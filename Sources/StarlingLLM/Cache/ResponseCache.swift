import Crypto
import Foundation
import StarlingCore

/// Model replies stored as JSON files, one per request, under a folder (by default the home's
/// `cache/llm`), keyed by the SHA-256 of provider, model, messages and parameters.
package struct ResponseCache: Sendable {
    /// The folder holding the entries.
    package var folder: URL
    /// How the cache is used.
    package var mode: CacheMode

    /// One stored reply and what it answered.
    package struct Entry: Sendable, Codable, Hashable {
        /// The key: hex SHA-256.
        package var key: String
        /// `provider:model`.
        package var model: String
        /// The request it answered.
        package var request: ChatRequest
        /// The reply.
        package var response: ChatResponse
        /// When it was recorded.
        package var recordedAt: Date
    }

    /// The cache key of a request to a model: hex SHA-256 over canonical JSON of the provider,
    /// the model name, the messages and every sampling parameter (not the timeout, and not the
    /// server URL, which changes each time a local server starts).
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - model: The model.
    /// - Returns: 64 hex digits.
    package static func key(for request: ChatRequest, model: ModelRef) -> String {
        var format: JSONValue = "text"
        if case .jsonSchema(let name, let schema) = request.responseFormat {
            format = ["name": .string(name), "schema": schema]
        }
        let material: JSONValue = [
            "v": 1,
            "provider": .string(model.provider.rawValue),
            "model": .string(model.name),
            "messages": .array(request.messages.map { ["role": .string($0.role.rawValue), "content": .string($0.content)] }),
            "temperature": request.temperature.map(JSONValue.number) ?? .null,
            "max_tokens": .number(Double(request.maxTokens)),
            "stop": .array(request.stop.map(JSONValue.string)),
            "seed": request.seed.map { .number(Double($0)) } ?? .null,
            "format": format,
        ]
        return SHA256.hash(data: material.canonicalData()).map { String(format: "%02x", $0) }.joined()
    }

    /// The file of an entry: `<folder>/<first two hex digits>/<key>.json`.
    ///
    /// - Parameter key: The entry's key.
    /// - Returns: The file's URL.
    package func file(for key: String) -> URL {
        folder.appendingPathComponent(String(key.prefix(2))).appendingPathComponent("\(key).json")
    }

    /// The stored entry for a key, or `nil`.
    ///
    /// - Parameter key: The key.
    /// - Returns: The entry, or `nil` when absent or unreadable.
    package func lookup(_ key: String) -> Entry? {
        guard let data = try? Data(contentsOf: file(for: key)) else { return nil }
        return try? Self.decoder.decode(Entry.self, from: data)
    }

    /// Stores an entry, replacing any with the same key. Written to a temporary file and
    /// renamed, so concurrent writers never leave half a file.
    ///
    /// - Parameter entry: The entry.
    /// - Throws: A file-system error when the folder cannot be written.
    package func store(_ entry: Entry) throws {
        let target = file(for: entry.key)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(entry.key).\(UUID().uuidString).tmp")
        try Self.encoder.encode(entry).write(to: temporary)
        if FileManager.default.fileExists(atPath: target.path) { try? FileManager.default.removeItem(at: target) }
        try FileManager.default.moveItem(at: temporary, to: target)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
