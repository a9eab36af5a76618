/// One node of the hierarchical code tree: a package, module, class, function or method.
public struct CodeEntity: Sendable, Hashable, Codable {
    /// What kind of definition it is.
    public enum Kind: String, Sendable, Hashable, Codable {
        case package, module, `class`, function, method
    }

    /// Unique id: the dotted module name for packages and modules, `module:Qual.name` for the rest.
    public var id: String
    public var kind: Kind
    /// The short name.
    public var name: String
    /// The dotted module it lives in (itself for a module).
    public var module: String
    /// File path relative to the repository root.
    public var path: String
    public var line: Int
    public var endLine: Int
    /// First paragraph of its docstring.
    public var doc: String
    /// `name(params) -> returns` for functions and methods; `Name(Base, …)` for classes.
    public var signature: String?
    /// The containing entity's id (`nil` for top-level packages and modules).
    public var parent: String?
    /// Contained entities' ids, in source order.
    public var children: [String]

    /// The dotted form (`pkg.mod.Class.method`) used for lookups and display.
    public var dotted: String { id.replacingOccurrences(of: ":", with: ".") }

    /// Lines of source it spans.
    public var lineCount: Int { max(1, endLine - line + 1) }
}
