/// Takes the Python script out of a Markdown reply.
package enum PythonCodeExtractor {
    /// The script in `reply`: the longest ```python block, else the longest unlabelled block.
    /// A reply that is bare code (no fences, no prose) is taken whole.
    ///
    /// The longest block wins because models often follow the script with a short usage example.
    ///
    /// - Parameter reply: The reply text.
    /// - Returns: The code.
    /// - Throws: ``ReplyError`` when there is no code block, or the only block was cut off.
    package static func extract(from reply: String) throws -> String {
        let blocks = MarkdownBlock.all(in: reply)
        let python = blocks.filter { ["python", "py", "python3"].contains($0.language) }
        let unlabelled = blocks.filter { $0.language.isEmpty }
        guard let chosen = (python.isEmpty ? unlabelled : python).max(by: { $0.code.count < $1.code.count }) else {
            if blocks.isEmpty, looksLikeBareCode(reply) { return reply }
            let others = blocks.map(\.language).filter { !$0.isEmpty }
            let detail = others.isEmpty ? "no ```python code block in the reply"
                : "no ```python code block in the reply (found blocks in: \(others.joined(separator: ", ")))"
            throw ReplyError(.code, detail, reply: reply)
        }
        if chosen.isUnterminated {
            throw ReplyError(.code, "the ```python block has no closing fence: the reply was probably cut off by max_tokens", reply: reply)
        }
        let code = chosen.code
        guard code.contains(where: { !$0.isWhitespace }) else {
            throw ReplyError(.code, "the ```python block is empty", reply: reply)
        }
        return code
    }

    /// Whether an unfenced reply starts like a script rather than prose.
    static func looksLikeBareCode(_ text: String) -> Bool {
        let firstLine = text.split(separator: "\n").first { !$0.allSatisfy(\.isWhitespace) } ?? ""
        let starters = ["import ", "from ", "def ", "class ", "#", "\"\"\"", "if __name__"]
        return starters.contains { firstLine.hasPrefix($0) }
    }
}
