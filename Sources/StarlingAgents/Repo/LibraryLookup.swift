import Foundation
import StarlingRepo

/// Installed libraries are repositories too: when a script fails inside a library, the frames of
/// its traceback that lie in `site-packages` name the library function the script called and the
/// one that raised. Their real definitions (signature, docstring head, file and line) are read
/// from the installed source and put in the debug prompt, so the fix uses the real API.
package enum LibraryLookup {
    /// One traceback frame.
    struct Frame: Hashable {
        var file: String
        var line: Int
        var function: String
    }

    /// The `site-packages` frames of a traceback, outermost first.
    static func libraryFrames(in traceback: String) -> [Frame] {
        let pattern = #"File "([^"]*/(?:site|dist)-packages/[^"]+\.py)", line (\d+), in ([A-Za-z_<>][\w<>]*)"#
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(traceback.startIndex..., in: traceback)
        return expression.matches(in: traceback, range: range).compactMap { match in
            guard let file = Range(match.range(at: 1), in: traceback), let line = Range(match.range(at: 2), in: traceback),
                  let function = Range(match.range(at: 3), in: traceback), let number = Int(traceback[line]) else { return nil }
            return Frame(file: String(traceback[file]), line: number, function: String(traceback[function]))
        }
    }

    /// Facts for a debug prompt: the definition of the library function the script called (the
    /// outermost library frame) and of the one that raised (the innermost), when they differ.
    ///
    /// - Parameter traceback: The failed script's error text.
    /// - Returns: At most two lines of the form `sklearn/linear_model/_logistic.py:1187 def fit(self, X, y, sample_weight=None) — docstring head`.
    package static func facts(forTraceback traceback: String) async -> [String] {
        let frames = libraryFrames(in: traceback)
        guard let outer = frames.first else { return [] }
        var wanted = [outer]
        if let inner = frames.last, inner != outer, inner.file != outer.file || inner.function != outer.function { wanted.append(inner) }
        var facts: [String] = []
        for frame in wanted {
            guard let marker = frame.file.range(of: "-packages/") else { continue }
            let root = String(frame.file[..<marker.upperBound])
            let relative = String(frame.file[marker.upperBound...])
            guard let scan = try? await RepoScanner().scan(URL(fileURLWithPath: root), only: relative), let file = scan.files.first else { continue }
            let analysis = RepoAnalysis(root: URL(fileURLWithPath: root), scan: scan)
            let enclosing = analysis.tree.entities.values
                .filter { ($0.kind == .function || $0.kind == .method) && $0.line <= frame.line && frame.line <= $0.endLine }
                .min { $0.lineCount < $1.lineCount }
            guard let entity = enclosing else { continue }
            let doc = entity.doc.isEmpty ? "" : " — " + String(entity.doc.prefix(240))
            facts.append("the library code the error passed through: \(file.path):\(entity.line) def \(entity.signature ?? entity.name) (\(entity.dotted))\(doc)")
        }
        return facts
    }
}
