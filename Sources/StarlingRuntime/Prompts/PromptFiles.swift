import Foundation

/// Where the text Starling sends to models comes from, in every module: Markdown files bundled
/// with the module (`Resources/prompts/NAME.md`), each overridden by a file of the same name in
/// the folder `STARLING_PROMPTS` names, so a user can read and edit any prompt without
/// rebuilding. Placeholders are `{{name}}`; a file of short pieces has one `## name` section each.
package struct PromptFiles: Sendable {
    /// The module's bundled prompt folder.
    package let bundled: URL?
    /// The user's folder of overrides.
    package let overrides: URL?

    /// Prompt files of a module.
    ///
    /// - Parameters:
    ///   - bundled: The module's bundled folder (see ``folder(in:_:)``).
    ///   - overrides: A folder of `NAME.md` files; `STARLING_PROMPTS` by default.
    package init(bundled: URL?, overrides: URL? = ProcessInfo.processInfo.environment["STARLING_PROMPTS"].map { URL(fileURLWithPath: $0) }) {
        self.bundled = bundled
        self.overrides = overrides
    }

    /// `subdirectory` of a module's resource bundle (`Bundle.module`), where its `.copy("Resources")`
    /// put the files.
    package static func folder(in bundle: Bundle, _ subdirectory: String) -> URL? {
        let path = subdirectory.split(separator: "/").map(String.init)
        guard let name = path.last else { return nil }
        let parent = path.dropLast().joined(separator: "/")
        return bundle.url(forResource: name, withExtension: nil, subdirectory: parent.isEmpty ? nil : parent)
            ?? bundle.bundleURL.appendingPathComponent(subdirectory)
    }

    /// A prompt file's text: the override when there is one, else the bundled file.
    ///
    /// - Throws: ``PromptFileError`` naming the file when neither exists.
    package func text(_ name: String) throws -> String {
        let file = name + ".md"
        if let overrides, let text = try? String(contentsOf: overrides.appendingPathComponent(file), encoding: .utf8) {
            return text
        }
        if let bundled, let text = try? String(contentsOf: bundled.appendingPathComponent(file), encoding: .utf8) {
            return text
        }
        throw PromptFileError(description: "prompt '\(file)' is missing from Starling's resources"
            + (bundled.map { " (\($0.path))" } ?? "") + "; rebuild with `swift build`")
    }

    /// The `## name` sections of a prompt file, each without its surrounding blank lines.
    ///
    /// - Throws: ``PromptFileError`` when the file is missing or lacks one of `required`.
    package func sections(_ name: String, required: [String] = []) throws -> [String: String] {
        let sections = Self.sections(of: try text(name))
        if let missing = required.first(where: { sections[$0] == nil }) {
            throw PromptFileError(description: "\(name).md has no section '## \(missing)'")
        }
        return sections
    }

    /// `text` with each `{{key}}` replaced by its value. Unknown placeholders are left visible,
    /// so a typo in an edited prompt shows up in the journal rather than silently vanishing.
    package static func fill(_ text: String, _ values: [String: String]) -> String {
        values.reduce(text) { $0.replacingOccurrences(of: "{{\($1.key)}}", with: $1.value) }
    }

    /// `## name` sections of Markdown text, each without its surrounding blank lines.
    package static func sections(of text: String) -> [String: String] {
        var sections: [String: String] = [:]
        var name: String?
        var lines: [Substring] = []
        func close() {
            if let name { sections[name] = lines.joined(separator: "\n").trimmingCharacters(in: .newlines) }
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") {
                close()
                name = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
                lines = []
            } else {
                lines.append(line)
            }
        }
        close()
        return sections
    }
}

/// A prompt file is missing or malformed.
package struct PromptFileError: Error, CustomStringConvertible, Sendable {
    package let description: String
}
