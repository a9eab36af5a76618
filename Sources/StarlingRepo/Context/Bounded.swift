/// Keeps tool output and brief sections within a size: the head and the tail of long text with a
/// line that says how much was left out, so a model sees both ends of a long listing.
package enum Bounded {
    /// Estimated tokens in `text`: three characters per token, a deliberately high count for code
    /// (BPE tokenizers average 3–4 characters per token on Python source).
    package static func tokens(in text: String) -> Int { (text.utf8.count + 2) / 3 }

    /// `text`, or its first and last lines within `limit` characters with the middle replaced by a note.
    package static func text(_ text: String, limit: Int) -> String {
        guard text.count > limit else { return text }
        let lines = text.components(separatedBy: "\n")
        var head: [String] = [], tail: [String] = []
        var used = 80
        var front = 0, back = lines.count - 1
        while front <= back {
            let takeHead = head.count <= tail.count * 2
            let line = takeHead ? lines[front] : lines[back]
            let cost = min(line.count, 400) + 1
            if used + cost > limit { break }
            used += cost
            if takeHead { head.append(String(line.prefix(400))); front += 1 } else { tail.insert(String(line.prefix(400)), at: 0); back -= 1 }
        }
        let omitted = back - front + 1
        guard omitted > 0 else { return (head + tail).joined(separator: "\n") }
        return (head + ["… \(omitted) lines omitted …"] + tail).joined(separator: "\n")
    }
}
