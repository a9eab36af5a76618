/// The first thing a model reads about a repository, cut to a token budget: what it is (the
/// README, summarised when long), how it is started (entry points), its most important modules
/// as skeletons, its most important classes, and the paths of everything else.
package struct RepoBrief: Sendable {
    /// The brief.
    package let text: String
    /// Its estimated size in tokens (``Bounded/tokens(in:)``).
    package let tokens: Int
    /// The budget it was cut to.
    package let budget: Int
    /// Modules shown as skeletons.
    package let modulesShown: Int
    /// Modules only named in the path list, or not at all.
    package let modulesListed: Int

    /// The budget used when none is given, in tokens.
    package static let defaultBudget = 8000
    /// The budget for small local models, whose context windows are short.
    package static let localModelBudget = 2500

    /// Writes the brief for `analysis` within `budget` tokens (at least 300: the header and a few paths).
    package init(_ analysis: RepoAnalysis, budget: Int = RepoBrief.defaultBudget) {
        // Characters the budget allows (3 per token), less the rounding of the estimate.
        let limit = max(300, budget) * 3 - 3
        let skeleton = Skeleton(analysis)
        var parts: [String] = []
        var used = 0
        func add(_ text: String) -> Bool {
            // Parts are joined by a blank line: two characters each.
            let cost = text.utf8.count + 2
            guard used + cost <= limit else { return false }
            parts.append(text)
            used += cost
            return true
        }
        let name = analysis.root.lastPathComponent
        _ = add("# Repository \(name)\n\(analysis.sizeLine).")
        if let readme = analysis.scan.readme {
            _ = add("## README (\(readme.path))\n" + Self.summary(of: readme.text, characters: min(limit / 7, 2400)))
        }
        let entries = Self.entryPoints(analysis)
        if !entries.isEmpty { _ = add("## Entry points\n" + entries.map { "- " + $0 }.joined(separator: "\n")) }

        // Keep room for the class list and the path list.
        let reserve = min(limit / 5, 2400)
        let ranked = analysis.importance.modules.filter { !Importance.isTest(analysis.tree.files[$0.id]?.path ?? "") }
            + analysis.importance.modules.filter { Importance.isTest(analysis.tree.files[$0.id]?.path ?? "") }
        var shown: Set<String> = []
        var header = false
        for score in ranked {
            let file = analysis.tree.files[score.id]!
            guard file.classes.count + file.functions.count > 0 else { continue }
            var text = skeleton.module(score.id, methodLimit: 10, docLength: 90)
            if text.utf8.count > limit / 4 { text = Bounded.text(text, limit: limit / 4) }
            if !header { text = "## Key modules, most important first (skeletons: signatures and docstring heads)\n" + text }
            guard used + text.utf8.count + reserve <= limit else { continue }
            _ = add(text)
            header = true
            shown.insert(score.id)
        }
        if let classes = Self.keyClasses(analysis, room: limit - reserve / 2 - used) { _ = add(classes) }
        let rest = analysis.importance.modules.map(\.id).filter { !shown.contains($0) }.compactMap { analysis.tree.files[$0]?.path }
        var listed = 0
        if !rest.isEmpty {
            let list = Self.pathList(rest, room: limit - used)
            listed = list.listed
            _ = add(list.line)
        }
        text = parts.joined(separator: "\n\n")
        tokens = Bounded.tokens(in: text)
        self.budget = budget
        modulesShown = shown.count
        modulesListed = listed
    }

    /// The "key classes" section: of the dozen most important classes, as many as fit in
    /// `room` characters, one line each with its place, doc head and methods; `nil` when none fits.
    static func keyClasses(_ analysis: RepoAnalysis, room: Int) -> String? {
        let all = analysis.importance.classes.prefix(12).compactMap { score -> String? in
            guard let entity = analysis.tree.entities[score.id] else { return nil }
            let methods = entity.children.compactMap { analysis.tree.entities[$0] }.filter { $0.kind == .method && !$0.name.hasPrefix("_") }.map(\.name)
            return "- \(entity.dotted) (\(entity.path):\(entity.line))" + (entity.doc.isEmpty ? "" : " — " + Skeleton.cut(entity.doc, 80))
                + (methods.isEmpty ? "" : "; methods: " + methods.prefix(6).joined(separator: ", ") + (methods.count > 6 ? ", …" : ""))
        }
        var lines = ["## Key classes"]
        for line in all {
            if (lines + [line]).joined(separator: "\n").utf8.count > room { break }
            lines.append(line)
        }
        return lines.count > 1 ? lines.joined(separator: "\n") : nil
    }

    /// The "other modules" section: as many paths as fit in `room` characters (with its
    /// separator), then "… and N more".
    static func pathList(_ paths: [String], room: Int) -> (line: String, listed: Int) {
        var line = "## Other modules (by importance)\n"
        var listed = 0
        for path in paths {
            let piece = (listed == 0 ? "" : ", ") + path
            // Room is kept for the separator and the closing "… and N more".
            if line.utf8.count + piece.utf8.count + 2 + 40 > room { break }
            line += piece
            listed += 1
        }
        if listed < paths.count { line += (listed == 0 ? "" : ", ") + "… and \(paths.count - listed) more" }
        return (line, listed)
    }

    /// The README without badges, images and HTML, cut at a paragraph boundary near `characters`.
    static func summary(of readme: String, characters: Int) -> String {
        var kept: [String] = []
        var length = 0
        var total = 0
        for raw in readme.components(separatedBy: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[![") || line.hasPrefix("![") || line.hasPrefix("<") || line.hasPrefix("..") && line.contains("image") { continue }
            total += 1
            if length + line.count > characters { continue }
            if line.isEmpty, kept.last?.isEmpty ?? true { continue }
            kept.append(line)
            length += line.count + 1
        }
        let shownLines = kept.count
        var text = kept.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if shownLines < total { text += "\n(README cut: \(shownLines) of \(total) lines shown)" }
        return text
    }

    /// Ways the repository is started: `python -m` modules, scripts with a `__main__` guard, console scripts.
    static func entryPoints(_ analysis: RepoAnalysis) -> [String] {
        var lines: [String] = []
        for script in analysis.scan.scripts { lines.append("console script `\(script.name)` = \(script.target) (\(script.from))") }
        for file in analysis.tree.files.values.sorted(by: { $0.path < $1.path }) where file.hasMain && !Importance.isTest(file.path) {
            lines.append(file.path.hasSuffix("__main__.py") ? "`python -m \(ModuleGraph.parentName(file.module))` (\(file.path))" : "`python \(file.path)` (has a __main__ block)")
        }
        return Array(lines.prefix(12))
    }
}

extension ModuleGraph {
    /// The package a `__main__` module runs as.
    static func parentName(_ module: String) -> String {
        module.hasSuffix(".__main__") ? String(module.dropLast(9)) : module
    }
}
