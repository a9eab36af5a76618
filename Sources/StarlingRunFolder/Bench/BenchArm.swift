/// What a bench column runs: a strategy, with `+` options that make it a control of itself
/// (`mle-star+no-memory` is mle-star with lessons neither used nor kept). The cell's folder and
/// tables keep the whole label, so the two sit side by side in one bench.
package struct BenchArm: Sendable, Hashable {
    /// A `+` option and the `starling run` flags it stands for.
    package struct Option: Sendable, Hashable {
        package let name: String
        package let runArguments: [String]
        package let summary: String
    }

    /// The options a label may carry.
    package static let options = [
        Option(name: "no-memory", runArguments: ["--no-memory"], summary: "lessons from earlier runs neither used nor kept"),
        Option(name: "no-zoo", runArguments: ["--no-zoo"], summary: "no pretrained model zoo: images read as pixels, sounds as band energies, text without embeddings"),
    ]

    /// `+name (summary), ...`, for help and error texts.
    package static var optionsDescribed: String {
        options.map { "+\($0.name) (\($0.summary))" }.joined(separator: ", ")
    }

    /// The label as written (`mle-star+no-memory`).
    package let label: String
    /// The strategy `starling run` is given.
    package let strategy: String
    /// The options after the strategy, in the order written.
    package let chosen: [Option]

    /// Reads a label.
    ///
    /// - Throws: ``BenchArmError`` for an option it does not know, naming those it does.
    package init(_ label: String) throws {
        let parts = label.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        var chosen: [Option] = []
        for name in parts.dropFirst() {
            guard let option = Self.options.first(where: { $0.name == name }) else {
                throw BenchArmError("'\(label)': unknown option '+\(name)'; available: \(Self.optionsDescribed)")
            }
            chosen.append(option)
        }
        self.label = label
        self.strategy = parts[0]
        self.chosen = chosen
    }

    /// The `starling run` flags the options add.
    package var runArguments: [String] { chosen.flatMap(\.runArguments) }

    /// The label this one is a control of (`mle-star` for `mle-star+no-memory`), `nil` for a plain strategy.
    package var controlOf: String? { chosen.isEmpty ? nil : strategy }
}

/// A bench label that cannot be read.
package struct BenchArmError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
