import Foundation

/// A JSON value: what action parameters, observation contents and history records hold when
/// their shape depends on the action.
public enum DojoJSON: Sendable, Hashable, Codable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number (JSON has one kind).
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([DojoJSON])
    /// An object.
    case object([String: DojoJSON])

    /// Parses JSON text.
    ///
    /// - Parameter data: UTF-8 JSON.
    /// - Returns: The value.
    /// - Throws: `DecodingError` when the text is not JSON.
    public static func parse(_ data: Data) throws -> DojoJSON {
        try JSONDecoder().decode(DojoJSON.self, from: data)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([DojoJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: DojoJSON].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value.isFinite { try container.encode(value) } else { try container.encodeNil() }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The text of a string value.
    public var string: String? { if case .string(let value) = self { value } else { nil } }
    /// The number of a number value.
    public var number: Double? { if case .number(let value) = self { value } else { nil } }
    /// The flag of a boolean value.
    public var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    /// The members of an object value.
    public var object: [String: DojoJSON]? { if case .object(let value) = self { value } else { nil } }
    /// Whether this is `null`.
    public var isNull: Bool { self == .null }

    /// A member of an object value.
    public subscript(key: String) -> DojoJSON? { object?[key] }

    /// A number, or `null` for `nil` and non-finite values.
    public static func number(_ value: Double?) -> DojoJSON {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    /// The JSON type's name, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
