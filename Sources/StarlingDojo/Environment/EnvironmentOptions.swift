import StarlingCore

/// The options of `POST /envs`, with their defaults.
///
/// | option | type | default | meaning |
/// | --- | --- | --- | --- |
/// | `score_mode` | `position`, `raw`, `gap` | `position` | the score reported and rewarded (``ScoreMode``) |
/// | `max_steps` | integer ≥ 1 | 50 | actions per episode (`reset` excluded); the episode is truncated after the last |
/// | `execution_timeout` | seconds > 0 | 600 | wall-clock limit of one script |
/// | `memory_mb` | integer ≥ 256 | 4096 | memory limit of one script |
/// | `reveal_test_score` | boolean | false | show the real test score after every `execute_code`, not only at the episode's end |
/// | `partial_credit` | boolean | true | reward failing scripts by the stages they reached (``RewardFunction``) |
/// | `seed` | integer ≥ 0 | 0 | which training rows become hidden dev rows |
package struct EnvironmentOptions: Sendable, Hashable, Codable {
    /// The score reported and rewarded.
    package var scoreMode: ScoreMode = .position
    /// Actions per episode before it is truncated.
    package var maxSteps: Int = 50
    /// Seconds one script may run.
    package var executionTimeout: Double = 600
    /// Memory limit of one script in MiB.
    package var memoryMB: Int = 4096
    /// Whether every graded execution also shows the real test score.
    package var revealTestScore = false
    /// Whether failing scripts earn stage credit.
    package var partialCredit = true
    /// Seed of the dev-row choice.
    package var seed: UInt64 = 0

    /// Options with every default.
    package init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case scoreMode = "score_mode"
        case maxSteps = "max_steps"
        case executionTimeout = "execution_timeout"
        case memoryMB = "memory_mb"
        case revealTestScore = "reveal_test_score"
        case partialCredit = "partial_credit"
        case seed
    }

    /// Reads options from a request, refusing unknown keys and values outside the server's limits.
    ///
    /// - Parameters:
    ///   - json: The `options` member of the request; `nil` or `null` for all defaults.
    ///   - limits: The server's ceilings.
    /// - Returns: The options.
    /// - Throws: ``DojoError`` with code `bad_option`, naming the option and what it takes.
    package static func parse(_ json: JSONValue?, limits: DojoLimits) throws -> EnvironmentOptions {
        var options = EnvironmentOptions()
        options.executionTimeout = min(options.executionTimeout, limits.maxExecutionTimeout)
        options.memoryMB = min(options.memoryMB, limits.maxMemoryMB)
        guard let json, !json.isNull else { return options }
        guard let object = json.object else {
            throw DojoError(.badOption, "options must be an object such as {\"score_mode\": \"position\", \"max_steps\": 20}, not \(json.typeName)")
        }
        let known = CodingKeys.allCases.map(\.rawValue)
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            guard let field = CodingKeys(rawValue: key) else {
                throw DojoError(.badOption, "unknown option '\(key)'; options are \(known.joined(separator: ", "))")
            }
            switch field {
            case .scoreMode:
                guard let text = value.string, let mode = ScoreMode(rawValue: text) else {
                    throw DojoError(.badOption, "score_mode must be one of \(ScoreMode.allCases.map(\.rawValue).joined(separator: ", ")), not \(describe(value))")
                }
                options.scoreMode = mode
            case .maxSteps:
                options.maxSteps = try integer(value, key, in: 1...limits.maxSteps)
            case .executionTimeout:
                guard let seconds = value.number, seconds > 0, seconds <= limits.maxExecutionTimeout else {
                    throw DojoError(.badOption, "execution_timeout must be seconds in (0, \(limits.maxExecutionTimeout)], not \(describe(value))")
                }
                options.executionTimeout = seconds
            case .memoryMB:
                options.memoryMB = try integer(value, key, in: 256...limits.maxMemoryMB)
            case .revealTestScore:
                options.revealTestScore = try boolean(value, key)
            case .partialCredit:
                options.partialCredit = try boolean(value, key)
            case .seed:
                options.seed = UInt64(try integer(value, key, in: 0...Int(Int32.max)))
            }
        }
        return options
    }

    private static func integer(_ value: JSONValue, _ key: String, in range: ClosedRange<Int>) throws -> Int {
        guard let number = value.number, number == number.rounded(), Double(range.lowerBound) <= number, number <= Double(range.upperBound) else {
            throw DojoError(.badOption, "\(key) must be an integer in \(range.lowerBound)...\(range.upperBound), not \(describe(value))")
        }
        return Int(number)
    }

    private static func boolean(_ value: JSONValue, _ key: String) throws -> Bool {
        guard let flag = value.bool else { throw DojoError(.badOption, "\(key) must be true or false, not \(describe(value))") }
        return flag
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): "\"\(text.prefix(40))\""
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .bool(let flag): String(flag)
        default: value.typeName
        }
    }
}
