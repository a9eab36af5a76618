import Foundation

/// Importance scores for modules and classes, from the structure alone: how much of the
/// repository depends on them (PageRank and in-degree over imports or calls), how much they sit
/// between other parts (betweenness), their size and complexity, whether they are entry points,
/// whether the README names them (as code, or by their dotted path: not a common word that happens
/// to be a module's name), and, in a git checkout, how often and how recently their files changed.
/// Each part is scaled to [0, 1] by its maximum before the weighted sum, so scores compare within
/// one repository only. Test modules (and their classes) rank below every library module.
package struct Importance: Sendable {
    /// The parts of one score, each in [0, 1], and their weighted sum.
    package struct Score: Sendable, Hashable, Codable {
        package var id: String
        package var total: Double
        package var pageRank: Double
        package var inDegree: Double
        package var outDegree: Double
        package var betweenness: Double
        package var size: Double
        package var entryPoint: Bool
        package var readmeMention: Bool
        /// Changes to the file in the git history (recent ones count more), scaled; 0 without history.
        package var history: Double = 0
        /// A test module or a class in one: ranked after every other.
        package var isTest: Bool = false
    }

    /// Modules and packages, best first.
    package private(set) var modules: [Score] = []
    /// Classes, best first.
    package private(set) var classes: [Score] = []
    /// Parts that were estimated or left out, in words (empty when everything was computed exactly).
    package private(set) var notes: [String] = []

    /// Weights of the parts in the total (they sum to 1).
    package static let weights: [String: Double] = [
        "pageRank": 0.30, "inDegree": 0.20, "betweenness": 0.10, "size": 0.15, "entryPoint": 0.15, "readmeMention": 0.10,
    ]
    /// The weight of the git history where there is one; the other weights share the rest.
    package static let historyWeight = 0.10

    /// Scores the tree's modules and classes.
    package init(tree: CodeTree, modules graph: ModuleGraph, calls: CallGraph, scan: RepoScan) {
        let readme = ReadmeMentions(scan.readme?.text ?? "")
        let history = scan.history ?? [:]
        let entryModules = Self.entryModules(tree: tree, scan: scan, calls: calls)
        let moduleIDs = tree.files.keys.sorted()
        let moduleEdges = moduleIDs.map { id in (graph.imports[id] ?? []).compactMap { moduleIDs.firstIndexSorted($0) } }
        let sizes = moduleIDs.map { id in Double(tree.files[id]!.lines) + 10 * Double(Self.branches(of: id, tree: tree)) }
        modules = score(ids: moduleIDs, edges: moduleEdges, sizes: sizes,
                        entry: { entryModules.contains($0) },
                        mention: { id in readme.mentions(module: id, path: tree.files[id]!.path) },
                        what: "modules", penalty: { Self.modulePenalty(tree.files[$0]!, tree: tree) },
                        history: history.isEmpty ? nil : { id in history[tree.files[id]!.path] ?? 0 },
                        isTest: { Self.isTest(tree.files[$0]!.path) })

        let classIDs = tree.classes.keys.sorted()
        var classEdges = [Set<Int>](repeating: [], count: classIDs.count)
        for (index, id) in classIDs.enumerated() {
            for base in calls.bases[id] ?? [] { if let target = classIDs.firstIndexSorted(base) { classEdges[index].insert(target) } }
        }
        for (caller, edges) in calls.calls {
            guard let from = Self.classOf(caller, tree: tree).flatMap({ classIDs.firstIndexSorted($0) }) else { continue }
            for edge in edges {
                if let to = Self.classOf(edge.callee, tree: tree).flatMap({ classIDs.firstIndexSorted($0) }), to != from { classEdges[from].insert(to) }
            }
        }
        // Calls from module-level functions count as uses of the class too (in-degree), not as rank flow.
        var uses = [Int](repeating: 0, count: classIDs.count)
        for (callee, edges) in calls.callers {
            if let to = Self.classOf(callee, tree: tree).flatMap({ classIDs.firstIndexSorted($0) }) {
                uses[to] += Set(edges.map(\.caller)).filter { Self.classOf($0, tree: tree) != classIDs[to] }.count
            }
        }
        let classSizes = classIDs.map { id in Double(tree.entities[id]!.lineCount) + 10 * Double(tree.classes[id]!.methods.reduce(0) { $0 + $1.branches }) }
        classes = score(ids: classIDs, edges: classEdges.map { Array($0).sorted() }, sizes: classSizes,
                        entry: { _ in false },
                        mention: { id in readme.mentions(class: tree.entities[id]!.name) },
                        what: "classes", penalty: { Self.isTest(tree.entities[$0]!.path) ? 0.3 : Self.modulePenalty(tree.files[tree.entities[$0]!.module]!, tree: tree) },
                        history: history.isEmpty ? nil : { id in history[tree.entities[id]!.path] ?? 0 },
                        isTest: { Self.isTest(tree.entities[$0]!.path) }, extraInDegree: uses)
    }

    private mutating func score(ids: [String], edges: [[Int]], sizes: [Double], entry: (String) -> Bool, mention: (String) -> Bool,
                                what: String, penalty: (String) -> Double, history: ((String) -> Double)?, isTest: (String) -> Bool,
                                extraInDegree: [Int]? = nil) -> [Score] {
        guard !ids.isEmpty else { return [] }
        let ranks = GraphMeasures.pageRank(edges)
        var inDegree = [Double](repeating: 0, count: ids.count)
        for targets in edges { for target in targets { inDegree[target] += 1 } }
        if let extraInDegree { for index in ids.indices { inDegree[index] += Double(extraInDegree[index]) } }
        let between = GraphMeasures.betweenness(edges)
        if between.estimated { notes.append("betweenness of \(what) estimated from 400 sampled sources (\(ids.count) \(what))") }
        let scaled = { (values: [Double]) -> [Double] in
            let top = values.max() ?? 0
            return top > 0 ? values.map { $0 / top } : values.map { _ in 0 }
        }
        let rank = scaled(ranks), degree = scaled(inDegree), middle = scaled(between.scores)
        let out = scaled(edges.map { Double($0.count) }), size = scaled(sizes.map { log1p($0) })
        let changes = scaled(ids.map { history?($0) ?? 0 })
        let share = history == nil ? 1 : 1 - Self.historyWeight
        let w = Self.weights.mapValues { $0 * share }
        return ids.indices.map { index in
            let isEntry = entry(ids[index]), mentioned = mention(ids[index])
            var total = w["pageRank"]! * rank[index] + w["inDegree"]! * degree[index] + w["betweenness"]! * middle[index]
                + w["size"]! * size[index] + (isEntry ? w["entryPoint"]! : 0) + (mentioned ? w["readmeMention"]! : 0)
                + (history == nil ? 0 : Self.historyWeight * changes[index])
            total *= penalty(ids[index])
            return Score(id: ids[index], total: total, pageRank: rank[index], inDegree: degree[index], outDegree: out[index],
                         betweenness: middle[index], size: size[index], entryPoint: isEntry, readmeMention: mentioned,
                         history: changes[index], isTest: isTest(ids[index]))
        }.sorted { ($1.isTest ? 1 : 0, $0.total, $1.id) > ($0.isTest ? 1 : 0, $1.total, $0.id) }
    }

    /// How much of its score a module keeps: tests 0.3 and loose scripts outside any package 0.6
    /// (rarely what a user reuses), modules inside a package all of it.
    static func modulePenalty(_ file: ScannedFile, tree: CodeTree) -> Double {
        if isTest(file.path) { return 0.3 }
        let top = String(file.module.split(separator: ".").first ?? "")
        return tree.files[top]?.isPackage == true ? 1 : 0.6
    }

    static func isTest(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        return parts.contains { $0 == "tests" || $0 == "test" } || (parts.last.map { $0.hasPrefix("test_") || $0 == "conftest.py" } ?? false)
    }

    static func classOf(_ id: String, tree: CodeTree) -> String? {
        if tree.classes[id] != nil { return id }
        return tree.owner[id]
    }

    static func branches(of module: String, tree: CodeTree) -> Int {
        let file = tree.files[module]!
        return file.functions.reduce(0) { $0 + $1.branches } + file.classes.reduce(0) { $0 + $1.methods.reduce(0) { $0 + $1.branches } }
    }

    /// Modules where a user starts: `__main__` guards, `__main__.py`, declared console scripts,
    /// top-level packages' `__init__` (what `import name` gives), and the modules whose names that
    /// `__init__` re-exports (openpyxl's `Workbook` and `load_workbook`: the public API).
    static func entryModules(tree: CodeTree, scan: RepoScan, calls: CallGraph) -> Set<String> {
        let tops = tree.files.values.filter { $0.isPackage && !$0.module.contains(".") }
        var found = Set(tree.files.values.filter(\.hasMain).map(\.module) + tops.map(\.module))
        for script in scan.scripts {
            let module = String(script.target.split(separator: ":").first ?? "").trimmingCharacters(in: .whitespaces)
            if tree.files[module] != nil { found.insert(module) }
        }
        for top in tops {
            for item in top.imports where (item.top ?? true) && !item.names.isEmpty && !item.names.contains(where: { $0.name == "*" }) {
                guard let base = ModuleGraph.absolute(item, in: top.module, isPackage: true), base != top.module, tree.files[base] != nil else { continue }
                found.insert(base)
                for name in item.names {  // through re-exports to the module that defines the name
                    if case .entity(let id) = calls.name(name.name, in: base), let module = tree.entities[id]?.module { found.insert(module) }
                }
            }
        }
        return found
    }

    static func words(_ text: String) -> Set<String> {
        Set(text.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
    }
}

/// What a README names: words written as code (inline `spans` and fenced blocks), and dotted or
/// slashed paths anywhere. A module counts as named by its path (`operators.all`,
/// `operators/all.py`) or by its own name written as code; a class by its name as code, or in
/// prose when it is written in CamelCase. "all" and "small" in a sentence name no module.
struct ReadmeMentions {
    let codeWords: Set<String>
    let proseWords: Set<String>
    let paths: Set<String>

    init(_ text: String) {
        var code = "", prose = ""
        var inFence = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") { inFence.toggle(); continue }
            if inFence { code += line + "\n"; continue }
            for (index, part) in line.split(separator: "`", omittingEmptySubsequences: false).enumerated() {
                if index % 2 == 1 { code += part + " " } else { prose += part + " " }
            }
            prose += "\n"
        }
        codeWords = Importance.words(code)
        proseWords = Importance.words(prose)
        let pathCharacters = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "_./"))
        paths = Set(text.components(separatedBy: pathCharacters.inverted).filter { $0.contains(".") || $0.contains("/") }.flatMap { token -> [String] in
            let trimmed = token.trimmingCharacters(in: CharacterSet(charactersIn: "./"))
            let dotted = trimmed.replacingOccurrences(of: "/", with: ".")
            return [dotted, dotted.hasSuffix(".py") ? String(dotted.dropLast(3)) : dotted]
        })
    }

    /// Whether the README names the module `id` (file `path`).
    func mentions(module id: String, path: String) -> Bool {
        let parts = id.split(separator: ".").map(String.init)
        guard let name = parts.last, name.count >= 3 else { return false }
        if codeWords.contains(name) { return true }
        // `pkg.sub.mod`, `sub.mod`, `sub/mod.py`: at least two parts of the module's path.
        for start in 0..<max(0, parts.count - 1) where paths.contains(parts[start...].joined(separator: ".")) { return true }
        let file = String(path.dropLast(path.hasSuffix(".py") ? 3 : 0)).replacingOccurrences(of: "/", with: ".")
        return file.contains(".") && paths.contains(file)
    }

    /// Whether the README names the class `name`.
    func mentions(class name: String) -> Bool {
        guard name.count >= 4 else { return false }
        if codeWords.contains(name) { return true }
        let camel = name.first?.isUppercase == true && name.dropFirst().contains { $0.isUppercase } && name.contains { $0.isLowercase }
        return camel && proseWords.contains(name)
    }
}

extension Array where Element == String {
    /// Index of `value` in a sorted array (binary search).
    func firstIndexSorted(_ value: String) -> Int? {
        var low = 0, high = count - 1
        while low <= high {
            let middle = (low + high) / 2
            if self[middle] == value { return middle }
            if self[middle] < value { low = middle + 1 } else { high = middle - 1 }
        }
        return nil
    }
}
