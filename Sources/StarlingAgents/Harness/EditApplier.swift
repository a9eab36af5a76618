import Foundation
import StarlingCore
import StarlingRuntime
import StarlingRunFolder

/// Applies the model's edit replies to a script (`apply_edit.py`): a function spliced back by
/// name with Python's `ast`, SEARCH/REPLACE blocks, or a whole script; the result must parse.
package struct EditApplier: Sendable {
    /// One top-level function or class of a script.
    package struct Function: Sendable, Hashable, Decodable {
        /// Its name.
        package var name: String
        /// First line (decorators included), 1-based.
        package var first: Int
        /// Last line, inclusive.
        package var last: Int
        /// The first line of its docstring.
        package var doc: String
        /// The last line of its `def` line and docstring, `nil` when the body shares a line with them.
        package var head: Int?
    }

    /// What applying a reply gave.
    package struct Result: Sendable, Hashable, Decodable {
        /// The new script, when the edit applied.
        package var source: String?
        /// Functions replaced.
        package var changed: [String]
        /// Helper functions added.
        package var added: [String]
        /// Import lines added.
        package var imports: [String]
        /// Whether the new script equals the base up to whitespace.
        package var identical: Bool
        /// Why the edit did not apply, worded for the model's next try.
        package var error: String?
    }

    let tools: ToolRunner

    /// Creates an applier.
    package init(tools: ToolRunner) { self.tools = tools }

    /// Applies `reply` to `base`.
    ///
    /// - Parameters:
    ///   - reply: The model's reply text.
    ///   - base: The script to change.
    ///   - format: `function`, `diff` or `whole` (not `auto`).
    ///   - scratch: A folder for the helper's files.
    /// - Returns: The result; a helper failure is a result with an error.
    package func apply(_ reply: String, to base: String, format: EditFormat, scratch: URL) async -> Result {
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            let baseFile = scratch.appendingPathComponent("base.py"), replyFile = scratch.appendingPathComponent("reply.txt")
            try base.write(to: baseFile, atomically: true, encoding: .utf8)
            try reply.write(to: replyFile, atomically: true, encoding: .utf8)
            let mode = format == .auto ? EditFormat.function.rawValue : format.rawValue
            return try await tools.run(Result.self, "apply_edit", arguments: [baseFile.path, replyFile.path, mode], scratch: scratch)
        } catch {
            return Result(source: nil, changed: [], added: [], imports: [], identical: false, error: "the edit could not be applied: \(error)")
        }
    }

    /// `base` with `other`'s model function `function` made callable in it (see `apply_edit.py
    /// --transplant`): `base`'s own function renamed `function_baseLabel`, `other`'s added as
    /// `function_otherLabel` with what it needs, and a new `function` that calls only `base`'s.
    /// The result runs as `base` does; `nil` when the scripts do not have the card examples'
    /// shape (a model function and `x_all, x_test, STRINGS = clean_features(...)`): the helper
    /// then answers with an error and no script, which does not decode as a ``Transplant``.
    package func transplant(_ function: String, from other: String, into base: String, baseLabel: String, otherLabel: String,
                           scratch: URL) async -> Transplant? {
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            let baseFile = scratch.appendingPathComponent("base.py"), otherFile = scratch.appendingPathComponent("other.py")
            try base.write(to: baseFile, atomically: true, encoding: .utf8)
            try other.write(to: otherFile, atomically: true, encoding: .utf8)
            return try await tools.run(Transplant.self, "apply_edit",
                                       arguments: [baseFile.path, "--transplant", otherFile.path, function, baseLabel, otherLabel], scratch: scratch)
        } catch {
            return nil
        }
    }

    /// What ``transplant(_:from:into:baseLabel:otherLabel:scratch:)`` made.
    package struct Transplant: Decodable, Sendable {
        /// The script with both model functions.
        package var source: String
        /// The new name of `base`'s own model function.
        package var baseFunction: String
        /// The name of the transplanted model function.
        package var otherFunction: String

        enum CodingKeys: String, CodingKey {
            case source
            case baseFunction = "base_function", otherFunction = "other_function"
        }
    }

    /// The script's top-level functions and classes; empty when it does not parse.
    package func outline(of code: String, scratch: URL) async -> [Function] {
        struct Outline: Decodable { var functions: [Function] }
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            let file = scratch.appendingPathComponent("outline.py")
            try code.write(to: file, atomically: true, encoding: .utf8)
            return try await tools.run(Outline.self, "apply_edit", arguments: [file.path, "--outline"], scratch: scratch).functions
        } catch {
            return []
        }
    }

    /// The script with every top-level function but `focus` cut to its signature and docstring,
    /// for prompts about one function; the script itself when the helper fails. With
    /// `elidingFocus`, `focus` is cut too (the prompt shows it whole after the outline).
    package func skeleton(of code: String, keeping focus: String, elidingFocus: Bool = false, scratch: URL) async -> String {
        struct Skeleton: Decodable { var skeleton: String }
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            let file = scratch.appendingPathComponent("skeleton.py")
            try code.write(to: file, atomically: true, encoding: .utf8)
            return try await tools.run(Skeleton.self, "apply_edit", arguments: [file.path, "--skeleton", focus] + (elidingFocus ? ["--elide-focus"] : []), scratch: scratch).skeleton
        } catch {
            return code
        }
    }

    /// Whether two scripts are the same up to whitespace (trailing spaces, blank lines).
    package static func sameUpToWhitespace(_ a: String, _ b: String) -> Bool {
        normalised(a) == normalised(b)
    }

    static func normalised(_ code: String) -> String {
        code.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
            .filter { !$0.isEmpty }
            .joined(separator: "\n")
    }

    /// `error` as a prompt shows it: frames in `solution.py` keep their source line (the path
    /// cut to `solution.py`), each run of frames inside installed libraries becomes one line
    /// naming the packages and the last function, and caret lines go. A LightGBM dtype error
    /// read 2,296 characters with its eleven library frames; the model needs the script's own
    /// frames and the message (prompt processing is ~50 tokens a second on two cores).
    package static func compactTraceback(_ error: String) -> String {
        let frame = #/^\s*File "([^"]*)", line (\d+), in (.+)$/#
        var out: [String] = []
        var library: (count: Int, packages: [String], last: String)?
        var skippingSource = false
        func flush() {
            guard let run = library else { return }
            let what = run.count == 1 ? "1 frame" : "\(run.count) frames"
            out.append("  ... \(what) inside \(run.packages.joined(separator: ", ")) (last: \(run.last))")
            library = nil
        }
        for line in error.components(separatedBy: "\n") {
            if let match = line.wholeMatch(of: frame) {
                let path = String(match.1)
                if path.hasSuffix(ScriptWorkspace.Name.script) {
                    flush()
                    out.append("  File \"\(ScriptWorkspace.Name.script)\", line \(match.2), in \(match.3)")
                    skippingSource = false
                } else {
                    let parts = path.split(separator: "/")
                    // The package after site-packages (or the standard library's module), else the file.
                    let root = parts.lastIndex(where: { $0 == "site-packages" || $0 == "dist-packages" })
                        ?? parts.lastIndex(where: { $0.hasPrefix("python3") })
                    let package = root.flatMap { parts.indices.contains($0 + 1) ? String(parts[$0 + 1]) : nil }
                        ?? (parts.last.map(String.init) ?? path)
                    let last = "\(parts.suffix(2).joined(separator: "/")) \(match.3)"
                    var run = library ?? (0, [], last)
                    run.count += 1
                    if !run.packages.contains(package) { run.packages.append(package) }
                    run.last = last
                    library = run
                    skippingSource = true
                }
                continue
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty && trimmed.allSatisfy({ "^~ ".contains($0) }) { continue }  // caret markers
            if skippingSource && line.hasPrefix("    ") { continue }  // a library frame's source line
            skippingSource = false
            flush()
            out.append(line)
        }
        flush()
        return out.joined(separator: "\n")
    }

    /// The line of `solution.py` where a traceback says the script failed (its last frame in
    /// the script), or `nil`.
    package static func failingLine(in error: String) -> Int? {
        let pattern = #"File "[^"]*solution\.py", line (\d+)"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
        let range = NSRange(error.startIndex..., in: error)
        guard let last = regex.matches(in: error, range: range).last, let r = Range(last.range(at: 1), in: error) else { return nil }
        return Int(error[r])
    }
}
