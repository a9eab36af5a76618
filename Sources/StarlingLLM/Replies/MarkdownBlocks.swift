import Foundation

/// Fenced code blocks in a Markdown reply.
package struct MarkdownBlock: Sendable, Hashable {
    /// The info string's first word, lower-cased (`python`, `json`, or empty).
    package var language: String
    /// The block's text, without the fences.
    package var code: String
    /// Whether the closing fence was missing (the reply was probably cut off).
    package var isUnterminated: Bool

    /// All fenced blocks (``` or ~~~) of `text`, in order.
    ///
    /// - Parameter text: Markdown.
    /// - Returns: The blocks.
    package static func all(in text: String) -> [MarkdownBlock] {
        var blocks: [MarkdownBlock] = []
        // The open block's fence and language, and its lines kept apart from them: appending to
        // an array held inside an optional tuple copied it on every line (quadratic on long replies).
        var open: (fence: String, language: String)?
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if let current = open {
                if trimmed.hasPrefix(current.fence), trimmed.drop(while: { String($0) == String(current.fence.first!) })
                    .allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                    blocks.append(MarkdownBlock(language: current.language, code: lines.joined(separator: "\n"), isUnterminated: false))
                    open = nil
                    lines = []
                } else {
                    lines.append(line)
                }
            } else if let fenceChar = trimmed.first, fenceChar == "`" || fenceChar == "~" {
                let fence = trimmed.prefix(while: { $0 == fenceChar })
                guard fence.count >= 3 else { continue }
                let info = trimmed.dropFirst(fence.count).trimmingCharacters(in: .whitespaces)
                let language = info.split(separator: " ").first.map { String($0).lowercased() } ?? ""
                open = (String(fence), language)
            }
        }
        if let current = open {
            blocks.append(MarkdownBlock(language: current.language, code: lines.joined(separator: "\n"), isUnterminated: true))
        }
        return blocks
    }
}
