import Foundation

/// What `repo_scan.py` read from a repository: every parsed Python file with its imports, classes,
/// functions and the calls they make as dotted text, plus what the walk skipped and why. Plain data;
/// ``RepoAnalysis`` turns it into the code tree and the graphs.
package struct RepoScan: Codable, Sendable {
    /// The repository folder, absolute.
    package var root: String
    /// The parsed Python files.
    package var files: [ScannedFile]
    /// Folders and files the walk left out, with the reason.
    package var skipped: [SkippedPath]
    /// Files that are not Python (counted, not read).
    package var otherFiles: Int
    /// The top-level README, when there is one.
    package var readme: Readme?
    /// Console scripts declared in pyproject.toml, setup.cfg or setup.py.
    package var scripts: [DeclaredScript]
    /// The scanning interpreter's builtin names (calls to them are neither resolved nor unresolved).
    package var builtins: [String]
    /// How long the scan took.
    package var seconds: Double
    /// In a git checkout: each Python file's changes over the last 1,000 commits, each weighted by
    /// its recency (half-life 90 days before the newest commit). Absent without git history.
    package var history: [String: Double]?

    enum CodingKeys: String, CodingKey {
        case root, files, skipped, readme, scripts, seconds, builtins, history
        case otherFiles = "other_files"
    }

    /// A README's path and text.
    package struct Readme: Codable, Sendable {
        package var path: String
        package var text: String
    }

    /// A console script: `name = module:function`.
    package struct DeclaredScript: Codable, Sendable {
        package var name: String
        package var target: String
        /// The file that declares it.
        package var from: String
    }

    /// A path the walk did not parse.
    package struct SkippedPath: Codable, Sendable, Hashable {
        package var path: String
        package var reason: String
    }
}

/// One parsed Python file.
package struct ScannedFile: Codable, Sendable {
    /// Path relative to the repository root.
    package var path: String
    /// Dotted module name from the path (`pkg/sub/__init__.py` → `pkg.sub`).
    package var module: String
    /// Whether it is a package's `__init__.py`.
    package var isPackage: Bool
    package var lines: Int
    package var bytes: Int
    /// The first paragraph of the module docstring.
    package var doc: String
    /// Whether it runs as a program (`if __name__ == "__main__"` or `__main__.py`).
    package var hasMain: Bool
    /// `__all__`, when it is a literal list.
    package var exports: [String]?
    package var imports: [ScannedImport]
    package var classes: [ScannedClass]
    package var functions: [ScannedFunction]
    /// Calls made at module level.
    package var topCalls: [ScannedCall]
    /// Module-level names bound to a call's result (`parser = Parser()` → `parser: Parser`).
    package var topBindings: [String: String]
    /// Module-level calls whose callee is not a name or attribute chain.
    package var topUnparsedCalls: Int
    /// Module-level names that are other names (`shortest_path = algorithms.shortest_path`).
    package var topAliases: [String: String]?

    enum CodingKeys: String, CodingKey {
        case path, module, lines, bytes, doc, exports, imports, classes, functions
        case isPackage = "is_package", hasMain = "has_main", topCalls = "top_calls"
        case topBindings = "top_bindings", topUnparsedCalls = "top_unparsed_calls", topAliases = "top_aliases"
    }
}

/// `import a.b as c` (no names) or `from ..a import b as c` (names, with a relative level).
package struct ScannedImport: Codable, Sendable {
    /// The module as written (without the leading dots of a relative import).
    package var module: String
    /// The names of a `from` import.
    package var names: [Name]
    /// The alias of a plain `import … as …`.
    package var asname: String?
    /// Leading dots of a relative import; 0 for an absolute one.
    package var level: Int
    package var line: Int
    /// Whether it runs at module level (and so binds module names); an import inside a function does not.
    package var top: Bool?

    /// An imported name and its alias.
    package struct Name: Codable, Sendable {
        package var name: String
        package var asname: String?
    }
}

/// A class definition.
package struct ScannedClass: Codable, Sendable {
    package var name: String
    /// Dotted name inside its module (`Outer.Inner`).
    package var qualname: String
    package var line: Int
    package var endLine: Int
    package var doc: String
    /// Base classes as written (`Base`, `mod.Base`).
    package var bases: [String]
    package var decorators: [String]
    package var methods: [ScannedFunction]
    /// Classes defined inside it.
    package var classes: [ScannedClass]
    /// Class-level attribute names.
    package var attributes: [String]
    /// Calls made when the class is created: its decorators, bases and body (descriptors such as
    /// `name = Typed(str)`), and decorators written without a call as references.
    package var bodyCalls: [ScannedCall]?
    package var bodyUnparsedCalls: Int?
    /// Attributes that a method sets to a constructed object (`self.session = Session()` → `session: Session`).
    package var attributeTypes: [String: String]?

    enum CodingKeys: String, CodingKey {
        case name, qualname, line, doc, bases, decorators, methods, classes, attributes
        case endLine = "end_line", bodyCalls = "body_calls", bodyUnparsedCalls = "body_unparsed_calls", attributeTypes = "attribute_types"
    }
}

/// A function or method definition.
package struct ScannedFunction: Codable, Sendable {
    package var name: String
    package var qualname: String
    package var line: Int
    package var endLine: Int
    package var doc: String
    package var params: [ScannedParameter]
    /// The return annotation as written.
    package var returns: String?
    package var decorators: [String]
    package var isAsync: Bool
    /// Branching constructs in the body (a rough complexity).
    package var branches: Int
    /// Calls in the body (not in nested definitions), callee as dotted text: `f`, `self.m`, `mod.f`, `super.m`.
    package var calls: [ScannedCall]
    /// Calls whose callee is not a name or attribute chain (`handlers[k](x)`).
    package var unparsedCalls: Int
    /// Local names bound to a call's result (`p = Parser()`, `with Parser() as p` → `p: Parser`).
    package var bindings: [String: String]
    /// Local names that are other names (`run = helpers.run`).
    package var aliases: [String: String]?
    /// Functions and classes defined inside the body.
    package var localDefs: [String]

    enum CodingKeys: String, CodingKey {
        case name, qualname, line, doc, params, returns, decorators, branches, calls, bindings, aliases
        case endLine = "end_line", isAsync = "is_async", unparsedCalls = "unparsed_calls", localDefs = "local_defs"
    }

    /// The signature as Python writes it: `name(a: int, b=1, *args, **kw) -> str`.
    package var signature: String {
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
package struct ScannedParameter: Codable, Sendable {
    package var name: String
    /// `positional`, `var_positional`, `keyword_only` or `var_keyword`.
    package var kind: String
    package var annotation: String?
    package var defaultValue: String?

    enum CodingKeys: String, CodingKey {
        case name, kind, annotation
        case defaultValue = "default"
    }
}

/// One call site, or a reference that is not a call (a decorator written without parentheses).
package struct ScannedCall: Codable, Sendable {
    /// The callee as dotted text.
    package var callee: String
    package var line: Int
    /// A reference (`@cache`), not a call.
    package var reference: Bool?
}
