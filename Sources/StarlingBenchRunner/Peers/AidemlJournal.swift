import Foundation

/// What aideml left in its `journal.json` (format version 2, written after every step): the
/// nodes with their code, the metric its review model read from the output, and whether the
/// review called the node buggy.
package struct AidemlJournal: Sendable, Hashable {
    /// One aideml node.
    package struct Node: Sendable, Hashable {
        /// aideml's node id (a hex string).
        package var id: String
        /// The step that made it, from 0.
        package var step: Int
        /// The parent's id, for debug and improve nodes.
        package var parentID: String?
        /// The plan the model wrote.
        package var plan: String
        /// The script.
        package var code: String
        /// The validation metric aideml's review read from the output; `nil` when buggy.
        package var metric: Double?
        /// Whether higher is better, as the review said.
        package var maximize: Bool?
        /// Whether the review (or an exception) marked it buggy.
        package var isBuggy: Bool
        /// Seconds the script ran.
        package var executionSeconds: Double?
        /// The exception type, when the script raised one.
        package var exceptionType: String?
        /// The review's summary.
        package var analysis: String?
        /// When it was made (Unix time).
        package var createdAt: Double?
    }

    /// Every node in step order.
    package var nodes: [Node]

    /// Reads a `journal.json`.
    ///
    /// - Parameter url: The file.
    /// - Throws: ``BenchCellError`` when it is not an aideml journal.
    package init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let raw = object["nodes"] as? [[String: Any]] else {
            throw BenchCellError("\(url.path) is not an aideml journal (no `nodes` list)")
        }
        let parents = object["node2parent"] as? [String: String] ?? [:]
        nodes = raw.enumerated().map { index, entry in
            let id = entry["id"] as? String ?? "node-\(index)"
            let metric = entry["metric"] as? [String: Any]
            return Node(
                id: id, step: entry["step"] as? Int ?? index, parentID: parents[id],
                plan: entry["plan"] as? String ?? "", code: entry["code"] as? String ?? "",
                metric: (metric?["value"] as? NSNumber)?.doubleValue, maximize: metric?["maximize"] as? Bool,
                isBuggy: entry["is_buggy"] as? Bool ?? true, executionSeconds: (entry["exec_time"] as? NSNumber)?.doubleValue,
                exceptionType: entry["exc_type"] as? String, analysis: entry["analysis"] as? String,
                createdAt: (entry["ctime"] as? NSNumber)?.doubleValue)
        }.sorted { $0.step < $1.step }
    }

    /// `draft`, `debug` or `improve`, as aideml names them: a child of a buggy node is a debug step.
    package func stage(of node: Node) -> String {
        guard let parentID = node.parentID else { return "draft" }
        return nodes.first { $0.id == parentID }?.isBuggy == true ? "debug" : "improve"
    }

    /// Working nodes, best first by aideml's own metric (what aideml would pick).
    package var rankedWorkingNodes: [Node] {
        nodes.filter { !$0.isBuggy && $0.metric != nil && !$0.code.isEmpty }.sorted { a, b in
            let maximize = a.maximize ?? true
            return maximize ? a.metric! > b.metric! : a.metric! < b.metric!
        }
    }
}
