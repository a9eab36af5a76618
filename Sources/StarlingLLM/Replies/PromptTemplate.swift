import Foundation

/// A prompt kept as a Markdown resource (`Resources/Prompts/NAME.md`) with `{{placeholders}}`,
/// so a user can read and edit what Starling says to models.
package struct PromptTemplate: Sendable, Hashable {
    /// The template text.
    package var text: String

    /// Creates a template from text.
    ///
    /// - Parameter text: Text with `{{name}}` placeholders.
    package init(text: String) {
        self.text = text
    }

    /// Loads a bundled template.
    ///
    /// - Parameter name: The file name without `.md`.
    /// - Returns: The template, or an empty one if the resource is missing.
    package static func named(_ name: String) -> PromptTemplate {
        let url = Bundle.module.url(forResource: name, withExtension: "md", subdirectory: "Resources/Prompts")
            ?? Bundle.module.url(forResource: name, withExtension: "md", subdirectory: "Prompts")
        let text = url.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? ""
        return PromptTemplate(text: text.trimmingCharacters(in: .newlines))
    }

    /// The text with each `{{key}}` replaced by its value.
    ///
    /// - Parameter values: Values by placeholder name.
    /// - Returns: The filled text.
    package func render(_ values: [String: String]) -> String {
        values.reduce(text) { $0.replacingOccurrences(of: "{{\($1.key)}}", with: $1.value) }
    }

    /// Asks for JSON matching a schema.
    static let jsonInstructions = named("json-instructions")
    /// Asks again after a JSON reply failed to decode.
    static let jsonRepair = named("json-repair")
    /// Asks again after a code reply failed to extract or parse.
    static let codeRepair = named("code-repair")
}
