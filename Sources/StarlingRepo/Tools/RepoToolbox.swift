import Foundation
import StarlingCore

/// Runs ``RepoTool``s on an analysed repository. Output is bounded (head and tail of long text);
/// a bad argument is an answer that says what to give instead, never a crash, so a model can
/// correct itself on the next turn.
package struct RepoToolbox: Sendable {
    /// The repository.
    package let analysis: RepoAnalysis
    /// Characters of output per call at most.
    package let outputLimit: Int
    /// Folders outside the repository that `view_file` may also read, by path prefix (a task's
    /// `input/` files: small models ask to see them however often the prompt lists them).
    package var extraFolders: [String: URL] = [:]

    /// One tool call's answer.
    package struct Result: Sendable, Hashable {
        package var tool: String
        package var output: String
        /// `false` when the call could not be answered (unknown tool, missing argument, nothing found).
        package var ok: Bool
    }

    /// Creates a toolbox.
    /// Call sites `find_references` lists at most (it says how many there are in all); 0 lists every one.
    package var referenceLimit = 60

    package init(_ analysis: RepoAnalysis, outputLimit: Int = 6000) {
        self.analysis = analysis
        self.outputLimit = outputLimit
        documentation = Self.documentation(of: analysis)
    }

    /// Calls `tool` with `arguments`.
    package func call(_ tool: String, _ arguments: [String: JSONValue]) -> Result {
        guard let known = RepoTool(rawValue: tool) else {
            return Result(tool: tool, output: "unknown tool '\(tool.prefix(80))'; the tools are: " + RepoTool.allCases.map(\.rawValue).joined(separator: ", "), ok: false)
        }
        do {
            let output = try run(known, Arguments(values: arguments, tool: known))
            return Result(tool: tool, output: Bounded.text(output, limit: outputLimit), ok: true)
        } catch {
            // A refusal quotes the argument, which may be as long as a model cares to make it.
            return Result(tool: tool, output: Bounded.text("\(error)", limit: outputLimit), ok: false)
        }
    }

    struct Arguments {
        let values: [String: JSONValue]
        let tool: RepoTool

        func string(_ key: String) throws -> String {
            guard let value = optionalString(key), !value.isEmpty else {
                throw RepoError("\(tool.rawValue) needs '\(key)': " + tool.arguments.joined(separator: "; "))
            }
            return value
        }

        func optionalString(_ key: String) -> String? {
            switch values[key] {
            case .string(let value)?: value.trimmingCharacters(in: .whitespaces)
            case .number(let value)?: value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
            default: nil
            }
        }

        /// A whole number, clamped to ±``Arguments/integerLimit`` so line arithmetic cannot overflow
        /// (a model may send `1e300` or `9223372036854775807` as a line number).
        func integer(_ key: String) -> Int? {
            let value: Double? = switch values[key] {
            case .number(let number)?: number
            case .string(let text)?: Double(text.trimmingCharacters(in: .whitespaces))
            default: nil
            }
            guard let value, value.isFinite else { return nil }
            return Int(min(max(value.rounded(.towardZero), -Self.integerLimit), Self.integerLimit))
        }

        static let integerLimit = 1e9
    }

    func run(_ tool: RepoTool, _ arguments: Arguments) throws -> String {
        switch tool {
        case .listStructure: try structure(at: arguments.optionalString("path"), depth: arguments.integer("depth") ?? 2)
        case .searchCode: try search(arguments.string("pattern"), in: arguments.optionalString("path"))
        case .viewFile: try viewFile(arguments.string("path"), from: arguments.integer("start_line"), to: arguments.integer("end_line"))
        case .viewClass: try viewClass(arguments.string("name"))
        case .viewFunction: try viewFunction(arguments.string("name"))
        case .findReferences: try references(arguments.string("name"))
        case .findDependencies: try dependencies(arguments.string("name"))
        }
    }

    // MARK: - Tools

    func structure(at path: String?, depth: Int) throws -> String {
        let tree = analysis.tree
        var starts = tree.roots
        if let path, !path.isEmpty, path != ".", path != "/" {
            let dotted = path.trimmingCharacters(in: CharacterSet(charactersIn: "/")).replacingOccurrences(of: "/", with: ".")
                .replacingOccurrences(of: ".py", with: "")
            guard let found = tree.entities[dotted] ?? tree.entities.values.first(where: { $0.path == path || $0.path == path + "/" }) else {
                throw RepoError("no package or module at '\(path)'; top level: " + tree.roots.prefix(20).joined(separator: ", "))
            }
            starts = [found.id]
        }
        var lines: [String] = []
        func walk(_ id: String, level: Int) {
            guard let entity = tree.entities[id] else { return }
            let indent = String(repeating: "  ", count: level)
            if entity.kind == .module || entity.kind == .package {
                let file = tree.files[id]
                let counts = file.map { " — \($0.lines) lines, \($0.classes.count) classes, \($0.functions.count) functions" } ?? " (namespace folder)"
                lines.append("\(indent)\(entity.kind == .package ? "📦 " : "")\(id) [\(entity.path)]\(counts)")
                guard level < depth else {
                    let more = entity.children.filter { tree.entities[$0]?.kind == .module || tree.entities[$0]?.kind == .package }.count
                    if more > 0 { lines.append("\(indent)  … \(more) modules inside (raise depth or list '\(id)')") }
                    return
                }
                for child in entity.children { walk(child, level: level + 1) }
            } else if entity.kind == .class {
                lines.append("\(indent)class \(entity.name) (line \(entity.line), \(entity.children.count) members)")
            } else if entity.kind == .function {
                lines.append("\(indent)def \(entity.name) (line \(entity.line))")
            }
        }
        for start in starts { walk(start, level: 0) }
        if !analysis.scan.skipped.isEmpty, starts == tree.roots {
            lines.append("skipped: " + analysis.scan.skipped.prefix(10).map { "\($0.path) (\($0.reason))" }.joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }

    func search(_ pattern: String, in path: String?, fallback: Bool = true) throws -> String {
        let expression: NSRegularExpression
        // A repetition of a repetition (`(a+)+`) can backtrack for longer than any run lasts, and
        // NSRegularExpression has no time limit: such a pattern is searched as plain text.
        if !Self.repeatsARepetition(pattern), let parsed = try? NSRegularExpression(pattern: pattern) {
            expression = parsed
        } else {
            expression = try NSRegularExpression(pattern: NSRegularExpression.escapedPattern(for: pattern))
        }
        var files = analysis.scan.files.map(\.path) + documentation
        if let readme = analysis.scan.readme?.path, !files.contains(readme) { files.append(readme) }
        if let path, !path.isEmpty, path != "." {
            let prefix = path.hasSuffix("/") || path.hasSuffix(".py") ? path : path + "/"
            files = files.filter { $0 == path || $0.hasPrefix(prefix) }
            if files.isEmpty { throw RepoError("no Python file under '\(path)'") }
        }
        var matches: [String] = []
        var total = 0
        for file in files.sorted() {
            guard let lines = try? analysis.source(of: file) else { continue }
            for (index, line) in lines.enumerated() where expression.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil {
                total += 1
                if matches.count < 60 { matches.append("\(file):\(index + 1): \(line.trimmingCharacters(in: .whitespaces).prefix(160))") }
            }
        }
        if total == 0 {
            // A pattern written as code (`mod.func(x, y=1)`) matches nothing; its last name usually finds the definition.
            // The callee (the name before the first parenthesis), else the longest name in the pattern.
            let callee = pattern.split(separator: "(").first.flatMap { $0.split { !($0.isLetter || $0.isNumber || $0 == "_") }.last.map(String.init) }
            let names = pattern.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init).filter { $0.count >= 3 }
            let chosen = pattern.contains("(") && (callee?.count ?? 0) >= 3 ? callee : names.max(by: { $0.count < $1.count })
            if fallback, let name = chosen,
               name != pattern, let found = try? search("\\b(def|class) " + name + "\\b", in: path, fallback: false) {
                return "no line matches '\(pattern)'; definitions named '\(name)':\n" + found
            }
            throw RepoError("no line matches '\(pattern)'" + (path.map { " under \($0)" } ?? "") + "; search for one name, e.g. a function's name")
        }
        return (["\(total) matching lines" + (total > matches.count ? " (first \(matches.count) shown)" : "")] + matches).joined(separator: "\n")
    }

    /// Whether a regular expression quantifies a group that itself holds a quantifier or an
    /// alternation (`(a+)+`, `(a|aa)*`, `(x*){2,}`): the shapes whose backtracking grows
    /// exponentially with the line's length.
    static func repeatsARepetition(_ pattern: String) -> Bool {
        var groups: [Bool] = []  // per open group: whether it holds a quantifier or `|`
        var closedRepeating = false  // the group just closed holds one
        var characters = pattern.makeIterator()
        var inClass = false
        while let c = characters.next() {
            let afterGroup = closedRepeating
            closedRepeating = false
            if c == "\\" { _ = characters.next(); continue }
            if inClass { if c == "]" { inClass = false }; continue }
            switch c {
            case "[": inClass = true
            case "(": groups.append(false)
            case ")": closedRepeating = groups.popLast() ?? false
            case "+", "*", "{", "|", "?":
                if afterGroup, c != "|", c != "?" { return true }
                if c != "?", !groups.isEmpty { groups[groups.count - 1] = true }
            default: break
            }
            // A group holding a repeating group repeats too.
            if c == ")", closedRepeating, !groups.isEmpty { groups[groups.count - 1] = true }
        }
        return false
    }

    /// Documentation files (`.md`, `.rst`, `.txt` up to 200 KB) outside the skipped folders: options
    /// a library documents only in its docs are found by `search_code` too. Listed once per toolbox,
    /// not on every search.
    let documentation: [String]

    static func documentation(of analysis: RepoAnalysis) -> [String] {
        let skipped = Set(analysis.scan.skipped.map { $0.path.hasSuffix("/") ? String($0.path.dropLast()) : $0.path })
        guard let walker = FileManager.default.enumerator(at: analysis.root, includingPropertiesForKeys: [.fileSizeKey, .isDirectoryKey]) else { return [] }
        var found: [String] = []
        let rootPath = analysis.root.standardizedFileURL.path + "/"
        for case let url as URL in walker {
            let relative = url.standardizedFileURL.path.replacingOccurrences(of: rootPath, with: "")
            let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isDirectoryKey])
            if values?.isDirectory == true {
                if skipped.contains(relative) || url.lastPathComponent.hasPrefix(".") { walker.skipDescendants() }
                continue
            }
            guard ["md", "rst", "txt"].contains(url.pathExtension.lowercased()), (values?.fileSize ?? 0) <= 200_000 else { continue }
            found.append(relative)
            if found.count >= 2000 { break }
        }
        return found
    }

    func viewFile(_ path: String, from start: Int?, to end: Int?) throws -> String {
        let clean = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        let all: [String]
        if let prefix = extraFolders.keys.first(where: { clean.hasPrefix($0 + "/") }), let folder = extraFolders[prefix] {
            let file = try RepoPath.resolve(String(clean.dropFirst(prefix.count + 1)), inside: folder, label: "\(prefix)/")
            all = try RepoPath.text(of: file, shownAs: clean).components(separatedBy: "\n")
        } else if let lines = try? analysis.source(of: clean) {
            all = lines
        } else if !clean.hasSuffix(".py"), !clean.hasSuffix("/"),
                  let entity = analysis.tree.lookup(clean.replacingOccurrences(of: "/", with: ".")).first {
            // A dotted name or a path without `.py` (`pkg/mod/Class`): show that definition.
            return try viewFunctionOrOther(entity)
        } else {
            all = try analysis.source(of: clean)
        }
        if start == nil, end == nil, all.count > 150, let module = analysis.tree.files.values.first(where: { $0.path == clean })?.module {
            return "\(clean) has \(all.count) lines; its skeleton (ask for start_line/end_line to read code):\n" + Skeleton(analysis).module(module)
        }
        let lower = max(1, start ?? 1), upper = min(all.count, end ?? max(lower + 199, 1))
        guard lower <= upper else { throw RepoError("\(clean) has \(all.count) lines; start_line \(lower) is past its end") }
        return numbered(Array(all[(lower - 1)...(upper - 1)]), from: lower, header: "\(clean) lines \(lower)-\(upper) of \(all.count)")
    }

    func viewClass(_ name: String) throws -> String {
        let entity = try analysis.tree.entity(named: name)
        guard entity.kind == .class else { return try viewFunctionOrOther(entity) }
        var text = [String]()
        let bases = (analysis.calls.bases[entity.id] ?? []).compactMap { analysis.tree.entities[$0]?.dotted } + (analysis.calls.externalBases[entity.id] ?? [])
        let subclasses = analysis.calls.bases.filter { $0.value.contains(entity.id) }.keys.compactMap { analysis.tree.entities[$0]?.dotted }.sorted()
        text.append("class \(entity.dotted) in \(entity.path) lines \(entity.line)-\(entity.endLine)")
        if !bases.isEmpty { text.append("bases: " + bases.joined(separator: ", ")) }
        if !subclasses.isEmpty { text.append("subclasses: " + subclasses.prefix(20).joined(separator: ", ")) }
        if entity.lineCount > 120 {
            text.append("(long class: skeleton shown; view_function Class.method for a body)")
            text.append(Skeleton(analysis).class(entity.id))
        } else {
            text.append(numbered(try analysis.source(of: entity.path, lines: entity.line...entity.endLine), from: entity.line, header: nil))
        }
        return text.joined(separator: "\n")
    }

    func viewFunction(_ name: String) throws -> String {
        try viewFunctionOrOther(try analysis.tree.entity(named: name))
    }

    func viewFunctionOrOther(_ entity: CodeEntity) throws -> String {
        switch entity.kind {
        case .class: return try viewClass(entity.id)
        case .module, .package: return try viewFile(entity.path, from: nil, to: nil)
        default: break
        }
        var text = ["\(entity.kind.rawValue) \(entity.dotted) in \(entity.path) lines \(entity.line)-\(entity.endLine)"]
        text.append(numbered(try analysis.source(of: entity.path, lines: entity.line...entity.endLine), from: entity.line, header: nil))
        let callees = (analysis.calls.calls[entity.id] ?? []).compactMap { analysis.tree.entities[$0.callee]?.dotted }
        if !callees.isEmpty { text.append("calls: " + Array(Set(callees)).sorted().prefix(25).joined(separator: ", ")) }
        let callers = (analysis.calls.callers[entity.id] ?? []).compactMap { analysis.tree.entities[$0.caller]?.dotted }
        if !callers.isEmpty { text.append("called by: " + Array(Set(callers)).sorted().prefix(25).joined(separator: ", ")) }
        return text.joined(separator: "\n")
    }

    func references(_ name: String) throws -> String {
        let entity = try analysis.tree.entity(named: name)
        var lines = ["references to \(entity.kind.rawValue) \(entity.dotted):"]
        if entity.kind == .module || entity.kind == .package {
            let importers = (analysis.modules.importers[entity.id] ?? []).sorted()
            lines.append(importers.isEmpty ? "imported by no module in the repository" : "imported by: " + importers.joined(separator: ", "))
        } else {
            var targets = [entity.id]
            if entity.kind == .class { targets += entity.children.filter { analysis.tree.entities[$0]?.kind == .method } }
            var sites: [String] = []
            for target in targets {
                for call in analysis.calls.callers[target] ?? [] {
                    let caller = analysis.tree.entities[call.caller]
                    sites.append("\(caller?.path ?? "?"):\(call.line) in \(caller?.dotted ?? call.caller) → \(analysis.tree.entities[target]?.name ?? target)")
                }
            }
            if entity.kind == .class {
                let subclasses = analysis.calls.bases.filter { $0.value.contains(entity.id) }.keys.compactMap { analysis.tree.entities[$0]?.dotted }.sorted()
                if !subclasses.isEmpty { lines.append("subclassed by: " + subclasses.joined(separator: ", ")) }
            }
            let shown = sites.sorted().prefix(referenceLimit > 0 ? referenceLimit : sites.count)
            let heading = shown.count == sites.count ? "\(sites.count) call sites:" : "\(sites.count) call sites (the first \(shown.count) by file and line):"
            lines.append(sites.isEmpty ? "no resolved call sites" : heading + "\n" + shown.joined(separator: "\n"))
        }
        if let text = try? search("\\b" + NSRegularExpression.escapedPattern(for: entity.name) + "\\b", in: nil) {
            lines.append("name '\(entity.name)' in the text: " + text)
        }
        return lines.joined(separator: "\n")
    }

    func dependencies(_ name: String) throws -> String {
        let entity = try analysis.tree.entity(named: name)
        var lines = ["dependencies of \(entity.kind.rawValue) \(entity.dotted):"]
        if entity.kind == .module || entity.kind == .package {
            let inside = (analysis.modules.imports[entity.id] ?? []).sorted()
            let outside = (analysis.modules.external[entity.id] ?? []).sorted()
            lines.append("imports in the repository: " + (inside.isEmpty ? "none" : inside.joined(separator: ", ")))
            lines.append("imports outside: " + (outside.isEmpty ? "none" : outside.joined(separator: ", ")))
            return lines.joined(separator: "\n")
        }
        var members = [entity.id]
        if entity.kind == .class { members += entity.children.filter { analysis.tree.entities[$0]?.kind == .method } }
        let inside = Set(members.flatMap { analysis.calls.calls[$0] ?? [] }.map(\.callee)).subtracting(members)
            .compactMap { analysis.tree.entities[$0]?.dotted }.sorted()
        let outside = Set(members.flatMap { analysis.calls.externalCalls[$0] ?? [] }).sorted()
        if entity.kind == .class {
            let bases = (analysis.calls.bases[entity.id] ?? []).compactMap { analysis.tree.entities[$0]?.dotted } + (analysis.calls.externalBases[entity.id] ?? [])
            if !bases.isEmpty { lines.append("bases: " + bases.joined(separator: ", ")) }
        }
        lines.append("calls in the repository: " + (inside.isEmpty ? "none resolved" : inside.joined(separator: ", ")))
        lines.append("calls outside: " + (outside.isEmpty ? "none" : outside.prefix(40).joined(separator: ", ")))
        lines.append("its module imports: " + ((analysis.modules.imports[entity.module] ?? []).sorted().joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }

    func numbered(_ lines: [String], from first: Int, header: String?) -> String {
        let width = String(first + lines.count).count
        let body = lines.enumerated().map { index, line in
            let number = String(first + index)
            return String(repeating: " ", count: width - number.count) + number + "  " + line
        }
        return ((header.map { [$0] } ?? []) + body).joined(separator: "\n")
    }
}
