/// How the model changes a script (`edit_format` in starling.yaml, `--edit-format`).
///
/// Small models rewrite a working script badly but return one function well: measured with the
/// 1.5B model on a card example, 0 of 4 replies used SEARCH/REPLACE blocks while 4 of 4 complete
/// functions spliced and parsed. So `auto` is `function` for local models and `whole` otherwise.
package enum EditFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// `function` for local models, `whole` for the rest.
    case auto
    /// The reply is the complete new script.
    case whole
    /// The reply is the complete new version of one (or a few) top-level functions, spliced back by name.
    case function
    /// The reply is SEARCH/REPLACE blocks.
    case diff

    /// The format to use for a coder model; `auto` resolved.
    ///
    /// - Parameter localModel: Whether the coder is the embedded local model.
    package func resolved(localModel: Bool) -> EditFormat {
        self == .auto ? (localModel ? .function : .whole) : self
    }
}
