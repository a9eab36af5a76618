import ArgumentParser
import Foundation
import StarlingRuntime

/// `starling doctor`: a table of what is ready and what is missing, with the fixing command.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Show what Starling needs, what is ready, and how to fix what is not."
    )

    @Flag(help: "Print the checks as JSON.")
    var json = false

    func run() async throws {
        let home = StarlingHome.resolve()
        var checks = [HealthCheck(component: "home folder", ready: true, detail: home.root.path)]
        checks += await HealthCheck.runtimeChecks(home: home, dataRequirements: RepoLocator.dataRequirements)
        checks += await localLLMChecks(home: home)
        checks += HealthCheck.zooChecks(home: home)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(checks), as: UTF8.self))
            return
        }
        let width = checks.map(\.component.count).max() ?? 10
        for check in checks {
            let mark = check.ready ? "ready  " : "MISSING"
            print("\(check.component.padding(toLength: width, withPad: " ", startingAt: 0))  \(mark)  \(check.detail)")
            if let fix = check.fix { print(String(repeating: " ", count: width + 11) + "fix: \(fix)") }
        }
        let missing = checks.filter { !$0.ready }.count
        print(missing == 0 ? "\nall ready" : "\n\(missing) missing")
    }
}
