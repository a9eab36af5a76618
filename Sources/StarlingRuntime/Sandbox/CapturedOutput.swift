/// Output kept in memory from an execution: the start and the end, with the middle dropped
/// once the total passes the cap. The log file always has everything.
package struct CapturedOutput: Sendable, Hashable, Codable {
    /// The first bytes, up to half the cap, as UTF-8 text.
    package var head: String
    /// The last bytes, up to half the cap, as UTF-8 text; empty when nothing was dropped.
    package var tail: String
    /// All bytes the script wrote.
    package var totalBytes: Int
    /// Whether bytes between head and tail were dropped.
    package var truncated: Bool

    /// Head and tail joined with a marker that says how much was dropped.
    package var text: String {
        guard truncated else { return head + tail }
        let dropped = totalBytes - head.utf8.count - tail.utf8.count
        return head + "\n… [\(dropped) bytes omitted; see the log file] …\n" + tail
    }
}

/// Accumulates a byte stream into a bounded head and a rolling tail.
struct OutputCapture {
    private let half: Int
    private var head: [UInt8] = []
    private var tail: [UInt8] = []
    private(set) var total = 0

    init(cap: Int) {
        half = max(128, cap / 2)
        head.reserveCapacity(half)
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        total += bytes.count
        var rest = bytes[...]
        if head.count < half {
            let take = min(half - head.count, rest.count)
            head.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
        }
        guard !rest.isEmpty else { return }
        if rest.count >= half {
            tail = Array(rest.suffix(half))
        } else {
            tail.append(contentsOf: rest)
            if tail.count > 2 * half { tail.removeFirst(tail.count - half) }
        }
    }

    func finish() -> CapturedOutput {
        let keptTail = tail.suffix(half)
        return CapturedOutput(
            head: String(decoding: head, as: UTF8.self),
            tail: String(decoding: keptTail, as: UTF8.self),
            totalBytes: total,
            truncated: total > head.count + keptTail.count
        )
    }
}
