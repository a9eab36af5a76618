import Foundation
import StarlingCore

/// One tried change and what it gained, as the lessons store keeps it.
package struct Lesson: Sendable, Hashable, Codable {
    /// The task it was tried on.
    package var taskID: String
    /// What that task looked like.
    package var fingerprint: TaskFingerprint
    /// The kind of change (`fit_predict: Tune the model's settings for`, `merge`, `refine: add_features`, `stack`).
    package var change: String
    /// The paired cross-validated gain of the changed script over the one it changed.
    package var gain: PairedGain
    /// The run folder's name.
    package var run: String
    /// When.
    package var at: Date = Date()
}

/// Lessons that carry over from run to run: a JSON-lines file in Starling's home
/// (`<home>/lessons/lessons.jsonl`) with one line per tried change, its task's fingerprint and
/// its cross-validated gain. Later runs rank their edit ideas by what similar changes gained on
/// similar tasks; `starling lessons` lists them. Runs with `memory: false` neither read nor write it.
package struct LessonStore: Sendable {
    /// The file.
    package let file: URL

    /// A store in `file` (created on the first lesson).
    package init(file: URL) { self.file = file }

    /// Appends a lesson (one line, so that runs writing at once do not mix their records).
    ///
    /// - Throws: File errors.
    package func append(_ lesson: Lesson) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(lesson)
        line.append(0x0A)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: file.path) { FileManager.default.createFile(atPath: file.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
    }

    /// Every readable lesson, oldest first; a damaged line is skipped.
    package func all() -> [Lesson] {
        guard let data = try? Data(contentsOf: file) else { return [] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return data.split(separator: 0x0A).compactMap { try? decoder.decode(Lesson.self, from: Data($0)) }
    }

    /// What each change is expected to gain on a task like `fingerprint`: the mean of past gains
    /// weighted by the tasks' likeness (`exp(-distance)`), shrunk towards 0 as if one more,
    /// fully alike lesson had gained nothing. Lessons of the task's own runs count too.
    ///
    /// - Parameter lessons: The lessons to weigh; ``all()`` by default.
    /// - Returns: Expected gain by change; changes never tried are absent.
    package func expectedGains(for fingerprint: TaskFingerprint, lessons: [Lesson]? = nil) -> [String: Double] {
        var sums: [String: (weighted: Double, weight: Double)] = [:]
        for lesson in lessons ?? all() where lesson.gain.mean.isFinite {
            let weight = exp(-lesson.fingerprint.distance(to: fingerprint))
            let current = sums[lesson.change] ?? (0, 0)
            sums[lesson.change] = (current.weighted + weight * lesson.gain.mean, current.weight + weight)
        }
        return sums.mapValues { $0.weighted / ($0.weight + 1) }
    }

    /// `items` ordered by expected gain, best first; items with no lesson keep their place
    /// relative to each other, after those expected to gain and before those expected to lose.
    package func rank<T>(_ items: [T], change: (T) -> String, for fingerprint: TaskFingerprint) -> [T] {
        let expected = expectedGains(for: fingerprint)
        guard !expected.isEmpty else { return items }
        return items.enumerated().sorted { a, b in
            let x = expected[change(a.element)] ?? 0, y = expected[change(b.element)] ?? 0
            return x == y ? a.offset < b.offset : x > y
        }.map(\.element)
    }

    /// The few lessons most worth showing a model about to make `change` on a task like
    /// `fingerprint`: those of the same change first, then those of the most alike tasks, the
    /// newest first among equals.
    ///
    /// - Parameters:
    ///   - lessons: The lessons to choose from; ``all()`` by default.
    ///   - limit: How many at most.
    package func relevant(to fingerprint: TaskFingerprint, change: String, lessons: [Lesson]? = nil, limit: Int = 3) -> [Lesson] {
        let sorted = (lessons ?? all()).filter { $0.gain.mean.isFinite }.sorted { a, b in
            if (a.change == change) != (b.change == change) { return a.change == change }
            let da = a.fingerprint.distance(to: fingerprint), db = b.fingerprint.distance(to: fingerprint)
            return da == db ? a.at > b.at : da < db
        }
        return Array(sorted.prefix(limit))
    }
}
