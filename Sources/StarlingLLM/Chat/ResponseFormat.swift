import StarlingCore

/// The shape a reply must take.
package enum ResponseFormat: Sendable, Hashable, Codable {
    /// Free text (the default).
    case text
    /// A JSON value that matches `schema`. Providers that support constrained decoding get the
    /// schema on the wire; the others get it in the prompt and the reply is extracted and checked.
    case jsonSchema(name: String, schema: JSONValue)
}
