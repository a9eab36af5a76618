import Foundation
import StarlingCore

/// Grounded repairs with no LLM call (`code_repair.py`): a name imported from the wrong module,
/// or used as an attribute of the wrong module, is moved to where the installed library defines
/// it, found in the ``APIIndex``; lines of the failing function that do arithmetic on a column the
/// data profile reads as text are removed; an unexpected keyword argument yields the callable's
/// real signature for the debug prompt.
package struct CodeRepairer: Sendable {
    /// What a repair produced.
    package struct Repair: Sendable, Hashable, Decodable {
        /// The repaired script, when anything was repaired.
        package var fixedSource: String?
        /// What was changed, one line each.
        package var fixes: [String]
        /// Kinds of repair made (`import`, `name`, `attribute`, `string-arithmetic`).
        package var kinds: [String]
        /// Facts for the debug prompt (real signatures, where a name lives).
        package var hints: [String]

        enum CodingKeys: String, CodingKey {
            case fixedSource = "fixed_source"
            case fixes, kinds, hints
        }

        static let none = Repair(fixedSource: nil, fixes: [], kinds: [], hints: [])
    }

    let tools: ToolRunner
    let index: APIIndex
    /// The data profile (`profile.json`): which columns hold strings.
    let profile: URL?

    /// Creates a repairer over an index.
    ///
    /// - Parameters:
    ///   - tools: Runs `code_repair.py`.
    ///   - index: The installed libraries' API.
    ///   - profile: The run's data profile; with it, arithmetic on string columns inside a
    ///     function is removed (the lines that do it), without it only explained.
    package init(tools: ToolRunner, index: APIIndex, profile: URL? = nil) {
        self.tools = tools
        self.index = index
        self.profile = profile
    }

    /// Repairs imports of names from modules that do not define them (the pre-flight part).
    ///
    /// - Parameters:
    ///   - code: The script.
    ///   - scratch: A folder for the helper's files.
    /// - Returns: The repair; ``Repair/none``-like when nothing was wrong or the helper failed.
    package func repairImports(_ code: String, scratch: URL) async -> Repair {
        await call(code, error: nil, scratch: scratch)
    }

    /// Repairs what a failed run's error points at, or explains it.
    ///
    /// - Parameters:
    ///   - code: The script that failed.
    ///   - error: Its error text (traceback tail).
    ///   - scratch: A folder for the helper's files.
    /// - Returns: The repair and hints.
    package func repair(_ code: String, error: String, scratch: URL) async -> Repair {
        await call(code, error: error, scratch: scratch)
    }

    private func call(_ code: String, error: String?, scratch: URL) async -> Repair {
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            let script = scratch.appendingPathComponent("script.py")
            try code.write(to: script, atomically: true, encoding: .utf8)
            var arguments = [script.path, index.file.path]
            if let error {
                let file = scratch.appendingPathComponent("error.txt")
                try error.write(to: file, atomically: true, encoding: .utf8)
                arguments.append(file.path)
                if let profile { arguments.append(profile.path) }
            }
            return try await tools.run(Repair.self, "code_repair", arguments: arguments, scratch: scratch, timeout: 120)
        } catch {
            return .none
        }
    }
}
