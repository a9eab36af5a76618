import Foundation

/// What `repo_scan.py` read from a repository: every parsed Python file with its imports, classes,
/// functions and the calls they make as dotted text, plus what the walk skipped and why. Plain data;
/// ``RepoAnalysis`` turns it into the code tree and the graphs.
public struct RepoScan: Codable, Sendable {
    /// The repository folder, absolute.
    public var root: String
    /// The parsed Python files.
    public var files: [ScannedFile]
    /// Folders and files the walk left out, with the reason.
    public var skipped: [SkippedPath]
    /// Files that are not Python (counted, not read).
    public var otherFiles: Int
    /// The top-level README, when there is one.
    public var readme: Readme?
    /// Console scripts declared in pyproject.toml, setup.cfg or setup.py.
    public var scripts: [DeclaredScript]
    /// The scanning interpreter's builtin names (calls to them are neither resolved nor unresolved).
    public var builtins: [String]
    /// How long the scan took.
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case root, files, skipped, readme, scripts, seconds, builtins
        case otherFiles = "other_files"
    }

    /// A README's path and text.
    public struct Readme: Codable, Sendable {
        public var path: String
        public var text: String
    }

    /// A console script: `name = module:function`.
    public struct DeclaredScript: Codable, Sendable {
        public var name: String
        public var target: String
        /// The file that declares it.
        public var from: String
    }

    /// A path the walk did not parse.
    public struct SkippedPath: Codable, Sendable, Hashable {
        public var path: String
        public var reason: String
    }
}

/// One parsed Python file.
public struct ScannedFile: Codable, Sendable {
    /// Path relative to the repository root.
    public var path: String
    /// Dotted module name from the path (`pkg/sub/__init__.py` → `pkg.sub`).
    public var module: String
    /// Whether it is a package's `__init__.py`.
    public var isPackage: Bool
    public var lines: Int
    public var bytes: Int
    /// The first paragraph of the module docstring.
    public var doc: String
    /// Whether it runs as a program (`if __name__ == "__main__"` or `__main__.py`).
    public var hasMain: Bool
    /// `__all__`, when it is a literal list.
    public var exports: [String]?
    public var imports: [ScannedImport]
    public var classes: [ScannedClass]
    public var functions: [ScannedFunction]
    /// Calls made at module level.
    public var topCalls: [ScannedCall]
    /// Module-level names bound to a call's result (`parser = Parser()` → `parser: Parser`).
    public var topBindings: [String: String]
    /// Module-level calls whose callee is not a name or attribute chain.
    public var topUnparsedCalls: Int

    enum CodingKeys: String, CodingKey {
        case path, module, lines, bytes, doc, exports, imports, classes, functions
        case isPackage = "is_package", hasMain = "has_main", topCalls = "top_calls"
        case topBindings = "top_bindings", topUnparsedCalls = "top_unparsed_calls"
    }
}

/// `import a.b as c` (no names) or `from ..a import b as c` (names, with a relative level).
public struct ScannedImport: Codable, Sendable {
    /// The module as written (without the leading dots of a relative import).
    public var module: String
    /// The names of a `from` import.
    public var names: [Name]
    /// The alias of a plain `import … as …`.
    public var asname: String?
    /// Leading dots of a relative import; 0 for an absolute one.
    public var level: Int
    public var line: Int

    /// An imported name and its alias.
    public struct Name: Codable, Sendable {
        public var name: String
        public var asname: String?
    }
}

/// A class definition.
public struct ScannedClass: Codable, Sendable {
    public var name: String
    /// Dotted name inside its module (`Outer.Inner`).
    public var qualname: String
    public var line: Int
    public var endLine: Int
    public var doc: String
    /// Base classes as written (`Base`, `mod.Base`).
    public var bases: [String]
    public var decorators: [String]
    public var methods: [ScannedFunction]
    /// Classes defined inside it.
    public var classes: [ScannedClass]
    /// Class-level attribute names.
    public var attributes: [String]

    enum CodingKeys: String, CodingKey {
        case name, qualname, line, doc, bases, decorators, methods, classes, attributes
        case endLine = "end_line"
    }
}

/// A function or method definition.
public struct ScannedFunction: Codable, Sendable {
    public var name: String
    public var qualname: String
    public var line: Int
    public var endLine: Int
    public var doc: String
    public var params: [ScannedParameter]
    /// The return annotation as written.
    public var returns: String?
    public var decorators: [String]
    public var isAsync: Bool
    /// Branching constructs in the body (a rough complexity).
    public var branches: Int
    /// Calls in the body (not in nested definitions), callee as dotted text: `f`, `self.m`, `mod.f`, `super.m`.
    public var calls: [ScannedCall]
    /// Calls whose callee is not a name or attribute chain (`handlers[k](x)`).
    public var unparsedCalls: Int
    /// Local names bound to a call's result (`p = Parser()` → `p: Parser`).
    public var bindings: [String: String]
    /// Functions and classes defined inside the body.
    public var localDefs: [String]

    enum CodingKeys: String, CodingKey {
        case name, qualname, line, doc, params, returns, decorators, branches, calls, bindings
        case endLine = "end_line", isAsync = "is_async", unparsedCalls = "unparsed_calls", localDefs = "local_defs"
    }

    /// The signature as Python writes it: `name(a: int, b=1, *args, **kw) -> str`.
    public var signature: String {
        var parts: [String] = []
        var starred = false
        for parameter in params {
            var piece: String
            switch parameter.kind {
            case "var_positional": piece = "*" + parameter.name; starred = true
            case "var_keyword": piece = "**" + parameter.name
            case "keyword_only":
                if !starred { parts.append("*"); starred = true }
                piece = parameter.name
            default: piece = parameter.name
            }
            if let annotation = parameter.annotation { piece += ": " + annotation }
            if let value = parameter.defaultValue { piece += parameter.annotation == nil ? "=" + value : " = " + value }
            parts.append(piece)
        }
        return "\(isAsync ? "async " : "")\(name)(\(parts.joined(separator: ", ")))" + (returns.map { " -> " + $0 } ?? "")
    }
}

/// A parameter with its annotation and default as written.
public struct ScannedParameter: Codable, Sendable {
    public var name: String
    /// `positional`, `var_positional`, `keyword_only` or `var_keyword`.
    public var kind: String
    public var annotation: String?
    public var defaultValue: String?

    enum CodingKeys: String, CodingKey {
        case name, kind, annotation
        case defaultValue = "default"
    }
}

/// One call site.
public struct ScannedCall: Codable, Sendable {
    /// The callee as dotted text.
    public var callee: String
    public var line: Int
}
