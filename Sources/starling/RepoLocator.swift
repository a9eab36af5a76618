import Foundation

/// Finds the Starling checkout (for bundled tasks and requirement files): `STARLING_REPO`, else
/// the first folder above the working directory or the executable that holds `tasks/`.
enum RepoLocator {
    static func root() -> URL? {
        let env = ProcessInfo.processInfo.environment
        if let path = env["STARLING_REPO"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let starts = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent(),
        ]
        for start in starts {
            var folder = start.standardizedFileURL
            while folder.path != "/" {
                if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path),
                   FileManager.default.fileExists(atPath: folder.appendingPathComponent("Sources/StarlingCore").path) {
                    return folder
                }
                folder.deleteLastPathComponent()
            }
        }
        return nil
    }

    /// The data environment's requirements file in the checkout.
    static var dataRequirements: URL? {
        root().map { $0.appendingPathComponent("tasks/requirements-data.txt") }
            .flatMap { FileManager.default.fileExists(atPath: $0.path) ? $0 : nil }
    }
}
