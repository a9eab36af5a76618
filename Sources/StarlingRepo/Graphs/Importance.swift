import Foundation

/// Importance scores for modules and classes, from the structure alone: how much of the
/// repository depends on them (PageRank and in-degree over imports or calls), how much they sit
/// between other parts (betweenness), their size and complexity, whether they are entry points,
/// and whether the README names them. Each part is scaled to [0, 1] by its maximum before the
/// weighted sum, so scores compare within one repository only.
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

    /// Scores the tree's modules and classes.
    package init(tree: CodeTree, modules graph: ModuleGraph, calls: CallGraph, scan: RepoScan) {
        let readme = Self.words(scan.readme?.text ?? "")
        let entryModules = Self.entryModules(tree: tree, scan: scan)
        let moduleIDs = tree.files.keys.sorted()
        let moduleEdges = moduleIDs.map { id in (graph.imports[id] ?? []).compactMap { moduleIDs.firstIndexSorted($0) } }
        let sizes = moduleIDs.map { id in Double(tree.files[id]!.lines) + 10 * Double(Self.branches(of: id, tree: tree)) }
        modules = score(ids: moduleIDs, edges: moduleEdges, sizes: sizes,
                        entry: { entryModules.contains($0) },
                        mention: { id in readme.contains(String(id.split(separator: ".").last ?? "")) && (id.split(separator: ".").last?.count ?? 0) >= 3 },
                        what: "modules", penalty: { Self.modulePenalty(tree.files[$0]!, tree: tree) })

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
                        mention: { id in let name = tree.entities[id]!.name; return name.count >= 4 && readme.contains(name) },
                        what: "classes", penalty: { Self.isTest(tree.entities[$0]!.path) ? 0.3 : Self.modulePenalty(tree.files[tree.entities[$0]!.module]!, tree: tree) },
                        extraInDegree: uses)
    }

    private mutating func score(ids: [String], edges: [[Int]], sizes: [Double], entry: (String) -> Bool, mention: (String) -> Bool,
                                what: String, penalty: (String) -> Double, extraInDegree: [Int]? = nil) -> [Score] {
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
        let w = Self.weights
        return ids.indices.map { index in
            let isEntry = entry(ids[index]), mentioned = mention(ids[index])
            var total = w["pageRank"]! * rank[index] + w["inDegree"]! * degree[index] + w["betweenness"]! * middle[index]
                + w["size"]! * size[index] + (isEntry ? w["entryPoint"]! : 0) + (mentioned ? w["readmeMention"]! : 0)
            total *= penalty(ids[index])
            return Score(id: ids[index], total: total, pageRank: rank[index], inDegree: degree[index], outDegree: out[index],
                         betweenness: middle[index], size: size[index], entryPoint: isEntry, readmeMention: mentioned)
        }.sorted { ($0.total, $1.id) > ($1.total, $0.id) }
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

    /// Modules where a user starts: `__main__` guards, `__main__.py`, declared console scripts, and
    /// top-level packages' `__init__` (what `import name` gives).
    static func entryModules(tree: CodeTree, scan: RepoScan) -> Set<String> {
        var found = Set(tree.files.values.filter { $0.hasMain || ($0.isPackage && !$0.module.contains(".")) }.map(\.module))
        for script in scan.scripts {
            let module = String(script.target.split(separator: ":").first ?? "").trimmingCharacters(in: .whitespaces)
            if tree.files[module] != nil { found.insert(module) }
        }
        return found
    }

    static func words(_ text: String) -> Set<String> {
        Set(text.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
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
