import ArgumentParser
import Foundation
import StarlingCore
import StarlingRepo
import StarlingReport

/// `starling repo`: understand a Python repository — a brief within a token budget, an entity's
/// source, who uses it, what it uses, and a page with the module graph.
struct RepoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repo",
        abstract: "Explore a Python repository: brief, definitions, references, dependencies, module graph.",
        subcommands: [Map.self, Show.self, Refs.self, Deps.self, Graph.self, Tool.self]
    )
}

/// Where the repository is and what the walk skips, shared by every `repo` subcommand.
struct RepoLocation: ParsableArguments {
    @Argument(help: "The repository's root folder.")
    var folder: String

    @Flag(help: "Leave tests/ folders and test_*.py files out of the analysis.")
    var skipTests = false

    @Option(help: "Python files larger than this many KB are skipped (listed, not parsed).")
    var maxFileKb = 1024

    func analyze() async throws -> RepoAnalysis {
        let url = URL(fileURLWithPath: folder).standardizedFileURL
        return try await RepoAnalysis.analyze(url, scanner: RepoScanner(limits: .init(maxFileKB: maxFileKb, skipTests: skipTests)))
    }
}

extension RepoCommand {
    /// `starling repo map DIR [--budget N]`.
    struct Map: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the repository brief a model reads first: README, entry points, key modules as skeletons, key classes, other paths.")

        @OptionGroup var location: RepoLocation

        @Option(help: "Token budget for the brief (estimated at 3 characters per token).")
        var budget = RepoBrief.defaultBudget

        func run() async throws {
            let started = Date()
            let analysis = try await location.analyze()
            let brief = RepoBrief(analysis, budget: budget)
            print(brief.text)
            let seconds = Date().timeIntervalSince(started)
            FileHandle.standardError.write(Data(String(format: "\n[%@; brief ≈%d of %d tokens, %d modules as skeletons; scan %.2f s, graphs %.2f s, total %.2f s]\n",
                                                       analysis.sizeLine, brief.tokens, budget, brief.modulesShown, analysis.scan.seconds,
                                                       analysis.graphSeconds, seconds).utf8))
        }
    }

    /// `starling repo show DIR ENTITY`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a module, class or function (source, or a skeleton when long).")
        @OptionGroup var location: RepoLocation
        @Argument(help: "A module (pkg.mod), a class (Class, pkg.mod.Class), a function (Class.method), or a file path.")
        var entity: String

        func run() async throws {
            let toolbox = RepoToolbox(try await location.analyze(), outputLimit: 40_000)
            let tool = entity.hasSuffix(".py") ? "view_file" : "view_function"
            try printResult(toolbox.call(tool, [entity.hasSuffix(".py") ? "path" : "name": .string(entity)]))
        }
    }

    /// `starling repo refs DIR ENTITY`.
    struct Refs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Who calls, instantiates, subclasses or imports an entity.")
        @OptionGroup var location: RepoLocation
        @Argument(help: "A module, class, function or method.")
        var entity: String
        @Option(help: "Call sites listed at most (0: all of them).") var limit = 60

        func run() async throws {
            var toolbox = RepoToolbox(try await location.analyze(), outputLimit: limit == 0 ? Int.max : 40_000)
            toolbox.referenceLimit = max(0, limit)
            try printResult(toolbox.call("find_references", ["name": .string(entity)]))
        }
    }

    /// `starling repo deps DIR ENTITY`.
    struct Deps: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What an entity imports or calls, inside the repository and outside it.")
        @OptionGroup var location: RepoLocation
        @Argument(help: "A module, class, function or method.")
        var entity: String

        func run() async throws {
            try printResult(RepoToolbox(try await location.analyze(), outputLimit: 40_000).call("find_dependencies", ["name": .string(entity)]))
        }
    }

    /// `starling repo graph DIR [--out FILE]`.
    struct Graph: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write an HTML page with the module graph (SVG) and the importance tables.")
        @OptionGroup var location: RepoLocation
        @Option(help: "The page to write.")
        var out = "repo-graph.html"

        func run() async throws {
            let analysis = try await location.analyze()
            let file = URL(fileURLWithPath: out)
            try ModuleGraphPage(analysis).html.write(to: file, atomically: true, encoding: .utf8)
            print("wrote \(file.path) (\(analysis.sizeLine))")
        }
    }

    /// `starling repo tool DIR TOOL key=value...`: any exploration tool, as the agent calls it.
    struct Tool: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Call one of the agent's exploration tools by name.",
            discussion: "Tools:\n" + RepoTool.catalogue)
        @OptionGroup var location: RepoLocation
        @Argument(help: "The tool's name, e.g. search_code.")
        var tool: String
        @Argument(help: "Arguments as key=value (numbers are passed as numbers).")
        var arguments: [String] = []

        func run() async throws {
            var values: [String: JSONValue] = [:]
            for argument in arguments {
                guard let equals = argument.firstIndex(of: "=") else {
                    throw ValidationError("'\(argument)' is not key=value")
                }
                let value = String(argument[argument.index(after: equals)...])
                values[String(argument[..<equals])] = Double(value).map { .number($0) } ?? .string(value)
            }
            try printResult(RepoToolbox(try await location.analyze(), outputLimit: 40_000).call(tool, values))
        }
    }
}

/// Prints a tool's answer; a failed call is an error exit with the tool's message.
func printResult(_ result: RepoToolbox.Result) throws {
    guard result.ok else { throw ValidationError(result.output) }
    print(result.output)
}
