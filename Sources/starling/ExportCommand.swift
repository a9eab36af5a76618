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
    /// `starling export trajectories RUN_DIR... --out FILE.jsonl`.
    struct Trajectories: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write runs and gym episodes as trajectories: one JSON line per step (schema starling.trajectory/1).",
            discussion: """
                Each folder is a run folder (journal.sqlite: a step per node), a gym environment folder \
                (environment.json: a step per action, a trajectory per episode), or a folder holding them \
                (such as `starling serve`'s work directory). Each line has prompt, response, action, reward, \
                partial_credit, stages, duration_seconds, score and final_score; the README's "Gym server" \
                section documents every field.
                """
        )

        @Argument(help: "Run folders, environment folders, or folders holding them.")
        var folders: [String]

        @Option(help: "Output file (JSON Lines).")
        var out: String

        @Flag(help: "Check every written line against the trajectory schema.")
        var check = false

        @OptionGroup var location: TaskLocation

        func run() async throws {
            let exporter = TrajectoryExporter(tasks: location.store)
            let output = URL(fileURLWithPath: out)
            let (steps, trajectories) = try exporter.export(folders.map { URL(fileURLWithPath: $0) }, to: output)
            print("wrote \(steps) steps of \(trajectories) trajectories to \(output.path)")
            if check {
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
