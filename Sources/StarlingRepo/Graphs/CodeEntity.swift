/// One node of the hierarchical code tree: a package, module, class, function or method.
package struct CodeEntity: Sendable, Hashable, Codable {
    /// What kind of definition it is.
    package enum Kind: String, Sendable, Hashable, Codable {
        case package, module, `class`, function, method
    }

    /// Unique id: the dotted module name for packages and modules, `module:Qual.name` for the rest.
    package var id: String
    package var kind: Kind
    /// The short name.
    package var name: String
    /// The dotted module it lives in (itself for a module).
    package var module: String
    /// File path relative to the repository root.
    package var path: String
    package var line: Int
    package var endLine: Int
    /// First paragraph of its docstring.
    package var doc: String
    /// `name(params) -> returns` for functions and methods; `Name(Base, …)` for classes.
    package var signature: String?
    /// The containing entity's id (`nil` for top-level packages and modules).
    package var parent: String?
    /// Contained entities' ids, in source order.
    package var children: [String]

    /// The dotted form (`pkg.mod.Class.method`) used for lookups and display.
    package var dotted: String { id.replacingOccurrences(of: ":", with: ".") }

    /// Lines of source it spans.
    package var lineCount: Int { max(1, endLine - line + 1) }
}
