import ArgumentParser
import Foundation
import StarlingBenchRunner
import StarlingRuntime

/// `starling ray up|join|down|status`: Ray on this machine, with the Ray environment that
/// `starling setup --ray` installs, for `starling bench --executor ray`.
struct RayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ray",
        abstract: "Start, join, inspect or stop Ray on this machine (for `starling bench --executor ray`).",
        discussion: """
            `starling ray up` starts a single-node head here (its dashboard, http://127.0.0.1:8265, is what \
            --ray-address names); `starling ray join HEAD:6379` adds this machine to a cluster as a worker; \
            `starling ray down` stops Ray here, with any jobs it runs. Install Ray first with `starling setup --ray`.
            """,
        subcommands: [Up.self, Join.self, Down.self, Status.self]
    )

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start a Ray head on this machine and wait for its dashboard.")

        @Option(help: "Address the dashboard listens on: 127.0.0.1 (this machine only) or 0.0.0.0 (other machines submit or join).")
        var dashboardHost = "127.0.0.1"
        @Option(help: "The dashboard's port (the Jobs API that --ray-address names).") var dashboardPort = 8265
        @Option(help: "The port workers join on.") var port = 6379
        @Option(help: "Cores this node offers to cells (default: all).") var cpus: Int?

        func run() async throws {
            var options = RayHead.Options()
            options.dashboardHost = dashboardHost
            options.dashboardPort = dashboardPort
            options.port = port
            options.cpus = cpus
            let head = RayHead(home: StarlingHome.resolve())
            let address = try await head.up(options)
            let client = RayJobsClient(address: address)
            let version = try await client.version()
            let nodes = try await client.nodes().filter(\.isAlive)
            let cores = nodes.reduce(0) { $0 + ($1.resourcesTotal["CPU"] ?? 0) }
            print("ray \(version.rayVersion) head is up: \(nodes.count) node(s), \(Int(cores)) CPU")
            print("bench on it:   starling bench --executor ray --ray-address \(address.absoluteString) …")
            print("add a worker:  starling ray join \(ProcessInfo.processInfo.hostName):\(port)   (on the worker machine)")
            print("stop it:       starling ray down")
        }
    }

    struct Join: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Join this machine to a Ray head as a worker node.")

        @Argument(help: "The head's HOST:PORT (6379 unless `ray up --port` said otherwise).") var address: String
        @Option(help: "Cores this node offers to cells (default: all).") var cpus: Int?

        func run() async throws {
            try await RayHead(home: StarlingHome.resolve()).join(address, cpus: cpus)
            print("joined \(address); cells can now run here (`starling ray down` leaves the cluster)")
        }
    }

    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop Ray on this machine (head or worker) and the jobs it runs.")

        func run() async throws {
            try await RayHead(home: StarlingHome.resolve()).down()
            print("ray stopped; no Ray process is left on this machine")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a cluster's nodes and Starling's jobs on it.")

        @Option(help: "The dashboard's address.") var rayAddress = "http://127.0.0.1:8265"

        func run() async throws {
            let client = RayJobsClient(address: try RayJobsClient.address(from: rayAddress))
            let version = try await client.version()
            print("ray \(version.rayVersion) at \(client.address.absoluteString)")
            for node in try await client.nodes() {
                let cpu = Int(node.resourcesTotal["CPU"] ?? 0)
                let memory = (node.resourcesTotal["memory"] ?? 0) / 1_073_741_824
                print("  \(node.isHeadNode ? "head  " : "worker") \(node.nodeIP)  \(node.state)  \(cpu) CPU  \(String(format: "%.1f", memory)) GiB")
            }
        }
    }
}
