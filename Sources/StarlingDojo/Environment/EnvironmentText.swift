import Foundation
import StarlingRuntime

/// What an environment says to the agent in words: the pieces of `Resources/prompts/environment.md`
/// (overridable through ``PromptFiles`` like every prompt), with the script contract's names
/// filled from ``ScriptWorkspace``.
enum EnvironmentText {
    /// The sections, read once. The file ships inside the module, so a missing one is a broken
    /// build: that stops the server with the file's name rather than sending empty text.
    static let pieces: [String: String] = {
        let files = PromptFiles(bundled: PromptFiles.folder(in: Bundle.module, "Resources/prompts"))
        do {
            return try files.sections("environment", required: ["task", "workspace", "actions", "scoring", "no_submission"])
        } catch {
            fatalError("\(error)")
        }
    }()

    /// One piece with its placeholders filled.
    static func piece(_ name: String, _ values: [String: String] = [:]) -> String {
        let contract = ["input": ScriptWorkspace.Name.input, "submission": ScriptWorkspace.Name.submissionPath]
        return PromptFiles.fill(pieces[name] ?? "", values.merging(contract) { own, _ in own })
    }
}
