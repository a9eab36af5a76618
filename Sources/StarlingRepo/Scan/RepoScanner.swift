import Foundation
import StarlingRuntime

/// Runs `repo_scan.py` over a repository folder with a Python interpreter (the scan is read-only
/// and needs only the standard library) and decodes its JSON.
package struct RepoScanner: Sendable {
    /// What the walk leaves out.
    package struct Limits: Sendable, Hashable {
        /// Python files larger than this are listed as skipped, not parsed.
        package var maxFileKB: Int
        /// Whether `tests/` folders and `test_*.py` files are left out.
        package var skipTests: Bool

        /// Creates limits.
        package init(maxFileKB: Int = 1024, skipTests: Bool = false) {
            self.maxFileKB = maxFileKB
            self.skipTests = skipTests
        }
    }

    /// The interpreter that runs the scan.
    package let python: URL
    /// What the walk leaves out.
    package let limits: Limits

    /// Creates a scanner.
    ///
    /// - Parameters:
    ///   - python: The interpreter; Starling's solution environment's when `nil` and it exists, else `python3` on `PATH`.
    ///   - limits: What the walk leaves out.
    package init(python: URL? = nil, limits: Limits = Limits()) {
        self.python = python ?? Self.defaultPython()
        self.limits = limits
    }

    static func defaultPython() -> URL {
        let solution = StarlingHome.resolve().solutionPython
        if FileManager.default.isExecutableFile(atPath: solution.path) { return solution }
        return URL(fileURLWithPath: Shell.which("python3") ?? "/usr/bin/python3")
    }

    /// The bundled scan script.
    ///
    /// - Throws: ``RepoError`` when it is missing from the build.
    package static func script() throws -> URL {
        guard let url = Bundle.module.url(forResource: "repo_scan", withExtension: "py", subdirectory: "Resources") else {
            throw RepoError("repo_scan.py is missing from Starling's resources; rebuild with `swift build`")
        }
        return url
    }

    /// Scans `folder`.
    ///
    /// - Parameters:
    ///   - folder: The repository root.
    ///   - file: Scan only this file (a path relative to `folder`), not the whole tree.
    /// - Returns: What the scan read.
    /// - Throws: ``RepoError`` when the folder is missing or the scan fails.
    package func scan(_ folder: URL, only file: String? = nil) async throws -> RepoScan {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw RepoError("\(folder.path) is not a folder: give the repository's root folder")
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("starling-repo-scan-\(UUID().uuidString.prefix(8)).json")
        defer { try? FileManager.default.removeItem(at: output) }
        var arguments = [try Self.script().path, folder.standardizedFileURL.path, output.path, "--max-file-kb", String(limits.maxFileKB)]
        if limits.skipTests { arguments.append("--skip-tests") }
        if let file { arguments += ["--only", file] }
        let outcome: Shell.Outcome
        do {
            outcome = try await Shell.run(python.path, arguments)
        } catch {
            throw RepoError("could not start \(python.path) to scan the repository: \(error)")
        }
        guard outcome.succeeded else {
            throw RepoError("scanning \(folder.path) failed: \(outcome.output.suffix(800))")
        }
        do {
            return try JSONDecoder().decode(RepoScan.self, from: Data(contentsOf: output))
        } catch {
            throw RepoError("the repository scan wrote JSON Starling cannot read (\(error))")
        }
    }
}
