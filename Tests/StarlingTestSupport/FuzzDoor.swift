import Foundation
import StarlingBench
import StarlingRuntime

/// One fuzzed door: a seeded source of cases, a count that `STARLING_FUZZ_CASES` raises (see
/// bench/README.md), a deadline per case, and a tally printed as one line for the CI log,
/// `door NAME: N cases, 0 crashes, 0 hangs, 0 inputs changed (E clear errors, H handled)`.
///
/// A crash ends the test process, so a suite that reaches its summary had none; a hang is a
/// case that outlived its deadline.
package struct FuzzDoor: Sendable {
    /// The door's name in the summary.
    package let name: String
    /// The fixed seed: the same cases on every run.
    package let seed: UInt64
    /// How many cases run: the default, or `STARLING_FUZZ_CASES` when that is larger.
    package let count: Int
    /// Seconds one case may take before it counts as a hang.
    package let deadline: Double

    package private(set) var cases = 0
    package private(set) var hangs = 0
    package private(set) var inputsChanged = 0
    package private(set) var clearErrors = 0
    package private(set) var handled = 0
    /// What went wrong, one line per failing case (at most 20 kept).
    package private(set) var failures: [String] = []

    /// Creates a door.
    ///
    /// - Parameters:
    ///   - name: The door's name.
    ///   - seed: The fixed seed.
    ///   - defaultCount: Cases in the ordinary test run.
    ///   - deadline: Seconds per case before it counts as a hang.
    ///   - environment: Where `STARLING_FUZZ_CASES` is read.
    package init(_ name: String, seed: UInt64, defaultCount: Int, deadline: Double = 10,
                 environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.name = name
        self.seed = seed
        self.deadline = deadline
        count = max(defaultCount, environment["STARLING_FUZZ_CASES"].flatMap { Int($0) } ?? 0)
    }

    /// A generator for case `index`: each case has its own stream, so a failing case can be rerun alone.
    package func generator(for index: Int) -> SeededGenerator {
        SeededGenerator(seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// The end of one case.
    package enum Outcome: Sendable {
        /// The input was refused with an error a user can act on.
        case clearError
        /// The input was accepted and answered.
        case handled
        /// The answer was wrong (an unclear error, a wrong status): what was seen.
        case wrong(String)
    }

    /// Records one case.
    package mutating func record(_ index: Int, _ outcome: Outcome, inputsChanged changed: Bool = false, label: String = "") {
        cases += 1
        if changed {
            inputsChanged += 1
            note("case \(index) \(label): an input file changed")
        }
        switch outcome {
        case .clearError: clearErrors += 1
        case .handled: handled += 1
        case .wrong(let what): note("case \(index) \(label): \(what)")
        }
    }

    /// Records a case that outlived ``deadline``.
    package mutating func recordHang(_ index: Int, label: String) {
        cases += 1
        hangs += 1
        note("case \(index) \(label): still running after \(deadline) s")
    }

    private mutating func note(_ line: String) {
        if failures.count < 20 { failures.append(String(line.prefix(400))) }
    }

    /// The line the suite prints.
    package var summary: String {
        "door \(name): \(cases) cases, 0 crashes, \(hangs) hangs, \(inputsChanged) inputs changed "
            + "(\(clearErrors) clear errors, \(handled) handled, \(failures.count) wrong; seed \(seed))"
    }

    /// Runs `body` with the door's deadline: its value, or `nil` when it did not finish in time
    /// (the work is cancelled; synchronous work that ignores cancellation is left behind).
    package func withDeadline<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T? {
        await withTaskGroup(of: T?.self) { group in
            group.addTask { await body() }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(Int(deadline * 1000)))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}

/// SHA-256 of every file under `folder` (links not followed), keyed by relative path, so a
/// suite can show that handling a case left its inputs as they were.
package func fingerprint(_ folder: URL) -> [String: String] {
    var result: [String: String] = [:]
    let base = folder.standardizedFileURL.path
    guard let walker = FileManager.default.enumerator(atPath: base) else { return result }
    while let relative = walker.nextObject() as? String {
        let path = base + "/" + relative
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        switch attributes?[.type] as? FileAttributeType {
        case .typeRegular?:
            let data = FileManager.default.contents(atPath: path) ?? Data()
            result[relative] = Checksum.sha256(of: data)
        case .typeSymbolicLink?:
            result[relative] = "link → " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?")
        default:
            result[relative] = "folder"
        }
    }
    return result
}

/// Random pieces that fuzz cases are made of.
extension SeededGenerator {
    /// A uniformly chosen element.
    package mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }

    /// An integer in `range`.
    package mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// `true` with probability `p`.
    package mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) / 1_000_000 < p }

    /// `count` random bytes.
    package mutating func bytes(_ count: Int) -> Data {
        Data((0..<count).map { _ in UInt8(truncatingIfNeeded: next()) })
    }

    /// Text that is hard to handle: control characters, quotes, separators, emoji, NUL, long runs.
    package mutating func nastyText(maxLength: Int = 40) -> String {
        let pieces = ["\0", "\"", "'", ",", "\n", "\r\n", "\t", "\\", "{", "}", "[", "]", ":", "-", "#", "é", "🦆", "\u{202E}",
                      "null", "true", "1e309", "-0", "NaN", "../", "/", "%s", "${HOME}", "```", "~~~", " "]
        var text = ""
        for _ in 0..<int(0...maxLength) {
            text += chance(0.5) ? pick(pieces) : String(UnicodeScalar(UInt8(int(32...126))))
        }
        return text
    }

    /// A copy of `data` with a few bytes flipped, cut, or repeated.
    package mutating func mangled(_ data: Data) -> Data {
        var bytes = [UInt8](data)
        switch int(0...3) {
        case 0 where !bytes.isEmpty:
            for _ in 0..<int(1...8) { bytes[int(0...bytes.count - 1)] = UInt8(truncatingIfNeeded: next()) }
        case 1 where !bytes.isEmpty:
            bytes = Array(bytes.prefix(int(0...bytes.count - 1)))
        case 2 where !bytes.isEmpty:
            let at = int(0...bytes.count - 1)
            bytes.insert(contentsOf: Array(repeating: bytes[at], count: int(1...200)), at: at)
        default:
            bytes += [UInt8](self.bytes(int(1...64)))
        }
        return Data(bytes)
    }
}
