import Foundation
import StarlingCore

/// Checks trajectory lines against `trajectory.schema.json`, for tests and for
/// `starling export trajectories --check`. Understands the part of JSON Schema the file uses:
/// `type` (one or several), `required`, `properties`, `additionalProperties: false`, `enum`,
/// `minimum`, `maximum`.
package struct TrajectorySchema: Sendable {
    /// The schema document.
    package let document: JSONValue

    /// Loads the bundled schema.
    ///
    /// - Throws: ``DojoError`` when the resource is missing or not JSON.
    package init() throws {
        guard let url = Self.bundledURL, let data = FileManager.default.contents(atPath: url.path) else {
            throw DojoError(.internalError, "trajectory.schema.json is missing from Starling's resources; rebuild with `swift build`")
        }
        document = try JSONValue.parse(data)
    }

    /// The schema file inside the module's resources.
    package static var bundledURL: URL? {
        Bundle.module.url(forResource: "trajectory.schema", withExtension: "json", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "trajectory.schema", withExtension: "json")
    }

    /// Problems of one value against the schema; empty when it conforms.
    ///
    /// - Parameter value: A decoded line.
    /// - Returns: Messages such as `"$.reward: expected number, found a string"`.
    package func problems(in value: JSONValue) -> [String] {
        var found: [String] = []
        check(value, against: document, path: "$", into: &found)
        return found
    }

    /// Problems of every line of a JSON Lines text, each prefixed with its line number.
    ///
    /// - Parameter text: The exported file's contents.
    /// - Returns: Messages; empty when every line conforms.
    package func problems(inLines text: String) -> [String] {
        var found: [String] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            guard let value = try? JSONValue.parse(Data(line.utf8)) else {
                found.append("line \(index + 1): not JSON")
                continue
            }
            found += problems(in: value).map { "line \(index + 1): \($0)" }
        }
        return found
    }

    private func check(_ value: JSONValue, against schema: JSONValue, path: String, into found: inout [String]) {
        if let types = schema["type"] {
            let allowed = types.string.map { [$0] } ?? (types.array ?? []).compactMap(\.string)
            guard allowed.contains(where: { Self.matches(value, type: $0) }) else {
                found.append("\(path): expected \(allowed.joined(separator: " or ")), found \(value.typeName)")
                return
            }
        }
        if let options = schema["enum"]?.array, !options.contains(value) {
            found.append("\(path): \(value) is not one of the allowed values")
        }
        if let number = value.number {
            if let minimum = schema["minimum"]?.number, number < minimum { found.append("\(path): \(number) is below \(minimum)") }
            if let maximum = schema["maximum"]?.number, number > maximum { found.append("\(path): \(number) is above \(maximum)") }
        }
        guard let object = value.object else { return }
        let properties = schema["properties"]?.object ?? [:]
        for key in schema["required"]?.array?.compactMap(\.string) ?? [] where object[key] == nil {
            found.append("\(path): missing required '\(key)'")
        }
        for (key, member) in object.sorted(by: { $0.key < $1.key }) {
            if let rule = properties[key] {
                check(member, against: rule, path: "\(path).\(key)", into: &found)
            } else if schema["additionalProperties"]?.bool == false {
                found.append("\(path): unexpected member '\(key)'")
            }
        }
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array), ("object", .object): true
        case ("integer", .number(let number)): number == number.rounded()
        default: false
        }
    }
}
