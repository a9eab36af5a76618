import Foundation
import StarlingRuntime

/// Slot states kept past the run that made them: the processed task context a run's warm-up
/// leaves in a slot, so the next run of the same task restores it from a file
/// instead of processing it again (1,363 tokens of wa-churn took 55 s on two cores).
///
/// A kept state lives in the server's `--slot-save-path` folder as `kept-<key>.bin` (written by
/// the server) beside `kept-<key>.json`, which records the text the state stands for and the
/// fingerprint it was made under. A state is offered only to runs with the same fingerprint
/// (server build, model file, slot size), since another build or model cannot read it. The
/// folder keeps at most ``capacity`` states of any fingerprint; the least recently used go first.
package struct KeptSlotStates: Sendable {
    /// One kept state.
    package struct Entry: Sendable, Hashable, Codable {
        /// The state file's name, relative to the folder.
        package var file: String
        /// The prompt (and reply) text the state stands for, as ``SlotStateCache/text(of:)`` writes it.
        package var text: String
        /// What the state depends on (``KeptSlotStates/fingerprint(server:model:settings:)``).
        package var fingerprint: String
    }

    /// The server's `--slot-save-path` folder.
    package let folder: URL
    /// The fingerprint of this run's server and model.
    package let fingerprint: String
    /// The most kept states the folder holds.
    package let capacity: Int

    /// Kept states in `folder` for runs whose server and model have `fingerprint`.
    package init(folder: URL, fingerprint: String, capacity: Int = 8) {
        self.folder = folder
        self.fingerprint = fingerprint
        self.capacity = max(1, capacity)
    }

    /// A digest of what a saved state depends on: the server binary and the model file (path,
    /// size and modification time, so a rebuilt server or a replaced model never gets an old
    /// state) and the slot settings.
    ///
    /// - Parameters:
    ///   - server: The `llama-server` binary.
    ///   - model: The GGUF file.
    ///   - settings: Server settings that shape a slot's state (context size, slot count).
    /// - Returns: 64 hex digits.
    package static func fingerprint(server: URL, model: URL, settings: [String]) -> String {
        func describe(_ file: URL) -> String {
            let attributes = (try? FileManager.default.attributesOfItem(atPath: file.path)) ?? [:]
            let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
            return "\(file.standardizedFileURL.path)|\(size)|\(modified)"
        }
        let material = ([describe(server), describe(model)] + settings).joined(separator: "\n")
        return Checksum.sha256(of: Data(material.utf8))
    }

    /// The file name a state of `text` is kept under (without extension).
    func name(for text: String) -> String {
        "kept-" + Checksum.sha256(of: Data((fingerprint + "\n" + text).utf8)).prefix(24)
    }

    /// The kept states this run may restore: those of its fingerprint whose state file exists.
    package func entries() -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasPrefix("kept-") && $0.hasSuffix(".json") }.sorted().compactMap { name in
            guard let data = try? Data(contentsOf: folder.appendingPathComponent(name)),
                  let entry = try? JSONDecoder().decode(Entry.self, from: data),
                  entry.fingerprint == fingerprint,
                  FileManager.default.fileExists(atPath: folder.appendingPathComponent(entry.file).path) else { return nil }
            return entry
        }
    }

    /// Whether a state of `text` is kept already.
    func contains(_ text: String) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(file(for: text)).path)
    }

    /// Records that the server has saved a state of `text` as `file(for: text)` and drops the least
    /// recently used states beyond ``capacity``.
    ///
    /// - Returns: The entry.
    @discardableResult
    func record(_ text: String) -> Entry? {
        let entry = Entry(file: file(for: text), text: text, fingerprint: fingerprint)
        guard let data = try? JSONEncoder().encode(entry),
              (try? data.write(to: folder.appendingPathComponent(name(for: text) + ".json"), options: .atomic)) != nil else { return nil }
        evict()
        return entry
    }

    /// The state file's name for `text`, relative to the folder (what the server is told to save).
    func file(for text: String) -> String { name(for: text) + ".bin" }

    /// Marks a kept state as just used, so eviction keeps it longest.
    func touch(_ entry: Entry) {
        try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: folder.appendingPathComponent(entry.file).path)
    }

    /// Deletes the least recently used kept states (any fingerprint) beyond ``capacity``, and the
    /// record of any state whose file is gone.
    func evict() {
        let fm = FileManager.default
        let names = (try? fm.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasPrefix("kept-") && name.hasSuffix(".json") {
            let stem = String(name.dropLast(".json".count))
            if !fm.fileExists(atPath: folder.appendingPathComponent(stem + ".bin").path) {
                try? fm.removeItem(at: folder.appendingPathComponent(name))
            }
        }
        let states = names.filter { $0.hasPrefix("kept-") && $0.hasSuffix(".bin") }.map { name in
            let modified = (try? fm.attributesOfItem(atPath: folder.appendingPathComponent(name).path))?[.modificationDate] as? Date
            return (name: name, modified: modified ?? .distantPast)
        }.sorted { $0.modified > $1.modified }
        for state in states.dropFirst(capacity) {
            let stem = String(state.name.dropLast(".bin".count))
            try? fm.removeItem(at: folder.appendingPathComponent(state.name))
            try? fm.removeItem(at: folder.appendingPathComponent(stem + ".json"))
        }
    }
}
