import Foundation
import StarlingBench
import StarlingTestSupport

extension BrokenTask {
    /// Breaks the task in one way chosen by `random`; returns the breakage's name.
    static func breakOne(_ folder: URL, _ random: inout SeededGenerator) throws -> String {
        let file = folder.appendingPathComponent(random.pick(files))
        switch random.int(0...11) {
        case 0: return try breakConfigText(folder.appendingPathComponent("config.yaml"), &random)
        case 1, 2: return try mistypeConfig(folder.appendingPathComponent("config.yaml"), &random)
        case 3: return try removeFile(folder, &random)
        case 4: return try replaceWithOddEntry(file, &random)
        case 5, 6: return try raggedCSV(folder.appendingPathComponent(random.pick(Array(files.dropFirst(2)))), &random)
        case 7: return try binaryFile(file, &random)
        case 8: return try hugeLine(folder.appendingPathComponent(random.pick(Array(files.dropFirst(2)))), &random)
        case 9: return try misplacePath(folder.appendingPathComponent("config.yaml"), &random)
        case 10: return try mangle(file, &random)
        default: return try encodingTrouble(folder.appendingPathComponent(random.pick(Array(files.dropFirst(2)))), &random)
        }
    }

    static func text(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
    /// Writes `text` over whatever `url` is now (an earlier breakage may have made it a folder or a link).
    static func put(_ text: String, _ url: URL) throws {
        try? FileManager.default.removeItem(at: url)
        try Data(text.utf8).write(to: url)
    }

    static func breakConfigText(_ config: URL, _ random: inout SeededGenerator) throws -> String {
        let broken: [(String, String)] = [
            ("yaml-empty", ""), ("yaml-comment-only", "# nothing\n"), ("yaml-scalar-top", "just a string\n"), ("yaml-list-top", "- id\n- name\n"),
            ("yaml-unclosed-flow", text(config).replacingOccurrences(of: "[y]", with: "[y")),
            ("yaml-tab-indent", text(config).replacingOccurrences(of: "  name: accuracy", with: "\tname: accuracy")),
            ("yaml-duplicate-key", text(config) + "id: other\n"), ("yaml-bad-quote", text(config).replacingOccurrences(of: "\"test\"", with: "\"test")),
            ("yaml-aliases", "base: &b {value: 0.5, source: x}\n" + text(config).replacingOccurrences(of: "{value: 0.5, source: \"test\"}", with: "*b")),
            ("yaml-unknown-alias", text(config) + "extra: *nothing\n"), ("yaml-binary", String(decoding: random.bytes(300), as: UTF8.self)),
            ("yaml-deep-nesting", String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n"),
            ("yaml-alias-fanout", aliasFanout(levels: 4)),
            ("yaml-nasty-text", random.nastyText(maxLength: 200)),
        ]
        let (name, value) = random.pick(broken)
        try put(value, config)
        return name
    }

    /// A config whose aliases multiply: each level lists the one below ten times.
    static func aliasFanout(levels: Int) -> String {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...levels {
            text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        return text + config
    }

    static func mistypeConfig(_ config: URL, _ random: inout SeededGenerator) throws -> String {
        let keys = ["id", "name", "grader", "grader.name", "dataset", "dataset.answers", "direction", "task_type", "id_column", "target_columns",
                    "dev_split", "dev_fraction", "scores", "scores.baseline", "scores.baseline.value", "grader.k", "prepare.seed", "inputs.files",
                    "inputs.unpack", "inputs.keep_ids", "grader.columns", "prepare.checksums", "inputs.named_labels", "competition_type"]
        let values = ["[1, 2]", "{a: 1}", "null", "~", "''", "true", "-1", "1e400", ".nan", "2.5", "\"../../etc\"", "[[], {}]", "{value: x}",
                      "!!binary aGVsbG8=", "0x1F", "\"id\"", "[id]", "{train: a, test: b}", "[{train: \"a/{id}\", test: 3}]", "{folder: t, token: x}"]
        let key = random.pick(keys), value = random.pick(values)
        var lines = text(config).components(separatedBy: "\n")
        let last = String(key.split(separator: ".").last!)
        if let at = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(last + ":") }), random.chance(0.7) {
            let indent = lines[at].prefix { $0 == " " }
            lines[at] = indent + last + ": " + value
        } else if !key.contains(".") {
            lines.append("\(key): \(value)")
        } else {
            let parts = key.split(separator: ".")
            lines.append("\(parts[0]):")
            for (depth, part) in parts.dropFirst().enumerated() {
                lines.append(String(repeating: "  ", count: depth + 1) + part + (depth == parts.count - 2 ? ": \(value)" : ":"))
            }
        }
        try put(lines.joined(separator: "\n"), config)
        return "config-wrong-type"
    }

    static func removeFile(_ folder: URL, _ random: inout SeededGenerator) throws -> String {
        let path = random.pick(files + ["prepared/public", "prepared/private", "prepared"])
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(path))
        return "missing " + path
    }

    static func replaceWithOddEntry(_ file: URL, _ random: inout SeededGenerator) throws -> String {
        try? FileManager.default.removeItem(at: file)
        switch random.int(0...3) {
        case 0:
            try FileManager.default.createDirectory(at: file, withIntermediateDirectories: true)
            return "folder-instead-of-file"
        case 1:
            try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: file.lastPathComponent)
            return "self-link"
        case 2:
            try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: "/nonexistent/\(file.lastPathComponent)")
            return "dangling-link"
        default:
            try Data().write(to: file)
            return "empty-file"
        }
    }

    static func raggedCSV(_ csv: URL, _ random: inout SeededGenerator) throws -> String {
        var lines = text(csv).components(separatedBy: "\n")
        guard lines.count > 2 else { return "ragged (nothing to break)" }
        let at = random.int(1...lines.count - 2)
        let kinds: [(String, String)] = [
            ("csv-extra-field", lines[at] + ",surplus"), ("csv-missing-field", String(lines[at].split(separator: ",").first ?? "")),
            ("csv-open-quote", "\"" + lines[at]), ("csv-stray-quote", lines[at].replacingOccurrences(of: ",", with: ",a\"b")),
            ("csv-blank-line", ""), ("csv-duplicate-header", lines[0] + "," + (lines[0].split(separator: ",").last ?? "")),
            ("csv-header-only", lines[0]), ("csv-duplicate-id", lines[max(1, at - 1)]), ("csv-empty-header", ","),
        ]
        let (name, line) = random.pick(kinds)
        if name == "csv-header-only" { lines = [lines[0]] } else if name == "csv-duplicate-header" || name == "csv-empty-header" { lines[0] = line } else { lines[at] = line }
        try put(lines.joined(separator: random.chance(0.2) ? "\r\n" : "\n"), csv)
        return name
    }

    static func binaryFile(_ file: URL, _ random: inout SeededGenerator) throws -> String {
        try? FileManager.default.removeItem(at: file)
        try random.bytes(random.int(1...20_000)).write(to: file)
        return "binary"
    }

    static func hugeLine(_ csv: URL, _ random: inout SeededGenerator) throws -> String {
        let size = random.pick([70_000, 1 << 20, 3 << 20])
        guard var data = try? Data(contentsOf: csv) else { return "huge line (unreadable)" }
        try? FileManager.default.removeItem(at: csv)
        let field = random.chance(0.5) ? String(repeating: "9", count: size) : "\"" + String(repeating: "a,\n", count: size / 3)
        data.append(Data(("\(random.int(100...999)),\(field)" + (random.chance(0.5) ? "\n" : "")).utf8))
        try data.write(to: csv)
        return "csv-huge-line"
    }

    static func misplacePath(_ config: URL, _ random: inout SeededGenerator) throws -> String {
        let target = random.pick(["../../outside.csv", "/etc/passwd", "prepared/public/answers.csv", "prepared/private", "nothing/here.csv",
                                  "prepared/public/train.csv", "", "prepared/../config.yaml"])
        let key = random.pick(["answers", "sample_submission"])
        let lines = text(config).components(separatedBy: "\n").map { $0.hasPrefix("  \(key):") ? "  \(key): \"\(target)\"" : $0 }
        try put(lines.joined(separator: "\n"), config)
        return "path-" + key
    }

    static func mangle(_ file: URL, _ random: inout SeededGenerator) throws -> String {
        guard let data = try? Data(contentsOf: file) else { return "mangled (unreadable)" }
        try? FileManager.default.removeItem(at: file)
        try random.mangled(data).write(to: file)
        return "mangled-bytes"
    }

    static func encodingTrouble(_ csv: URL, _ random: inout SeededGenerator) throws -> String {
        guard var data = try? Data(contentsOf: csv) else { return "encoding (unreadable)" }
        try? FileManager.default.removeItem(at: csv)
        switch random.int(0...3) {
        case 0: data.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0); try data.write(to: csv); return "csv-bom"
        case 1: data.insert(contentsOf: [0xC3, 0x28, 0xFF], at: data.count / 2); try data.write(to: csv); return "csv-invalid-utf8"
        case 2: data.insert(contentsOf: [0, 0, 0], at: data.count / 2); try data.write(to: csv); return "csv-nul"
        default: try (text(csv).data(using: .utf16) ?? Data()).write(to: csv); return "csv-utf16"
        }
    }
}
