import Foundation

/// Tuning without an LLM: finds a script's model settings (the `params = dict(...)` of its
/// `fit_predict`), picks the search space of its model family (`Resources/tuning/spaces.json`)
/// and writes variants of the script with other settings (`tune_settings.py`). The harness
/// cross-validates each variant like any node; the best becomes a node like any other.
package struct Tuner: Sendable {
    /// One model family's search space.
    package struct Family: Sendable, Codable {
        /// The family's name, e.g. `lightgbm`.
        package var name: String
        /// Settings a script must have for the family to apply.
        package var detect: [String]
        /// Trials run first, before random ones.
        package var first: [[String: SettingValue]]
        /// Values random trials draw from, by setting.
        package var space: [String: [SettingValue]]
        /// Settings a trial may add though the script does not set them.
        package var adds: [String]
        /// Settings that weigh every class alike (`class_weight="balanced"`), tried for metrics
        /// that do (``Metric/weighsClassesEqually``); `nil` when the family has none.
        package var balance: [String: SettingValue]?
    }

    /// A setting's value: a number or a string.
    package enum SettingValue: Sendable, Hashable, Codable, CustomStringConvertible {
        case number(Double)
        case text(String)

        package init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let n = try? c.decode(Double.self) { self = .number(n) } else { self = .text(try c.decode(String.self)) }
        }

        package func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .number(let n): try n.rounded() == n && abs(n) < 1e15 ? c.encode(Int(n)) : c.encode(n)
            case .text(let t): try c.encode(t)
            }
        }

        package var description: String {
            switch self {
            case .number(let n): n.rounded() == n && abs(n) < 1e15 ? String(Int(n)) : String(n)
            case .text(let t): t
            }
        }
    }

    struct Spaces: Codable { var families: [Family] }
    struct Keys: Codable {
        var error: String?, keys: [String]?, name: String?, space: [String: [SettingValue]]?, values: [String: SettingValue?]?
    }

    /// What the tuner found in a script and will try on it.
    package struct Plan: Sendable {
        /// The model family.
        package var family: String
        /// The script's settings (the keys of its `params = dict(...)`).
        package var settings: [String]
        /// The settings' current values, where they are plain literals.
        package var values: [String: SettingValue]
        /// The trials, in order.
        package var trials: [[String: SettingValue]]
    }
    struct Applied: Codable { var error: String? }

    /// The bundled families, in the order they are tried.
    package let families: [Family]
    /// Runs `tune_settings.py`.
    package let tools: ToolRunner

    /// A tuner with the bundled search spaces.
    ///
    /// - Throws: ``AgentError`` when `spaces.json` is missing or unreadable.
    package init(tools: ToolRunner) throws {
        guard let url = Bundle.module.url(forResource: "spaces", withExtension: "json", subdirectory: "Resources/tuning"),
              let data = try? Data(contentsOf: url) else {
            throw AgentError("Resources/tuning/spaces.json is missing from Starling's resources; rebuild with `swift build`")
        }
        do {
            families = try JSONDecoder().decode(Spaces.self, from: data).families
        } catch {
            throw AgentError("Resources/tuning/spaces.json cannot be read: \(error)")
        }
        self.tools = tools
    }

    /// The family of a script's settings and the trials to run on it (`count` at most: the
    /// family's first trials, then random draws seeded by `seed`), each only with settings the
    /// script has or the family may add; `nil` with the reason when the script cannot be tuned.
    /// With `balance` (a metric that weighs classes alike), the family's class weighting is the
    /// first trial on its own and half of the random draws take it too. Values the script
    /// declares (`SEARCH_SPACE = dict(...)`) or that `proposed` holds (the model's) join the
    /// family's values of their settings; `proposed` is also tried as it is (its first value of
    /// each setting) after the family's first trials.
    package func trials(for code: String, count: Int, seed: UInt64, balance: Bool = false,
                       proposed: [String: [SettingValue]] = [:], scratch: URL) async -> Result<Plan, AgentError> {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let keys: Keys
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            let script = scratch.appendingPathComponent("script.py")
            try code.write(to: script, atomically: true, encoding: .utf8)
            keys = try await tools.run(Keys.self, "tune_settings", arguments: [script.path, "--keys"], scratch: scratch)
        } catch {
            return .failure(AgentError("\(error)"))
        }
        if let error = keys.error { return .failure(AgentError(error)) }
        let present = Set(keys.keys ?? [])
        guard let family = families.first(where: { Set($0.detect).isSubset(of: present) }) else {
            return .failure(AgentError("no search space fits the settings \((keys.keys ?? []).joined(separator: ", "))"))
        }
        let balancing = balance ? family.balance ?? [:] : [:]
        let allowed = present.union(family.adds).union(balancing.keys)
        var space = family.space
        for (key, values) in (keys.space ?? [:]).merging(proposed, uniquingKeysWith: +) where allowed.contains(key) {
            for value in values where !(space[key] ?? []).contains(value) { space[key, default: []].append(value) }
        }
        var trials: [[String: SettingValue]] = []
        func add(_ trial: [String: SettingValue]) {
            let kept = trial.filter { allowed.contains($0.key) }
            if !kept.isEmpty, !trials.contains(kept), trials.count < count { trials.append(kept) }
        }
        add(balancing)
        for trial in family.first { add(trial) }
        add(proposed.compactMapValues(\.first))
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {  // splitmix64: the same trials for the same seed on every machine
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var attempts = 0
        while trials.count < count && attempts < count * 20 {
            attempts += 1
            var trial: [String: SettingValue] = [:]
            for key in space.keys.sorted() {
                let values = space[key]!
                trial[key] = values[Int(next() % UInt64(values.count))]
            }
            if !balancing.isEmpty, next() % 2 == 0 { trial.merge(balancing) { _, weighted in weighted } }
            add(trial)
        }
        return .success(Plan(family: family.name, settings: keys.keys ?? [], values: (keys.values ?? [:]).compactMapValues { $0 }, trials: trials))
    }

    /// `code` with `settings` applied after its settings' assignment.
    ///
    /// - Throws: ``AgentError`` when the script cannot take them.
    package func apply(_ settings: [String: SettingValue], to code: String, scratch: URL) async throws -> String {
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let script = scratch.appendingPathComponent("script.py"), values = scratch.appendingPathComponent("settings.json")
        let out = scratch.appendingPathComponent("variant.py")
        try code.write(to: script, atomically: true, encoding: .utf8)
        try JSONEncoder().encode(settings).write(to: values)
        let applied = try await tools.run(Applied.self, "tune_settings", arguments: [script.path, "--apply", values.path, out.path], scratch: scratch)
        if let error = applied.error { throw AgentError(error) }
        return try String(contentsOf: out, encoding: .utf8)
    }

    /// `learning_rate=0.02, num_leaves=7`.
    package static func describe(_ settings: [String: SettingValue]) -> String {
        settings.keys.sorted().map { "\($0)=\(settings[$0]!)" }.joined(separator: ", ")
    }
}
