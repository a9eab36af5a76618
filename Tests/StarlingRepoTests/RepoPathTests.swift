import Foundation
import StarlingCore
import Testing
@testable import StarlingRepo

/// The repository tools read inside the repository only: `..` escapes, absolute paths elsewhere
/// and links that leave it are refused with an error that says what to give instead.
@Suite("Repository tools stay inside the repository")
struct RepoPathTests {
    /// The fixture with a secret beside it, a link to that secret, a link inside, and a binary file.
    static func repositoryWithEscapes() throws -> (root: URL, secret: URL) {
        let root = try FixtureRepository.make()
        let secret = root.deletingLastPathComponent().appendingPathComponent("secret-\(UUID().uuidString.prefix(8)).py")
        try "TOKEN = 'do-not-show'\n".write(to: secret, atomically: true, encoding: .utf8)
        let files = FileManager.default
        try files.createSymbolicLink(atPath: root.appendingPathComponent("shop/leak.py").path, withDestinationPath: secret.path)
        try files.createSymbolicLink(atPath: root.appendingPathComponent("outside").path, withDestinationPath: root.deletingLastPathComponent().path)
        try files.createSymbolicLink(atPath: root.appendingPathComponent("shop/alias.py").path, withDestinationPath: "util.py")
        try Data([0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 13, 0xFF, 0xFE]).write(to: root.appendingPathComponent("logo.png"))
        return (root, secret)
    }

    @Test func viewFileRefusesDotDotEscapes() async throws {
        let (root, secret) = try Self.repositoryWithEscapes()
        let toolbox = RepoToolbox(try await RepoAnalysis.analyze(root))
        for path in ["../\(secret.lastPathComponent)", "shop/../../\(secret.lastPathComponent)", "./../\(secret.lastPathComponent)"] {
            let answer = toolbox.call("view_file", ["path": .string(path)])
            #expect(!answer.ok, "\(path)")
            #expect(answer.output.contains("outside the repository (a '..' path out of it)"), "\(path): \(answer.output)")
            #expect(!answer.output.contains("do-not-show"))
        }
        #expect(throws: RepoError.self) { try toolbox.analysis.source(of: "../\(secret.lastPathComponent)") }
        // Inside the repository `..` is harmless.
        #expect(toolbox.call("view_file", ["path": "shop/../shop/util.py"]).output.contains("def normalize"))
    }

    @Test func absolutePathsAndLinksOutOfTheRepositoryAreRefused() async throws {
        let (root, secret) = try Self.repositoryWithEscapes()
        let toolbox = RepoToolbox(try await RepoAnalysis.analyze(root))
        let refusals = [
            (secret.path, "outside the repository (an absolute path)"), ("/etc/passwd", "outside the repository (an absolute path)"),
            ("shop/leak.py", "outside the repository (a link"), ("outside/\(secret.lastPathComponent)", "outside the repository (a link"),
        ]
        for (path, reason) in refusals {
            let answer = toolbox.call("view_file", ["path": .string(path)])
            #expect(!answer.ok && answer.output.contains(reason), "\(path): \(answer.output)")
            #expect(!answer.output.contains("do-not-show") && !answer.output.contains("root:"))
        }
        let search = toolbox.call("search_code", ["pattern": "do-not-show"])
        #expect(!search.output.contains("do-not-show = "), "the scan must not read a linked file outside: \(search.output)")
        #expect(toolbox.analysis.scan.skipped.contains { $0.path == "shop/leak.py" && $0.reason.contains("leaves the repository") })
        // A link that stays inside, and an absolute path inside, are fine.
        #expect(toolbox.call("view_file", ["path": "shop/alias.py"]).output.contains("def normalize"))
        #expect(toolbox.call("view_file", ["path": .string(root.appendingPathComponent("shop/util.py").path)]).output.contains("def normalize"))
        let binary = toolbox.call("view_file", ["path": "logo.png"])
        #expect(!binary.ok && binary.output.contains("binary file"))
    }

    @Test func extraFoldersAreFencedToo() async throws {
        let (root, secret) = try Self.repositoryWithEscapes()
        let inputs = root.deletingLastPathComponent().appendingPathComponent("inputs-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        try "a,b\n1,2\n".write(to: inputs.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: inputs.appendingPathComponent("peek.csv").path, withDestinationPath: secret.path)
        var toolbox = RepoToolbox(try await RepoAnalysis.analyze(root))
        toolbox.extraFolders = ["input": inputs]
        #expect(toolbox.call("view_file", ["path": "input/data.csv"]).output.contains("1,2"))
        for path in ["input/peek.csv", "input/../\(secret.lastPathComponent)"] {
            let answer = toolbox.call("view_file", ["path": .string(path)])
            #expect(!answer.ok && answer.output.contains("outside input/"), "\(path): \(answer.output)")
            #expect(!answer.output.contains("do-not-show"))
        }
    }

    @Test func hugeLineNumbersAreClamped() async throws {
        let toolbox = RepoToolbox(try await RepoAnalysis.analyze(try FixtureRepository.make()))
        // Each of these used to trap converting or adding to the line number.
        for start in [JSONValue.number(1e300), .number(-1e300), .string("9223372036854775807"), .number(9.3e18)] {
            let answer = toolbox.call("view_file", ["path": "shop/util.py", "start_line": start])
            #expect(answer.output.contains("shop/util.py"), "\(start): \(answer.output)")
        }
        #expect(toolbox.call("view_class", ["name": .number(1e300)]).ok == false)
    }
}
