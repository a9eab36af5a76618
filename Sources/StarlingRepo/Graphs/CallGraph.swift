/// The function-call graph. Each call's dotted callee text is resolved through the calling
/// module's names as Python binds them (the last binding wins; `from m import *` binds m's
/// `__all__`, else its public names, from its line on): module-level functions, `from x import f`
/// (following re-exports), aliases (`run = helpers.run`), `module.f()`, `Class.m()`, `self.m()` /
/// `cls.m()` through the class and its bases, `self.x.m()` where a method set `self.x = Class()`,
/// `super().m()`, and `v.m()` where `v = Class(...)`, `with Class() as v` or `v: Class` in the same
/// function. Calls in nested functions count as the enclosing function's; calls in a class body,
/// its bases and decorators as the class's; a decorator written without a call is a reference.
/// Calls that resolve to nothing in the repository, to a builtin or to an outside library are
/// counted by kind. The same scan always gives the same graph.
package struct CallGraph: Sendable {
    /// One resolved call.
    package struct Call: Sendable, Hashable {
        /// The calling function, method or module id.
        package var caller: String
        /// The called function, method or class id (a class when it is instantiated).
        package var callee: String
        package var line: Int
    }

    /// How many call sites fell into each kind.
    package struct Counts: Sendable, Hashable, Codable {
        package var total = 0
        package var resolved = 0
        package var builtin = 0
        package var external = 0
        /// Calls to functions defined inside the calling function.
        package var local = 0
        /// Calls the graph could not place (a parameter's method, an attribute set at run time).
        package var unresolved = 0
        /// Calls whose callee is an expression, not a name (`table[k](x)`).
        package var dynamic = 0
    }

    /// Resolved calls by caller.
    package private(set) var calls: [String: [Call]] = [:]
    /// Resolved calls by callee.
    package private(set) var callers: [String: [Call]] = [:]
    /// Outside names called, by caller (`numpy.array`).
    package private(set) var externalCalls: [String: Set<String>] = [:]
    package private(set) var counts = Counts()
    /// A few unresolved call sites, for the user to see what was not placed.
    package private(set) var unresolvedExamples: [String] = []
    /// Each class's bases that are in the repository, in order.
    package private(set) var bases: [String: [String]] = [:]
    /// Each class's bases that are outside it, as written.
    package private(set) var externalBases: [String: [String]] = [:]

    let tree: CodeTree
    let namespaces: [String: [String: Binding]]
    let bindingLines: [String: [String: Int]]
    let starImports: [String: [StarImport]]
    let builtins: Set<String>

    enum Outcome: Hashable {
        case entity(String), module(String), external(String), builtin, local, unresolved
    }

    /// Resolves every call in the tree.
    package init(tree: CodeTree, modules: ModuleGraph, builtins: [String]) {
        self.tree = tree
        self.namespaces = modules.namespaces
        self.bindingLines = modules.bindingLines
        self.starImports = modules.starImports
        self.builtins = Set(builtins)
        for id in tree.classes.keys.sorted() {
            let scanned = tree.classes[id]!
            let module = tree.entities[id]!.module
            var inside: [String] = []
            var outside: [String] = []
            for base in scanned.bases {
                if case .entity(let target) = walk(base, module: module), tree.classes[target] != nil { inside.append(target) } else { outside.append(base) }
            }
            bases[id] = inside
            externalBases[id] = outside
        }
        for module in tree.files.keys.sorted() {
            let file = tree.files[module]!
            for call in file.topCalls { record(call, caller: module, module: module, owner: nil, function: nil, bindings: file.topBindings) }
            counts.total += file.topUnparsedCalls
            counts.dynamic += file.topUnparsedCalls
        }
        for id in tree.classes.keys.sorted() {
            let scanned = tree.classes[id]!
            let module = tree.entities[id]!.module
            for call in scanned.bodyCalls ?? [] { record(call, caller: id, module: module, owner: nil, function: nil, bindings: [:]) }
            counts.total += scanned.bodyUnparsedCalls ?? 0
            counts.dynamic += scanned.bodyUnparsedCalls ?? 0
        }
        for id in tree.functions.keys.sorted() {
            let function = tree.functions[id]!
            let module = tree.entities[id]!.module
            var bindings = function.bindings
            for parameter in function.params {
                if let annotation = parameter.annotation, bindings[parameter.name] == nil,
                   annotation.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) {
                    bindings[parameter.name] = annotation + "()"
                }
            }
            for call in function.calls { record(call, caller: id, module: module, owner: tree.owner[id], function: function, bindings: bindings) }
            counts.total += function.unparsedCalls
            counts.dynamic += function.unparsedCalls
        }
    }

    private mutating func record(_ call: ScannedCall, caller: String, module: String, owner: String?, function: ScannedFunction?, bindings: [String: String]) {
        counts.total += 1
        switch resolve(call.callee, module: module, owner: owner, function: function, bindings: bindings) {
        case .entity(let callee):
            counts.resolved += 1
            let edge = Call(caller: caller, callee: callee, line: call.line)
            calls[caller, default: []].append(edge)
            callers[callee, default: []].append(edge)
        case .external(let name):
            counts.external += 1
            externalCalls[caller, default: []].insert(name)
        case .builtin: counts.builtin += 1
        case .local: counts.local += 1
        case .module, .unresolved:
            counts.unresolved += 1
            if unresolvedExamples.count < 20 { unresolvedExamples.append("\(tree.entities[caller]?.dotted ?? caller):\(call.line) \(call.callee)()") }
        }
    }

    /// Resolves a callee's dotted text as seen from inside `function` (of class `owner`) in `module`.
    func resolve(_ callee: String, module: String, owner: String?, function: ScannedFunction?, bindings: [String: String]) -> Outcome {
        let parts = callee.split(separator: ".").map(String.init)
        guard let head = parts.first else { return .unresolved }
        let rest = Array(parts.dropFirst())
        if (head == "self" || head == "cls"), let owner, function != nil {
            if rest.count == 2, let type = attributeType(rest[0], inClass: owner), let home = tree.entities[owner]?.module {
                switch walk(String(type.prefix { $0 != "(" }), module: home) {
                case .entity(let klass) where tree.classes[klass] != nil: return method(rest[1], inClass: klass).map { .entity($0) } ?? .unresolved
                case .external(let name): return .external(name + "()." + rest[1])
                default: return .unresolved
                }
            }
            guard rest.count == 1 else { return .unresolved }
            return method(rest[0], inClass: owner).map { .entity($0) } ?? .unresolved
        }
        if head == "super", let owner {
            guard rest.count == 1 else { return .unresolved }
            for base in bases[owner] ?? [] { if let found = method(rest[0], inClass: base) { return .entity(found) } }
            return (externalBases[owner] ?? []).isEmpty ? .unresolved : .external("super." + rest[0])
        }
        if let function, function.localDefs.contains(head) { return .local }
        if let function, bindings[head] == nil, let target = function.aliases?[head], target.split(separator: ".").first.map(String.init) != head {
            return resolve(([target] + rest).joined(separator: "."), module: module, owner: owner, function: nil, bindings: [:])
        }
        if let bound = bindings[head], !rest.isEmpty {
            let target = walk(String(bound.prefix { $0 != "(" }), module: module)
            if case .entity(let klass) = target, tree.classes[klass] != nil {
                return follow(.entity(klass), rest)
            }
            if case .external(let name) = target { return .external(name + "()." + rest.joined(separator: ".")) }
            if case .entity = target { return .unresolved }
        }
        let start = name(head, in: module)
        if case .unresolved = start { return builtins.contains(head) ? .builtin : .unresolved }
        let outcome = follow(start, rest)
        if case .module = outcome { return .unresolved }
        return outcome
    }

    /// Resolves dotted text to what it names (no call semantics): used for bases and bindings.
    func walk(_ dotted: String, module: String) -> Outcome {
        let parts = dotted.split(separator: ".").map(String.init)
        guard let head = parts.first else { return .unresolved }
        return follow(name(head, in: module), Array(parts.dropFirst()))
    }

    private func follow(_ start: Outcome, _ rest: [String]) -> Outcome {
        var current = start
        for part in rest {
            switch current {
            case .module(let module):
                current = member(part, ofModule: module)
            case .entity(let id):
                if tree.classes[id] != nil {
                    if let found = method(part, inClass: id) { current = .entity(found) }
                    else if tree.entities[id + "." + part]?.kind == .class { current = .entity(id + "." + part) }
                    else { return .unresolved }
                } else {
                    return .unresolved
                }
            case .external(let name): current = .external(name + "." + part)
            default: return current
            }
        }
        return current
    }

    /// What `name` means at the top of `module`, following imports through other modules: the
    /// binding on the last line wins, and a star import binds only what its module exports.
    func name(_ name: String, in module: String, depth: Int = 0) -> Outcome {
        guard depth < 12 else { return .unresolved }
        let bound = bindingLines[module]?[name]
        for star in (starImports[module] ?? []).reversed() where star.module != module && star.line > (bound ?? Int.min) {
            guard starBinds(star.module, name) else { continue }
            let found = self.name(name, in: star.module, depth: depth + 1)
            if case .unresolved = found { continue }
            return found
        }
        guard let binding = namespaces[module]?[name] else { return .unresolved }
        switch binding {
        case .module(let target): return .module(target)
        case .entity(let id): return .entity(id)
        case .external(let dotted): return .external(dotted)
        case .imported(let source, let imported):
            let found = self.name(imported, in: source, depth: depth + 1)
            if case .unresolved = found, tree.entities[source + "." + imported] != nil { return .module(source + "." + imported) }
            return found
        case .alias(let dotted):
            let parts = dotted.split(separator: ".").map(String.init)
            guard let head = parts.first, head != name else { return .unresolved }
            return follow(self.name(head, in: module, depth: depth + 1), Array(parts.dropFirst()))
        }
    }

    /// Whether `from module import *` binds `name`: it is in the module's `__all__`, or, without
    /// one, it does not start with an underscore.
    func starBinds(_ module: String, _ name: String) -> Bool {
        if let declared = tree.files[module]?.exports { return declared.contains(name) }
        return !name.hasPrefix("_")
    }

    /// The class an attribute holds when a method of `klass` (or of a base) set it to a constructed object.
    func attributeType(_ attribute: String, inClass klass: String) -> String? {
        firstInHierarchy(of: klass) { tree.classes[$0]?.attributeTypes?[attribute] }
    }

    private func member(_ part: String, ofModule module: String) -> Outcome {
        let found = name(part, in: module)
        if case .unresolved = found, let child = tree.entities[module + "." + part], child.kind == .module || child.kind == .package {
            return .module(child.id)
        }
        return found
    }

    /// The method `name` of `klass`, looked up through its repository bases breadth-first.
    package func method(_ name: String, inClass klass: String) -> String? {
        firstInHierarchy(of: klass) { tree.functions[$0 + "." + name] != nil ? $0 + "." + name : nil }
    }

    /// The first answer `find` gives for `klass` or one of its repository bases, breadth-first.
    func firstInHierarchy<T>(of klass: String, _ find: (String) -> T?) -> T? {
        var queue = [klass]
        var seen: Set<String> = []
        while !queue.isEmpty {
            let current = queue.removeFirst()
            guard seen.insert(current).inserted else { continue }
            if let found = find(current) { return found }
            queue += bases[current] ?? []
        }
        return nil
    }
}
