import StarlingCore
import StarlingRunFolder

/// Every strategy Starling knows, one entry each. `starling run --strategy`, `starling bench
/// --strategies` and the session read this list, so a new search strategy is a file (or folder)
/// of its own that declares its ``Entry`` plus one line in ``standard``.
package struct StrategyCatalogue: Sendable {
    /// One strategy: its name, what runs it, and how `starling run` makes it.
    package struct Entry: Sendable {
        /// What runs a strategy.
        package enum Kind: String, Sendable {
            /// A search over prediction tasks, run by `starling run` (``SearchStrategy``).
            case search
            /// Repo tasks, run by ``RepoTaskRunner``.
            case repo
            /// A peer agent the bench runs beside Starling (the aideml package).
            case peer
        }

        package let name: String
        package let kind: Kind
        /// Whether it asks a model (the `examples` control does not, so no server starts for it).
        package let usesModel: Bool
        /// One line for the command list.
        package let summary: String
        /// Makes the search from the run's settings; `nil` for repo strategies and peers.
        package let make: (@Sendable (AgentSettings) -> any SearchStrategy)?

        package init(name: String, kind: Kind = .search, usesModel: Bool = true, summary: String,
                     make: (@Sendable (AgentSettings) -> any SearchStrategy)? = nil) {
            self.name = name
            self.kind = kind
            self.usesModel = usesModel
            self.summary = summary
            self.make = make
        }
    }

    /// The entries, in the order the command line lists them.
    package var entries: [Entry]

    package init(_ entries: [Entry]) { self.entries = entries }

    /// What Starling ships.
    package static let standard = StrategyCatalogue([
        MLESTARStrategy.entry,
        AIDEStrategy.entry,
        ExamplesStrategy.entry,
        Entry(name: StrategyName.repo.rawValue, kind: .repo, summary: "repo tasks: read the repository with the exploration tools, write and fix a script"),
        Entry(name: StrategyName.repoNoTools.rawValue, kind: .repo, summary: "repo tasks with the exploration tools off (the repository brief only)"),
        Entry(name: StrategyName.aideml.rawValue, kind: .peer, summary: "the aideml package as it is, beside Starling in a bench"),
        Entry(name: StrategyName.aidemlAdapter.rawValue, kind: .peer, summary: "aideml with Starling's reply adapter for small local models"),
    ])

    /// This catalogue with one more entry (a test's toy strategy, a user's own).
    package func adding(_ entry: Entry) -> StrategyCatalogue {
        StrategyCatalogue(entries.filter { $0.name != entry.name } + [entry])
    }

    /// The entry called `name`.
    package func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// Every name, in order.
    package var names: [String] { entries.map(\.name) }

    /// `name (summary); ...` for the command-line help, leaving out one kind.
    package func described(except kind: Entry.Kind? = nil) -> String {
        entries.filter { $0.kind != kind }.map { "\($0.name) (\($0.summary))" }.joined(separator: "; ")
    }

    /// The search `name` stands for, made from `settings`.
    ///
    /// - Throws: ``AgentError`` for a name `starling run` does not run (repo strategies and
    ///   bench peers say what runs them) or does not know (listing those it does).
    package func strategy(named name: String, settings: AgentSettings) throws -> any SearchStrategy {
        guard let entry = entry(named: name) else {
            let known = entries.filter { $0.kind != .peer }.map(\.name).joined(separator: ", ")
            throw AgentError("unknown strategy '\(name)'; available: \(known)")
        }
        switch entry.kind {
        case .repo:
            throw AgentError("'\(name)' runs repo tasks (folders with `type: repo`, such as tasks/repo); for a prediction task use mle-star or aide, with --repo DIR to let it read a repository")
        case .peer:
            throw AgentError("'\(name)' is a bench peer, not a strategy of `starling run`: use `starling bench --strategies \(name)`")
        case .search:
            guard let make = entry.make else { throw AgentError("strategy '\(name)' has no way to start a search") }
            return make(settings)
        }
    }
}
