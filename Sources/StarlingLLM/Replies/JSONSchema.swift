import StarlingCore

/// Builders for the JSON schemas of structured replies.
///
/// Strings get a `maxLength` by default: constrained decoding then cannot leave a string open
/// when the reply reaches `max_tokens`, which would make the whole reply invalid JSON.
package enum JSONSchema {
    /// The `maxLength` given to strings unless told otherwise.
    package static let defaultMaxLength = 2000

    /// An object whose listed properties are all required and no others allowed.
    ///
    /// - Parameters:
    ///   - properties: Name and schema of each property, in the order the model should write them.
    ///   - description: What the object is.
    /// - Returns: The schema.
    package static func object(_ properties: KeyValuePairs<String, JSONValue>, description: String? = nil) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for (name, schema) in properties { members[name] = schema }
        var schema: [String: JSONValue] = [
            "type": "object",
            "properties": .object(members),
            "required": .array(properties.map { .string($0.key) }),
            "additionalProperties": false,
        ]
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    /// A string of at most `maxLength` characters.
    ///
    /// - Parameters:
    ///   - maxLength: The longest allowed string.
    ///   - description: What the string holds.
    /// - Returns: The schema.
    package static func string(maxLength: Int = defaultMaxLength, description: String? = nil) -> JSONValue {
        described(["type": "string", "maxLength": .number(Double(maxLength))], description)
    }

    /// One of the given strings.
    ///
    /// - Parameters:
    ///   - values: The allowed strings.
    ///   - description: What the choice means.
    /// - Returns: The schema.
    package static func oneOf(_ values: [String], description: String? = nil) -> JSONValue {
        described(["type": "string", "enum": .array(values.map(JSONValue.string))], description)
    }

    /// An integer, optionally bounded.
    ///
    /// - Parameters:
    ///   - minimum: The smallest allowed value.
    ///   - maximum: The largest allowed value.
    ///   - description: What the number means.
    /// - Returns: The schema.
    package static func integer(minimum: Int? = nil, maximum: Int? = nil, description: String? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "integer"]
        if let minimum { schema["minimum"] = .number(Double(minimum)) }
        if let maximum { schema["maximum"] = .number(Double(maximum)) }
        return described(schema, description)
    }

    /// A number.
    ///
    /// - Parameter description: What the number means.
    /// - Returns: The schema.
    package static func number(description: String? = nil) -> JSONValue {
        described(["type": "number"], description)
    }

    /// A boolean.
    ///
    /// - Parameter description: What the flag means.
    /// - Returns: The schema.
    package static func boolean(description: String? = nil) -> JSONValue {
        described(["type": "boolean"], description)
    }

    /// An array of `items`, at most `maxItems` long.
    ///
    /// - Parameters:
    ///   - items: The schema of each element.
    ///   - maxItems: The longest allowed array.
    ///   - description: What the list holds.
    /// - Returns: The schema.
    package static func array(of items: JSONValue, maxItems: Int? = nil, description: String? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "array", "items": items]
        if let maxItems { schema["maxItems"] = .number(Double(maxItems)) }
        return described(schema, description)
    }

    private static func described(_ schema: [String: JSONValue], _ description: String?) -> JSONValue {
        var schema = schema
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    /// `schema` without the given keywords at any depth. Hosted strict modes reject some
    /// keywords (OpenAI's rejects `maxLength`), though local constrained decoding needs them.
    ///
    /// - Parameters:
    ///   - keywords: Keywords to remove, e.g. `["maxLength", "minLength"]`.
    ///   - schema: The schema.
    /// - Returns: The schema without them.
    package static func removing(_ keywords: Set<String>, from schema: JSONValue) -> JSONValue {
        switch schema {
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for (key, value) in members {
                // Inside `properties` the keys are field names, never keywords.
                if key == "properties", case .object(let fields) = value {
                    result[key] = .object(fields.mapValues { removing(keywords, from: $0) })
                } else if !keywords.contains(key) {
                    result[key] = removing(keywords, from: value)
                }
            }
            return .object(result)
        case .array(let items):
            return .array(items.map { removing(keywords, from: $0) })
        default:
            return schema
        }
    }
}
