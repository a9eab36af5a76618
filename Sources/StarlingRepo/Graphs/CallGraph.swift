/// The function-call graph. Each call's dotted callee text is resolved through the calling
/// module's names: module-level functions, `from x import f` (following re-exports), `module.f()`,
/// `Class.m()`, `self.m()` / `cls.m()` through the class and its bases, `super().m()`, and
/// `v.m()` where `v = Class(...)` or `v: Class` in the same function. Calls that resolve to
/// nothing in the repository, to a builtin or to an outside library are counted by kind.
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
    let builtins: Set<String>

    enum Outcome: Hashable {
        case entity(String), module(String), external(String), builtin, local, unresolved
    }

    /// Resolves every call in the tree.
    package init(tree: CodeTree, modules: ModuleGraph, builtins: [String]) {
        self.tree = tree
        self.namespaces = modules.namespaces
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
            guard rest.count == 1 else { return .unresolved }
            return method(rest[0], inClass: owner).map { .entity($0) } ?? .unresolved
        }
        if head == "super", let owner {
            guard rest.count == 1 else { return .unresolved }
            for base in bases[owner] ?? [] { if let found = method(rest[0], inClass: base) { return .entity(found) } }
            return (externalBases[owner] ?? []).isEmpty ? .unresolved : .external("super." + rest[0])
        }
        if let function, function.localDefs.contains(head) { return .local }
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

    /// What `name` means at the top of `module`, following imports through other modules.
    func name(_ name: String, in module: String, depth: Int = 0) -> Outcome {
        guard depth < 12 else { return .unresolved }
        if let binding = namespaces[module]?[name] {
            switch binding {
            case .module(let target): return .module(target)
            case .entity(let id): return .entity(id)
            case .external(let dotted): return .external(dotted)
            case .imported(let source, let imported):
                let found = self.name(imported, in: source, depth: depth + 1)
                if case .unresolved = found, tree.entities[source + "." + imported] != nil { return .module(source + "." + imported) }
                return found
            }
        }
        for (key, binding) in namespaces[module] ?? [:] where key.hasPrefix("*") {
            if case .module(let source) = binding, source != module {
                let found = self.name(name, in: source, depth: depth + 1)
                if case .unresolved = found { continue }
                return found
            }
        }
        return .unresolved
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
        var queue = [klass]
        var seen: Set<String> = []
        while !queue.isEmpty {
            let current = queue.removeFirst()
            guard seen.insert(current).inserted else { continue }
            if tree.functions[current + "." + name] != nil { return current + "." + name }
            queue += bases[current] ?? []
        }
        return nil
    }
}
