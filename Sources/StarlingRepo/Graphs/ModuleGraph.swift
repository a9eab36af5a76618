/// The module-dependency graph: an edge from a module to each repository module it imports, with
/// relative imports resolved against the importing module's package. Imports of anything outside
/// the repository are kept per module by top-level name.
package struct ModuleGraph: Sendable {
    /// Repository modules each module imports.
    package private(set) var imports: [String: Set<String>] = [:]
    /// Modules that import each module.
    package private(set) var importers: [String: Set<String>] = [:]
    /// Top-level names of outside modules each module imports (`numpy`, `os`).
    package private(set) var external: [String: Set<String>] = [:]
    /// Relative imports that climb above the repository's top package, as `module: .import`.
    package private(set) var unresolvedRelative: [String] = []
    /// Every module's names (top-level definitions and imports), for the call graph.
    package private(set) var namespaces: [String: [String: Binding]] = [:]

    /// Builds the graph from the tree.
    package init(tree: CodeTree) {
        let known = Set(tree.entities.values.filter { $0.kind == .module || $0.kind == .package }.map(\.id))
        for module in tree.files.keys.sorted() {
            let file = tree.files[module]!
            var names: [String: Binding] = [:]
            for scanned in file.classes { names[scanned.name] = .entity(module + ":" + scanned.qualname) }
            for function in file.functions { names[function.name] = .entity(module + ":" + function.qualname) }
            var targets: Set<String> = []
            var outside: Set<String> = []
            for item in file.imports {
                guard let base = Self.absolute(item, in: module, isPackage: file.isPackage) else {
                    unresolvedRelative.append("\(module): " + String(repeating: ".", count: item.level) + item.module)
                    continue
                }
                if item.names.isEmpty {
                    // `import a.b.c` binds `a`; `import a.b.c as z` binds `z` to a.b.c.
                    if let inside = Self.longestKnownPrefix(base, known) {
                        targets.insert(inside)
                        if let alias = item.asname { names[alias] = inside == base ? .module(base) : .external(base) }
                        else if let head = base.split(separator: ".").first.map(String.init), known.contains(head) { names[head] = .module(head) }
                    } else {
                        let head = Self.head(base)
                        outside.insert(head)
                        names[item.asname ?? head] = .external(item.asname == nil ? head : base)
                    }
                    continue
                }
                let baseKnown = known.contains(base)
                for name in item.names {
                    let bound = name.asname ?? name.name
                    if name.name == "*" {
                        if baseKnown { targets.insert(base); names["*" + base] = .module(base) } else { outside.insert(Self.head(base)) }
                    } else if known.contains(base + "." + name.name) {
                        targets.insert(base + "." + name.name)
                        names[bound] = .module(base + "." + name.name)
                    } else if baseKnown {
                        targets.insert(base)
                        names[bound] = .imported(module: base, name: name.name)
                    } else if let inside = Self.longestKnownPrefix(base, known) {
                        targets.insert(inside)
                        names[bound] = .external(base + "." + name.name)
                    } else {
                        outside.insert(Self.head(base))
                        names[bound] = .external(base + "." + name.name)
                    }
                }
            }
            targets.remove(module)
            imports[module] = targets
            external[module] = outside.subtracting([""])
            namespaces[module] = names
            for target in targets { importers[target, default: []].insert(module) }
        }
    }

    static func head(_ dotted: String) -> String { String(dotted.split(separator: ".").first ?? "") }

    /// The absolute module an import names: relative levels climb from the importing module's
    /// package (`from . import x` in `pkg/mod.py` is `pkg`; in `pkg/__init__.py` it is `pkg` too).
    /// `nil` when the dots climb above the top package.
    static func absolute(_ item: ScannedImport, in module: String, isPackage: Bool) -> String? {
        guard item.level > 0 else { return item.module }
        var parts = module.split(separator: ".").map(String.init)
        if !isPackage { parts.removeLast() }
        for _ in 1..<item.level {
            guard !parts.isEmpty else { return nil }
            parts.removeLast()
        }
        guard !parts.isEmpty else { return nil }
        if !item.module.isEmpty { parts.append(item.module) }
        return parts.joined(separator: ".")
    }

    /// The longest prefix of `dotted` (on dot boundaries) that is a repository module.
    static func longestKnownPrefix(_ dotted: String, _ known: Set<String>) -> String? {
        var parts = dotted.split(separator: ".").map(String.init)
        while !parts.isEmpty {
            let candidate = parts.joined(separator: ".")
            if known.contains(candidate) { return candidate }
            parts.removeLast()
        }
        return nil
    }

    /// Every edge, sorted, as (importer, imported).
    package var edges: [(String, String)] {
        imports.keys.sorted().flatMap { from in imports[from]!.sorted().map { (from, $0) } }
    }
}
