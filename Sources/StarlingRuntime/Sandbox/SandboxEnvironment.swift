import Foundation

/// Builds a script's environment from an allow-list, so no key, token or other secret in
/// Starling's own environment can reach generated code.
package enum SandboxEnvironment {
    /// Variables copied from the parent when set. Locale and time zone only, plus the two
    /// OpenBLAS settings that some processors need for correct results.
    package static let passthrough: Set<String> = [
        "LANG", "LC_ALL", "LC_CTYPE", "TZ", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
    ]

    /// The variables that name a thread count; all are set to the slot's core share.
    package static let threadVariables = [
        "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS",
        "NUMEXPR_MAX_THREADS", "VECLIB_MAXIMUM_THREADS", "BLIS_NUM_THREADS", "LOKY_MAX_CPU_COUNT",
        "POLARS_MAX_THREADS", "RAYON_NUM_THREADS", "STARLING_N_JOBS",
    ]

    /// The environment for one execution.
    ///
    /// - Parameters:
    ///   - request: The execution; its `environment` entries are added last.
    ///   - parent: Starling's own environment, read only for the pass-through names.
    /// - Returns: The complete environment the script sees.
    package static func build(for request: ExecutionRequest, parent: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        var env: [String: String] = [:]
        for key in passthrough { if let value = parent[key] { env[key] = value } }
        let venvBin = request.python.deletingLastPathComponent().path
        env["PATH"] = "\(venvBin):/usr/local/bin:/usr/bin:/bin"
        env["VIRTUAL_ENV"] = request.python.deletingLastPathComponent().deletingLastPathComponent().path
        env["HOME"] = request.workDir.appendingPathComponent(".home").path
        env["TMPDIR"] = request.workDir.appendingPathComponent(".tmp").path
        env["MPLCONFIGDIR"] = request.workDir.appendingPathComponent(".tmp/matplotlib").path
        env["MPLBACKEND"] = "Agg"
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONHASHSEED"] = "0"
        env["MALLOC_ARENA_MAX"] = "2"
        env["LANG"] = env["LANG"] ?? "C.UTF-8"
        for key in threadVariables { env[key] = String(request.limits.cores) }
        for (key, value) in request.environment { env[key] = value }
        return env
    }
}
