// swift-tools-version: 6.2
// The module list below is the architecture: each target imports only those above it in this file.

import PackageDescription

let package = Package(
    name: "Starling",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "starling", targets: ["starling"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // Only FullFoundation: with the default traits (ConfigurationSupport) it rebuilds on every build.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        // Plain value types: tasks, metrics, nodes, budgets. No I/O.
        .target(name: "StarlingCore"),
        // Python environments, sandboxed execution, slot scheduler.
        .target(
            name: "StarlingRuntime",
            dependencies: [
                "StarlingCore",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources")]
        ),
        // LLM providers, structured and code replies, response cache, accounting, local llama-server.
        .target(
            name: "StarlingLLM",
            dependencies: [
                "StarlingCore",
                "StarlingRuntime",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources")]
        ),
        // Repository analysis: the code tree, call and module graphs, importance scores, briefs
        // within a token budget, and the exploration tools the agent and the CLI use.
        .target(
            name: "StarlingRepo",
            dependencies: ["StarlingCore", "StarlingRuntime"],
            resources: [.copy("Resources")]
        ),
        // The run journal (SQLite): runs, nodes, LLM calls with their messages and replies, events; what resume reads.
        .target(
            name: "StarlingStore",
            dependencies: ["StarlingCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Tasks, graders, submission validation, agent views with hidden dev rows.
        .target(
            name: "StarlingBench",
            dependencies: [
                "StarlingCore",
                "StarlingRuntime",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ]
        ),
        // The run folder and the bench folder: their layout, and every file in them as a Codable
        // type (run.json, summary.json, tree.json, results.json, ...), typed step keys, event
        // kinds and run statuses. Whoever reads or writes a run goes through this module.
        .target(
            name: "StarlingRunFolder",
            dependencies: ["StarlingCore", "StarlingRuntime", "StarlingStore", "StarlingBench"]
        ),
        // Search strategies (MLE-STAR), the shared search core, prompts, model cards, checkers.
        .target(
            name: "StarlingAgents",
            dependencies: ["StarlingCore", "StarlingRuntime", "StarlingLLM", "StarlingStore", "StarlingBench", "StarlingRunFolder", "StarlingRepo",
                           .product(name: "Yams", package: "Yams")],
            resources: [.copy("Resources")]
        ),
        // The gym server: environments over HTTP (MLE-Dojo style), partial credit, trajectories, /validate.
        .target(
            name: "StarlingDojo",
            dependencies: [
                "StarlingCore",
                "StarlingRuntime",
                "StarlingStore",
                "StarlingBench",
                "StarlingRunFolder",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Resources")]
        ),
        // HTML reports of runs (tree, charts as inline SVG, diffs) and of bench results. Reads and renders; runs nothing.
        .target(
            name: "StarlingReport",
            dependencies: ["StarlingCore", "StarlingStore", "StarlingBench", "StarlingRunFolder", "StarlingRepo"]
        ),
        // Bench grids and their cell executors (`starling run` processes here, or jobs on a Ray
        // cluster through its Jobs REST API), and peer agents (aideml) run on the same tasks and budget.
        .target(
            name: "StarlingBenchRunner",
            dependencies: ["StarlingCore", "StarlingRuntime", "StarlingLLM", "StarlingStore", "StarlingBench", "StarlingRunFolder", "StarlingAgents", "StarlingReport"],
            resources: [.copy("Resources")]
        ),
        // `starling dashboard` and `starling run --serve`: runs followed live in a browser, from their folders.
        .target(
            name: "StarlingDashboard",
            dependencies: ["StarlingCore", "StarlingStore", "StarlingBench", "StarlingRunFolder", "StarlingReport",
                           .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOCore", package: "swift-nio")]
        ),
        // `starling mcp`: tasks, the sandbox, grading and runs offered to other agents over the Model Context Protocol.
        .target(
            name: "StarlingMCP",
            dependencies: ["StarlingCore", "StarlingRuntime", "StarlingStore", "StarlingBench", "StarlingRunFolder", "StarlingAgents", "StarlingReport",
                           "StarlingDojo", .product(name: "MCP", package: "swift-sdk"), .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio")]
        ),
        // The command-line tool.
        .executableTarget(
            name: "starling",
            dependencies: [
                "StarlingCore",
                "StarlingRuntime",
                "StarlingLLM",
                "StarlingStore",
                "StarlingBench",
                "StarlingAgents",
                "StarlingDojo",
                "StarlingRunFolder",
                "StarlingReport",
                "StarlingBenchRunner",
                "StarlingRepo",
                "StarlingMCP",
                "StarlingDashboard",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(name: "StarlingCoreTests", dependencies: ["StarlingCore"]),
        .testTarget(name: "StarlingRuntimeTests", dependencies: ["StarlingRuntime"]),
        .testTarget(name: "StarlingLLMTests", dependencies: ["StarlingLLM", "StarlingRuntime"]),
        .testTarget(name: "StarlingStoreTests", dependencies: ["StarlingStore"]),
        .testTarget(name: "StarlingRepoTests", dependencies: ["StarlingRepo", "StarlingRuntime"]),
        .testTarget(name: "StarlingRunFolderTests", dependencies: ["StarlingRunFolder", "StarlingStore", "StarlingCore", "StarlingRuntime"]),
        // Runs the built executable (.build/debug/starling), and talks to `starling mcp` with the MCP SDK's client.
        .testTarget(name: "StarlingCLITests", dependencies: ["StarlingRuntime", .product(name: "MCP", package: "swift-sdk"),
                                                            .product(name: "SystemPackage", package: "swift-system")]),
        .testTarget(name: "StarlingAgentsTests", dependencies: ["StarlingAgents", "StarlingLLM", "StarlingStore", "StarlingRuntime", "StarlingBench", "StarlingRunFolder", "StarlingRepo", "StarlingCore", "StarlingTestSupport"]),
        // What several test targets share: temporary folders and a sample run folder.
        .target(
            name: "StarlingTestSupport",
            dependencies: ["StarlingAgents", "StarlingBench", "StarlingCore", "StarlingStore", "StarlingRunFolder", "StarlingRuntime"],
            path: "Tests/StarlingTestSupport"
        ),
        .testTarget(name: "StarlingReportTests", dependencies: ["StarlingReport", "StarlingRunFolder", "StarlingAgents", "StarlingStore", "StarlingBench", "StarlingCore", "StarlingTestSupport"]),
        .testTarget(
            name: "StarlingBenchRunnerTests",
            dependencies: ["StarlingBenchRunner", "StarlingReport", "StarlingRunFolder", "StarlingAgents", "StarlingStore", "StarlingBench", "StarlingCore",
                           "StarlingRuntime", "StarlingLLM", "StarlingTestSupport"],
            exclude: ["Support/scripted_model.py"]
        ),
        .testTarget(
            name: "StarlingBenchTests",
            dependencies: [
                "StarlingBench",
                "StarlingRuntime",
                "StarlingTestSupport",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .testTarget(name: "StarlingDashboardTests", dependencies: ["StarlingDashboard", "StarlingBench", "StarlingCore", "StarlingRunFolder", "StarlingRuntime",
                                                                  "StarlingStore", "StarlingTestSupport"]),
        .testTarget(name: "StarlingDojoTests", dependencies: ["StarlingDojo", "StarlingBench", "StarlingStore", "StarlingRuntime", "StarlingRunFolder", "StarlingTestSupport"]),
    ]
)
