/// The hierarchical code tree of a scanned repository: package → module → class → function, with
/// line spans, docstring heads and signatures. Built from a ``RepoScan``; the graphs hang off it.
package struct CodeTree: Sendable {
    /// Every entity by id.
    package private(set) var entities: [String: CodeEntity] = [:]
    /// Parsed files by module name.
    package let files: [String: ScannedFile]
    /// Module and package ids without a parent (the top of the tree), sorted.
    package private(set) var roots: [String] = []
    /// Functions and methods by id, with their scan record.
    package private(set) var functions: [String: ScannedFunction] = [:]
    /// Classes by id, with their scan record.
    package private(set) var classes: [String: ScannedClass] = [:]
    /// The class a method belongs to, by method id.
    package private(set) var owner: [String: String] = [:]

    /// Builds the tree from a scan.
    package init(scan: RepoScan) {
        var files: [String: ScannedFile] = [:]
        for file in scan.files where files[file.module] == nil || file.isPackage { files[file.module] = file }
        self.files = files
        for module in files.keys.sorted() { addModule(module, file: files[module]!) }
        // Folders without __init__.py (namespace packages) still hold their modules in the tree.
        for module in files.keys.sorted() {
            var parentName = Self.parentModule(of: module)
            var child = module
            while let name = parentName {
                if entities[name] == nil {
                    let path = child.split(separator: ".").dropLast().joined(separator: "/")
                    entities[name] = CodeEntity(id: name, kind: .package, name: String(name.split(separator: ".").last ?? ""), module: name,
                                                path: path.isEmpty ? "." : path + "/", line: 1, endLine: 1, doc: "", signature: nil,
                                                parent: Self.parentModule(of: name), children: [])
                }
                if !entities[name]!.children.contains(child) { entities[name]!.children.append(child) }
                entities[child]!.parent = name
                child = name
                parentName = Self.parentModule(of: name)
            }
        }
        roots = entities.values.filter { $0.parent == nil && ($0.kind == .module || $0.kind == .package) }.map(\.id).sorted()
        for id in entities.keys where entities[id]!.kind == .package || entities[id]!.kind == .module {
            let classAndFunctions = entities[id]!.children.filter { entities[$0]?.kind != .module && entities[$0]?.kind != .package }
            let modules = entities[id]!.children.filter { entities[$0]?.kind == .module || entities[$0]?.kind == .package }.sorted()
            entities[id]!.children = modules + classAndFunctions
        }
    }

    /// `a.b.c` → `a.b`; `nil` for a top-level name.
    static func parentModule(of module: String) -> String? {
        guard let dot = module.lastIndex(of: ".") else { return nil }
        return String(module[..<dot])
    }

    private mutating func addModule(_ module: String, file: ScannedFile) {
        var entity = CodeEntity(id: module, kind: file.isPackage ? .package : .module, name: String(module.split(separator: ".").last ?? Substring(module)),
                                module: module, path: file.path, line: 1, endLine: file.lines, doc: file.doc, signature: nil, parent: nil, children: [])
        for scanned in file.classes { entity.children.append(addClass(scanned, module: module, path: file.path, parent: module)) }
        for function in file.functions {
            let id = addFunction(function, module: module, path: file.path, parent: module, kind: .function)
            if !entity.children.contains(id) { entity.children.append(id) }
        }
        entities[module] = entity
    }

    private mutating func addClass(_ scanned: ScannedClass, module: String, path: String, parent: String) -> String {
        let id = module + ":" + scanned.qualname
        var entity = CodeEntity(id: id, kind: .class, name: scanned.name, module: module, path: path, line: scanned.line, endLine: scanned.endLine,
                                doc: scanned.doc, signature: scanned.name + (scanned.bases.isEmpty ? "" : "(" + scanned.bases.joined(separator: ", ") + ")"),
                                parent: parent, children: [])
        classes[id] = scanned
        for method in scanned.methods {
            let methodID = addFunction(method, module: module, path: path, parent: id, kind: .method)
            owner[methodID] = id
            if !entity.children.contains(methodID) { entity.children.append(methodID) }
        }
        for nested in scanned.classes { entity.children.append(addClass(nested, module: module, path: path, parent: id)) }
        entities[id] = entity
        return id
    }

    private mutating func addFunction(_ function: ScannedFunction, module: String, path: String, parent: String, kind: CodeEntity.Kind) -> String {
        let id = module + ":" + function.qualname
        if var earlier = functions[id] {
            // One name defined twice (a property's getter and setter, `if …: def f` / `else: def f`):
            // one entity at its first definition, holding the calls of both.
            earlier.calls += function.calls
            earlier.unparsedCalls += function.unparsedCalls
            earlier.bindings.merge(function.bindings) { first, _ in first }
            earlier.aliases = (earlier.aliases ?? [:]).merging(function.aliases ?? [:]) { first, _ in first }
            earlier.localDefs += function.localDefs
            earlier.endLine = max(earlier.endLine, function.endLine)
            functions[id] = earlier
            entities[id]?.endLine = earlier.endLine
            return id
        }
        entities[id] = CodeEntity(id: id, kind: kind, name: function.name, module: module, path: path, line: function.line, endLine: function.endLine,
                                  doc: function.doc, signature: function.signature, parent: parent, children: [])
        functions[id] = function
        return id
    }

    /// Entities whose dotted name is `name` or ends with `.name` (`convert`, `Markdown.convert`,
    /// `markdown.core.Markdown.convert`, or the id itself), best first: exact matches, then
    /// classes and modules before functions, then shorter names.
    package func lookup(_ name: String) -> [CodeEntity] {
        if let exact = entities[name] { return [exact] }
        let wanted = name.replacingOccurrences(of: ":", with: ".").trimmingCharacters(in: .whitespaces)
        guard !wanted.isEmpty else { return [] }
        let rank: [CodeEntity.Kind: Int] = [.class: 0, .package: 1, .module: 1, .function: 2, .method: 3]
        return entities.values
            .filter { $0.dotted == wanted || $0.dotted.hasSuffix("." + wanted) || $0.path == wanted }
            .sorted { ($0.dotted == wanted ? 0 : 1, rank[$0.kind]!, $0.dotted.count, $0.id) < ($1.dotted == wanted ? 0 : 1, rank[$1.kind]!, $1.dotted.count, $1.id) }
    }

    /// The one entity `name` refers to.
    ///
    /// - Throws: ``RepoError`` listing candidates when there is none or several equally good ones.
    package func entity(named name: String) throws -> CodeEntity {
        let found = lookup(name)
        guard let first = found.first else {
            throw RepoError("nothing in the repository is named '\(name)': give a module (pkg.mod), a class (Class or pkg.mod.Class) or a function (Class.method)")
        }
        let tied = found.filter { $0.dotted.count == first.dotted.count && $0.kind == first.kind }
        if tied.count > 1, first.dotted != name.replacingOccurrences(of: ":", with: ".") {
            throw RepoError("'\(name)' is ambiguous: " + tied.prefix(8).map(\.dotted).joined(separator: ", ") + " — give more of the dotted name")
        }
        return first
    }
}
