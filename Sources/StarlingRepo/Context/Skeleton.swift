/// Signatures and docstring heads without bodies: how a long module or class is shown in a brief
/// and by the view tools.
package struct Skeleton: Sendable {
    let analysis: RepoAnalysis

    /// Creates a skeleton writer.
    package init(_ analysis: RepoAnalysis) { self.analysis = analysis }

    /// A module's classes and functions with signatures and docstring heads.
    ///
    /// - Parameters:
    ///   - id: The module id.
    ///   - methodLimit: Methods shown per class (public ones and `__init__` first).
    ///   - docLength: Characters of each docstring head kept.
    package func module(_ id: String, methodLimit: Int = 12, docLength: Int = 100) -> String {
        guard let entity = analysis.tree.entities[id] else { return "" }
        var lines = ["# \(entity.path) (\(entity.lineCount) lines)"]
        if !entity.doc.isEmpty { lines.append("\"\"\"\(Self.cut(entity.doc, docLength * 2))\"\"\"") }
        for child in entity.children {
            guard let item = analysis.tree.entities[child] else { continue }
            switch item.kind {
            case .class: lines += classLines(item, indent: "", methodLimit: methodLimit, docLength: docLength)
            case .function: lines.append(functionLine(item, indent: "", docLength: docLength))
            default: continue
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A class's signature, docstring head and methods.
    package func `class`(_ id: String, methodLimit: Int = 40, docLength: Int = 120) -> String {
        guard let entity = analysis.tree.entities[id] else { return "" }
        return classLines(entity, indent: "", methodLimit: methodLimit, docLength: docLength).joined(separator: "\n")
    }

    func classLines(_ entity: CodeEntity, indent: String, methodLimit: Int, docLength: Int) -> [String] {
        var lines = ["\(indent)class \(entity.signature ?? entity.name):  # line \(entity.line)-\(entity.endLine)"]
        if !entity.doc.isEmpty { lines.append("\(indent)    \"\"\"\(Self.cut(entity.doc, docLength))\"\"\"") }
        let children = entity.children.compactMap { analysis.tree.entities[$0] }
        let methods = children.filter { $0.kind == .method }
        let shown = methods.filter { !$0.name.hasPrefix("_") || $0.name == "__init__" || $0.name == "__call__" }
            + methods.filter { $0.name.hasPrefix("_") && $0.name != "__init__" && $0.name != "__call__" }
        for method in shown.prefix(methodLimit) { lines.append(functionLine(method, indent: indent + "    ", docLength: docLength)) }
        if shown.count > methodLimit { lines.append("\(indent)    # … \(shown.count - methodLimit) more methods") }
        for nested in children where nested.kind == .class {
            lines += classLines(nested, indent: indent + "    ", methodLimit: max(3, methodLimit / 3), docLength: docLength)
        }
        return lines
    }

    func functionLine(_ entity: CodeEntity, indent: String, docLength: Int) -> String {
        var line = "\(indent)def \(entity.signature ?? entity.name)"
        if !entity.doc.isEmpty, docLength > 0 { line += "  # " + Self.cut(entity.doc, docLength) }
        return line
    }

    static func cut(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
