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
    /// Every module's names (top-level definitions, imports and aliases), for the call graph: as
    /// Python binds them, the binding on the last line wins.
    package private(set) var namespaces: [String: [String: Binding]] = [:]
    /// The line of each name's binding in ``namespaces`` (an alias counts as bound last).
    package private(set) var bindingLines: [String: [String: Int]] = [:]
    /// Each module's `from … import *` of repository modules, in line order.
    package private(set) var starImports: [String: [StarImport]] = [:]

    /// Builds the graph from the tree.
    package init(tree: CodeTree) {
        let known = Set(tree.entities.values.filter { $0.kind == .module || $0.kind == .package }.map(\.id))
        for module in tree.files.keys.sorted() {
            let file = tree.files[module]!
            var names: [String: Binding] = [:]
            var lines: [String: Int] = [:]
            var stars: [StarImport] = []
            func bind(_ name: String, _ binding: Binding, line: Int) {
                guard line >= lines[name, default: Int.min] else { return }
                names[name] = binding
                lines[name] = line
            }
            for scanned in file.classes { bind(scanned.name, .entity(module + ":" + scanned.qualname), line: scanned.line) }
            for function in file.functions { bind(function.name, .entity(module + ":" + function.qualname), line: function.line) }
            var targets: Set<String> = []
            var outside: Set<String> = []
            for item in file.imports.sorted(by: { ($0.line, $0.module) < ($1.line, $1.module) }) {
                guard let base = Self.absolute(item, in: module, isPackage: file.isPackage) else {
                    unresolvedRelative.append("\(module): " + String(repeating: ".", count: item.level) + item.module)
                    continue
                }
                let binds = item.top ?? true  // an import inside a function makes a dependency, not a module name
                if item.names.isEmpty {
                    // `import a.b.c` binds `a`; `import a.b.c as z` binds `z` to a.b.c.
                    if let inside = Self.longestKnownPrefix(base, known) {
                        targets.insert(inside)
                        guard binds else { continue }
                        if let alias = item.asname { bind(alias, inside == base ? .module(base) : .external(base), line: item.line) }
                        else if let head = base.split(separator: ".").first.map(String.init), known.contains(head) { bind(head, .module(head), line: item.line) }
                    } else {
                        let head = Self.head(base)
                        outside.insert(head)
                        if binds { bind(item.asname ?? head, .external(item.asname == nil ? head : base), line: item.line) }
                    }
                    continue
                }
                let baseKnown = known.contains(base)
                for name in item.names {
                    let bound = name.asname ?? name.name
                    var binding: Binding?
                    if name.name == "*" {
                        if baseKnown { targets.insert(base); if binds { stars.append(StarImport(module: base, line: item.line)) } } else { outside.insert(Self.head(base)) }
                    } else if known.contains(base + "." + name.name) {
                        targets.insert(base + "." + name.name)
                        binding = .module(base + "." + name.name)
                    } else if baseKnown {
                        targets.insert(base)
                        binding = .imported(module: base, name: name.name)
                    } else if let inside = Self.longestKnownPrefix(base, known) {
                        targets.insert(inside)
                        binding = .external(base + "." + name.name)
                    } else {
                        outside.insert(Self.head(base))
                        binding = .external(base + "." + name.name)
                    }
                    if binds, let binding { bind(bound, binding, line: item.line) }
                }
            }
            for (name, target) in (file.topAliases ?? [:]).sorted(by: { $0.key < $1.key }) where names[name] == nil {
                bind(name, .alias(target), line: Int.max)
            }
            bindingLines[module] = lines
            starImports[module] = stars
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
