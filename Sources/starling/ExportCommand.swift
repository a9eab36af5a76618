import ArgumentParser
import Foundation
import StarlingDojo

/// `starling export`: writes Starling's records in formats other tools read.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export Starling's records for other tools.",
        subcommands: [Trajectories.self]
    )
}

extension ExportCommand {
    /// `starling export trajectories FOLDER... --out FILE.jsonl [--format steps|chat|preference]`.
    struct Trajectories: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write runs and gym episodes as training data: trajectory steps, chat conversations or preference pairs (JSON Lines).",
            discussion: """
                Each folder is a run folder (journal.sqlite), a gym environment folder (environment.json), or any \
                folder holding them at any depth (a bench folder, `starling serve`'s work directory, a folder of benches). \
                --format steps: one line per node or gym action (schema starling.trajectory/1; the README's "Gym server" \
                section documents every field), the prompt and reply of the step's last LLM exchange as they were sent. \
                --format chat: one conversation per LLM exchange, {"messages": [...], "metadata": {...}} with the reply as \
                the assistant message and the node's reward, harness score, partial credit and duration in metadata \
                (--min-reward and --only-succeeded keep the good ones, for rejection-sampling SFT). \
                --format preference: {"prompt", "chosen", "rejected", "metadata"} pairs, as DPO-style trainers read them, \
                of replies to exactly the same messages whose nodes did differently, and of replies that made sibling \
                changes of one parent (metadata.pairing); the better one is chosen by the paired cross-validated gain \
                (beyond its noise) when both nodes have one, else by reward. \
                Trajectory ids are task/strategy/folder/run-UUID; ids that still repeat get a ~n suffix.
                """
        )

        @Argument(help: "Run folders, environment folders, or folders holding them at any depth.")
        var folders: [String]

        @Option(help: "Output file (JSON Lines).")
        var out: String

        @Option(help: "steps, chat or preference.")
        var format = "steps"

        @Option(help: "chat: keep exchanges whose node earned at least this reward (0–1).")
        var minReward: Double?

        @Flag(help: "chat: keep only exchanges whose node ran and wrote a valid, scored submission.")
        var onlySucceeded = false

        @Flag(help: "steps: check every written line against the trajectory schema.")
        var check = false

        @OptionGroup var location: TaskLocation

        func validate() throws {
            guard ExportFormat(rawValue: format) != nil else {
                throw ValidationError("unknown format '\(format)'; use \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if let minReward, !(0...1).contains(minReward) { throw ValidationError("--min-reward is a reward between 0 and 1") }
        }

        func run() async throws {
            let exporter = TrajectoryExporter(tasks: location.store)
            let output = URL(fileURLWithPath: out)
            let chosen = ExportFormat(rawValue: format) ?? .steps
            let counts = try exporter.export(folders.map { URL(fileURLWithPath: $0) }, to: output, format: chosen,
                                             filter: ExportFilter(minReward: minReward, onlySucceeded: onlySucceeded))
            print("wrote \(counts.summary)\nto \(output.path) (format \(chosen.rawValue))")
            if check {
                guard chosen == .steps else { throw ValidationError("--check checks the steps format (starling.trajectory/1)") }
                let problems = try TrajectorySchema().problems(inLines: try String(contentsOf: output, encoding: .utf8))
                guard problems.isEmpty else {
                    problems.prefix(20).forEach { print("schema: \($0)") }
                    throw ExitCode(1)
                }
                print("every line matches the schema starling.trajectory/1")
            }
        }
    }
}
