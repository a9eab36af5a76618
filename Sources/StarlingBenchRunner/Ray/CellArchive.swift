import Foundation
import StarlingRuntime

/// A run folder carried home in a job's output (`--collect`): the worker prints the folder as
/// a gzipped tar in base64 lines between two marker lines at the end of the job; the bench
/// reads the job's logs and unpacks it into the cell's folder. Only the Jobs API is needed,
/// no storage shared between the nodes.
package enum CellArchive {
    /// The line before the archive.
    package static let beginMarker = "----- starling cell archive begin -----"
    /// The line after it.
    package static let endMarker = "----- starling cell archive end -----"

    /// The folder as framed lines, ready to print.
    ///
    /// - Throws: ``RayError`` when tar fails.
    package static func pack(_ folder: URL) throws -> String {
        let data = try tar(["-czf", "-", "-C", folder.path, "."], input: nil)
        let encoded = data.base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
        return beginMarker + "\n" + encoded + "\n" + endMarker + "\n"
    }

    /// Finds the last archive in a job's output and unpacks it into `folder`.
    ///
    /// - Returns: Whether the output held an archive.
    /// - Throws: ``RayError`` when the archive is damaged or cannot be unpacked.
    @discardableResult
    package static func unpack(from logs: String, into folder: URL) throws -> Bool {
        guard let begin = logs.range(of: beginMarker, options: .backwards) else { return false }
        guard let end = logs.range(of: endMarker, range: begin.upperBound..<logs.endIndex) else {
            throw RayError("the job's output ends inside the cell archive (the job was cut off while printing it)")
        }
        let body = logs[begin.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: String(body)) else {
            throw RayError("the cell archive in the job's output is not valid base64")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        _ = try tar(["-xzf", "-", "-C", folder.path], input: data)
        return true
    }

    /// The job's output without the archive, for logs and failure reasons.
    package static func strip(_ logs: String) -> String {
        guard let begin = logs.range(of: beginMarker, options: .backwards) else { return logs }
        var after = logs.range(of: endMarker, range: begin.upperBound..<logs.endIndex)?.upperBound ?? logs.endIndex
        if after < logs.endIndex, logs[after] == "\n" { after = logs.index(after: after) }
        return String(logs[..<begin.lowerBound]) + "(cell archive)\n" + String(logs[after...])
    }

    /// Runs tar with `arguments`, feeding `input`, and returns what it printed.
    private static func tar(_ arguments: [String], input: Data?) throws -> Data {
        let run: ChildProcess.Finished
        do {
            run = try ChildProcess.runToEnd(URL(fileURLWithPath: "/usr/bin/env"), ["tar"] + arguments, input: input)
        } catch {
            throw RayError("cannot run tar: \(error)")
        }
        guard run.succeeded else {
            let message = String(decoding: run.errors, as: UTF8.self)
            throw RayError("tar \(arguments.first ?? "") failed (status \(run.status)): \(message.prefix(300))")
        }
        return run.output
    }
}
