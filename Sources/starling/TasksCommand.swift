import ArgumentParser
import Foundation
import StarlingBench
import StarlingCore
import StarlingRuntime

/// `starling tasks`: the task suite — list, prepare, validate and grade submissions, calibrate,
/// import MLE-bench competitions, build agent views.
struct TasksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "Work with benchmark tasks: prepare data, grade submissions, calibrate, build agent views.",
        discussion: "A TASK is an id from the bundled suite (tasks/lite, or --tasks-dir, or STARLING_TASKS) or a path to a task folder.",
        subcommands: [List.self, Prepare.self, Validate.self, Grade.self, Calibrate.self, ImportMLEBench.self, ImportGitTaskBench.self, View.self]
    )
}

/// The option every `tasks` subcommand shares.
struct TaskLocation: ParsableArguments {
    @Option(help: "Folder of task folders (default: tasks/lite of the Starling checkout, or STARLING_TASKS).")
    var tasksDir: String?

    var store: TaskStore { TaskStore.locate(tasksDirectory: tasksDir) }

    func task(_ reference: String) throws -> TaskDefinition {
        try store.task(reference)
    }
}

extension TasksCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tasks: id, type, metric, training rows, prepared or not, baseline and reference scores.")

        @OptionGroup var location: TaskLocation

        func run() async throws {
            let (tasks, errors) = location.store.loadAll()
            if tasks.isEmpty, errors.isEmpty {
                print("no tasks found in \(location.store.roots.map(\.path).joined(separator: ", ").nonEmpty ?? "(no tasks folder found; pass --tasks-dir)")")
            }
            var rows = [["id", "type", "metric", "rows", "prepared", "baseline", "reference"]]
            for task in tasks {
                let prepared = task.isPrepared
                let trainRows = prepared ? (try? CSVTable.read(contentsOf: task.trainURL).rowCount).map(String.init) ?? "?" : "-"
                rows.append([
                    task.id, task.spec.taskType.rawValue, "\(task.spec.metric.rawValue) (\(task.spec.direction.rawValue))",
                    trainRows, prepared ? "yes" : "no",
                    task.spec.baseline.map { format($0.value) } ?? "-", task.spec.reference.map { format($0.value) } ?? "-",
                ])
            }
            if tasks.count > 0 { printTable(rows) }
            for error in errors { printError("broken task: \(error)") }
        }
    }

    struct Prepare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a task's prepared/ folder with its prepare.py in the data environment and verify checksums.")

        @OptionGroup var location: TaskLocation
        @Argument(help: "The task to prepare.") var task: String?
        @Flag(help: "Prepare every task.") var all = false
        @Flag(help: "Write the computed checksums into config.yaml (for task authors).") var recordChecksums = false

        func validate() throws {
            guard (task != nil) != all else { throw ValidationError("give a TASK or --all, not both or neither") }
        }

        func run() async throws {
            let repoTasks = RepoTaskStore.locate(tasksDirectory: location.tasksDir)
            if !all, let repoTask = try repoTasks.task(task!) { return try await Self.prepare([repoTask]) }
            let tasks = all ? location.store.loadAll().tasks : [try location.task(task!)]
            if all { try await Self.prepare(repoTasks.loadAll().tasks) }
            let preparer = TaskPreparer(python: StarlingHome.resolve().dataPython)
            var failures = 0
            for task in tasks {
                print("preparing \(task.id) …")
                do {
                    let outcome = try await preparer.prepare(task)
                    print("  \(outcome.checksums.count) files, \(task.checksums.count) checksums verified")
                    if recordChecksums {
                        var editor = TaskConfigEditor(text: try String(contentsOf: task.configURL, encoding: .utf8))
                        editor.setChecksums(outcome.checksums)
                        _ = try TaskDefinition.parse(yaml: editor.text, file: task.configURL.path, folder: task.folder)
                        try Data(editor.text.utf8).write(to: task.configURL, options: .atomic)
                        print("  checksums written to \(task.configURL.path)")
                    } else if !outcome.unrecorded.isEmpty {
                        print("  no checksum recorded for: \(outcome.unrecorded.joined(separator: ", ")) (--record-checksums writes them)")
                    }
                } catch {
                    failures += 1
                    printError("\(error)")
                }
            }
            if failures > 0 { throw ExitCode(1) }
        }

        /// A repo task is prepared by fetching its repository and installing what it declares
        /// into the repository's environment (``RepoEnvironment``): its runs then need no network.
        static func prepare(_ tasks: [RepoTask]) async throws {
            let home = StarlingHome.resolve()
            var failures = 0
            for task in tasks {
                print("preparing \(task.id) (repo task) …")
                do {
                    let root = try await RepoSource(home: home).ensure(task) { print("  \($0)") }
                    if let (python, record) = try await RepoEnvironment(home: home, repository: root).ensure(log: { print("  \($0)") }) {
                        print("  environment \(python.deletingLastPathComponent().deletingLastPathComponent().path): \(record.installed.count) installed"
                              + (record.failed.isEmpty ? "" : "; not installed: " + record.failed.map(\.requirement).joined(separator: ", ")))
                    } else {
                        print("  the repository declares no dependencies: its scripts use the solution environment")
                    }
                } catch {
                    failures += 1
                    printError("\(error)")
                }
            }
            if failures > 0 { throw ExitCode(1) }
        }
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a submission file against the task's sample submission.")

        @OptionGroup var location: TaskLocation
        @Argument(help: "The task.") var task: String
        @Argument(help: "The submission CSV.") var file: String

        func run() async throws {
            let definition = try location.task(task)
            do {
                try TaskGrader(task: definition).validate(submissionAt: URL(fileURLWithPath: file))
                print("valid: \(file)")
            } catch let error as SubmissionError {
                printError(error.description)
                throw ExitCode(1)
            }
        }
    }

    struct Grade: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Grade a submission; prints and writes an MLE-bench style report (with gap_closed).")

        @OptionGroup var location: TaskLocation
        @Argument(help: "The task.") var task: String
        @Argument(help: "The submission CSV.") var file: String
        @Flag(help: "Print the report as JSON.") var json = false
        @Option(help: "Where to write the report (default: next to the submission, <name>.grade.json).") var report: String?

        func run() async throws {
            let definition = try location.task(task)
            let submission = URL(fileURLWithPath: file).standardizedFileURL
            let result = try TaskGrader(task: definition).report(submissionAt: submission)
            let data = try result.jsonData()
            let reportURL = report.map { URL(fileURLWithPath: $0) }
                ?? submission.deletingPathExtension().appendingPathExtension("grade.json")
            try Data(data + Data("\n".utf8)).write(to: reportURL, options: .atomic)
            if json {
                print(String(decoding: data, as: UTF8.self))
            } else if let score = result.score {
                var line = "\(definition.id): \(definition.spec.metric.rawValue) = \(format(score))"
                if let gap = result.gapClosed { line += ", gap closed \(String(format: "%.1f", gap))%" }
                if result.goldThreshold != nil {
                    line += ", \(result.medal ?? "no medal")\(result.aboveMedian ? ", above median" : "")"
                }
                print(line)
                print("report: \(reportURL.path)")
            } else {
                printError(result.error ?? "invalid submission")
                print("report: \(reportURL.path)")
            }
            if !result.validSubmission { throw ExitCode(1) }
        }
    }

    struct Calibrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run baseline.py and reference.py in the sandbox on the prepared data, grade them and record the scores in config.yaml.")

        @OptionGroup var location: TaskLocation
        @Argument(help: "The task.") var task: String
        @Option(help: "Wall-clock limit per script, in seconds.") var timeout: Double = 1800
        @Option(help: "Memory limit per script, in MiB.") var memory: Int?
        @Option(help: "Cores per script.") var cores: Int = 2
        @Option(help: "Folder for the scripts' work folders (default: a temporary folder).") var workdir: String?
        @Flag(help: "Measure and print, but leave config.yaml unchanged.") var dryRun = false

        func run() async throws {
            let definition = try location.task(task)
            let home = StarlingHome.resolve()
            let root = workdir.map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("starling-calibrate")
            let runner = SandboxScriptRunner(
                sandbox: try await Sandbox.probing(), environment: .solution(in: home), memoryMB: memory, cores: cores,
                zoo: ZooAccess.forRun(home: home, runFolder: root.appendingPathComponent(definition.id)))
            let result = try await Calibrator(runner: runner, workRoot: root, timeoutSeconds: timeout).calibrate(definition)
            print("\(definition.id): baseline \(format(result.baseline.value)) (\(String(format: "%.0f", result.baselineSeconds)) s), reference \(format(result.reference.value)) (\(String(format: "%.0f", result.referenceSeconds)) s)")
            print("source: \(result.baseline.source)")
            if !result.referenceBeatsBaseline {
                printError("warning: the reference does not beat the baseline (\(definition.spec.direction.rawValue) is better); gap_closed is meaningless until it does")
            }
            if !dryRun {
                try Calibrator.record(result, in: definition)
                print("recorded in \(definition.configURL.path)")
            }
        }
    }

    /// `starling tasks import-gittaskbench CHECKOUT --out DIR [--only IDS]`.
    struct ImportGitTaskBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-gittaskbench",
            abstract: "Import GitTaskBench tasks (a checkout of its repository) as repo tasks for `starling run/bench --strategy repo`.",
            discussion: """
                Reads queries/<id>/query.json and config/<id>/task_info.yaml; each task folder written under --out \
                points at the checkout's code_base/<Repo>, test_scripts/<id>/test_script.py and groundtruth (not copied) \
                and copies the input files. Run them with `starling bench --suite repo --tasks-dir OUT`.
                """)

        @Argument(help: "The GitTaskBench checkout (holds queries/, config/, test_scripts/, groundtruth/, code_base/).")
        var checkout: String

        @Option(help: "The folder to write task folders into.")
        var out: String

        @Option(help: "Comma-separated task ids (default: all).")
        var only: String?

        func run() async throws {
            let importer = GitTaskBenchImporter(source: URL(fileURLWithPath: checkout))
            let ids = only.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
            let results: [GitTaskBenchImporter.Imported]
            do { results = try importer.importTasks(into: URL(fileURLWithPath: out), only: ids) } catch { throw ValidationError("\(error)") }
            for result in results {
                print(result.folder != nil ? "imported \(result.id): \(result.repository)" : "skipped  \(result.id): \(result.skipped ?? "")")
            }
            let imported = results.filter { $0.folder != nil }.count
            print("\(imported) of \(results.count) tasks imported into \(out)")
            if imported == 0 { throw ExitCode(2) }
        }
    }

    struct ImportMLEBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-mlebench",
            abstract: "Turn an MLE-bench competition folder and its prepared data into a Starling task folder.")

        @Argument(help: "The competition folder (mlebench/competitions/<id>).") var competitionDir: String
        @Argument(help: "The prepared data: MLE-bench's data root, the competition's data folder, or its prepared/ folder.") var dataDir: String
        @Option(help: "Folder to create the task in (default: ./tasks/imported).") var out: String = "tasks/imported"
        @Option(help: "Metric, when the MLE-bench grader name is not recognised.") var metric: String?
        @Option(help: "higher or lower (default: from leaderboard.csv, else the metric's usual direction).") var direction: String?
        @Option(help: "Task type (default: inferred from the metric and answers).") var taskType: String?
        @Option(help: "random, tail or none (default: random when train.csv holds the answer columns).") var devSplit: String?
        @Option(help: "Id column (default: the sample submission's first column).") var idColumn: String?
        @Flag(help: "Link to the prepared data instead of copying it.") var link = false

        func run() async throws {
            func parse<E: RawRepresentable & CaseIterable>(_ value: String?, _ name: String) throws -> E? where E.RawValue == String {
                guard let value else { return nil }
                guard let parsed = E(rawValue: value) else {
                    throw ValidationError("--\(name) '\(value)' is not one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return parsed
            }
            let options = MLEBenchImporter.Options(
                metric: try parse(metric, "metric"), direction: try parse(direction, "direction"),
                taskType: try parse(taskType, "task-type"), devSplit: try parse(devSplit, "dev-split"),
                idColumn: idColumn, linkData: link)
            let task = try MLEBenchImporter(
                competitionFolder: URL(fileURLWithPath: competitionDir), dataFolder: URL(fileURLWithPath: dataDir)
            ).importTask(into: URL(fileURLWithPath: out), options: options)
            print("imported \(task.id) into \(task.folder.path): \(task.spec.metric.rawValue), \(task.spec.direction.rawValue) is better, \(task.spec.taskType.rawValue), dev_split \(task.spec.devSplit.rawValue)")
            print("check \(task.configURL.path), then add baseline.py and reference.py and run `starling tasks calibrate \(task.folder.path)`")
        }
    }

    struct View: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build the folder an agent sees: public files only, with hidden dev rows mixed into test.csv.")

        @OptionGroup var location: TaskLocation
        @Argument(help: "The task.") var task: String
        @Option(help: "The view folder to create.") var out: String
        @Option(help: "Where the dev-row mapping and answers go (default: <out>.starling-view beside it).") var secrets: String?
        @Option(help: "Seed for choosing dev rows.") var seed: UInt64 = 0
        @Flag(help: "Replace existing view and secrets folders.") var force = false

        func run() async throws {
            let definition = try location.task(task)
            let view = URL(fileURLWithPath: out).standardizedFileURL
            let secretsURL = secrets.map { URL(fileURLWithPath: $0) } ?? AgentViewBuilder.defaultSecretsFolder(for: view)
            if force {
                for folder in [view, secretsURL] where FileManager.default.fileExists(atPath: folder.path) {
                    try FileManager.default.removeItem(at: folder)
                }
            }
            let built = try AgentViewBuilder(task: definition, seed: seed).build(into: view, secretsFolder: secretsURL)
            print("view: \(built.folder.path) (\(built.manifest.testRowCount) test rows + \(built.devRowCount) hidden dev rows)")
            print("secrets (keep away from the agent): \(built.secretsFolder.path)")
        }
    }
}

private func format(_ value: Double) -> String {
    String(format: "%.5g", value)
}

private func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

private func printTable(_ rows: [[String]]) {
    guard let first = rows.first else { return }
    let widths = first.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
    for row in rows {
        print(row.enumerated().map { c, cell in cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
            .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
    }
}

private extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
