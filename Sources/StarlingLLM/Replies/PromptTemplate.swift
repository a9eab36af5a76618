import Foundation
import StarlingRuntime

/// The LLM layer's own prompts (`Resources/Prompts/NAME.md` of this module, overridable like
/// every prompt through ``PromptFiles``), with `{{placeholders}}`.
package struct PromptTemplate: Sendable, Hashable {
    /// The template text.
    package var text: String

    /// Loads one of this module's prompts. Its files ship inside the module, so a missing one
    /// means a broken build: that stops Starling with the file's name rather than sending a
    /// model an empty instruction.
    ///
    /// - Parameter name: The file name without `.md`.
    package static func named(_ name: String) -> PromptTemplate {
        let files = PromptFiles(bundled: PromptFiles.folder(in: Bundle.module, "Resources/Prompts"))
        do {
            return PromptTemplate(text: try files.text(name).trimmingCharacters(in: .newlines))
        } catch {
            fatalError("\(error)")
        }
    }

    /// The text with each `{{key}}` replaced by its value.
    ///
    /// - Parameter values: Values by placeholder name.
    /// - Returns: The filled text.
    package func render(_ values: [String: String]) -> String {
        PromptFiles.fill(text, values)
    }

    /// Asks for JSON matching a schema.
    static let jsonInstructions = named("json-instructions")
    /// Asks again after a JSON reply failed to decode.
    static let jsonRepair = named("json-repair")
    /// Asks again after a code reply failed to extract or parse.
    static let codeRepair = named("code-repair")
}
