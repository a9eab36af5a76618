import Foundation

/// What a sandboxed solution script needs to use the zoo: `starling_zoo` on its `PYTHONPATH`,
/// the installed models (read-only) in `STARLING_ZOO_DIR`, a feature cache it may write and that
/// every script of a run shares (`STARLING_ZOO_CACHE`: a second script on the same images reads
/// their features back), and its thread count from the script's own cores.
package struct ZooAccess: Sendable, Hashable {
    /// The installed models.
    package var models: URL
    /// The folder holding `starling_zoo.py`.
    package var scripts: URL
    /// The shared feature cache.
    package var cache: URL

    /// The access for a run (its cache folder created), or `nil` when no zoo model is installed (a script that imports
    /// `starling_zoo` then fails with the helper's own "run `starling setup --zoo`").
    ///
    /// - Parameters:
    ///   - home: Starling's home.
    ///   - runFolder: The run's folder; the cache is its `zoo-cache/`.
    package static func forRun(home: StarlingHome, runFolder: URL) -> ZooAccess? {
        guard let scripts = ZooManifest.scripts,
              let names = try? FileManager.default.contentsOfDirectory(atPath: home.zoo.path),
              names.contains(where: { $0.hasSuffix(".onnx") }) else { return nil }
        let cache = runFolder.appendingPathComponent("zoo-cache")
        try? FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        return ZooAccess(models: home.zoo, scripts: scripts, cache: cache)
    }

    /// `request` with the zoo made available: the variables set, the helper's folder prepended
    /// to `PYTHONPATH`, models and helper read-only (the cache folder is made once, by ``forRun(home:runFolder:)``).
    package func apply(to request: ExecutionRequest) -> ExecutionRequest {
        var request = request
        let path = [scripts.path] + (request.environment["PYTHONPATH"].map { [$0] } ?? [])
        request.environment["PYTHONPATH"] = path.joined(separator: ":")
        request.environment["STARLING_ZOO_DIR"] = models.path
        request.environment["STARLING_ZOO_CACHE"] = cache.path
        request.environment["STARLING_ZOO_THREADS"] = String(max(1, request.limits.cores))
        request.readOnlyPaths += [models, scripts]
        return request
    }
}
