import Foundation

/// Short fix hints for error patterns small models hit again and again, read from
/// `Resources/hints/*.md` (and `STARLING_HINTS`, a folder of more). Each file starts with a
/// `pattern: REGEX` line (several allowed), then a `---` line, then the hint text.
package struct ErrorHints: Sendable {
    /// One hint.
    package struct Hint: Sendable, Hashable {
        /// The file's name without `.md`.
        package var name: String
        /// Regular expressions; any match selects the hint.
        package var patterns: [String]
        /// What to tell the model.
        package var text: String
    }

    /// Every hint loaded.
    package let hints: [Hint]

    /// Loads the bundled hints and those in `extraFolder`.
    package init(extraFolder: URL? = ProcessInfo.processInfo.environment["STARLING_HINTS"].map { URL(fileURLWithPath: $0) }) {
        var folders: [URL] = []
        if let bundled = Bundle.module.url(forResource: "hints", withExtension: nil, subdirectory: "Resources") { folders.append(bundled) }
        if let extraFolder { folders.append(extraFolder) }
        var hints: [Hint] = []
        for folder in folders {
            let files = ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
                .filter { $0.pathExtension == "md" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
            for file in files {
                guard let text = try? String(contentsOf: file, encoding: .utf8), let hint = Self.parse(text, name: file.deletingPathExtension().lastPathComponent) else { continue }
                hints.append(hint)
            }
        }
        self.hints = hints
    }

    /// Creates a set from explicit hints (tests).
    package init(hints: [Hint]) { self.hints = hints }

    static func parse(_ text: String, name: String) -> Hint? {
        let parts = text.components(separatedBy: "\n---\n")
        guard parts.count >= 2 else { return nil }
        let patterns = parts[0].split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("pattern:") else { return nil }
            return line.dropFirst("pattern:".count).trimmingCharacters(in: .whitespaces)
        }
        let body = parts.dropFirst().joined(separator: "\n---\n").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !patterns.isEmpty, !body.isEmpty else { return nil }
        return Hint(name: name, patterns: patterns, text: body)
    }

    /// The hints whose pattern matches `error`.
    package func matching(_ error: String) -> [Hint] {
        hints.filter { hint in
            hint.patterns.contains { error.range(of: $0, options: [.regularExpression, .caseInsensitive]) != nil }
        }
    }
}
