import Foundation
import StarlingCore

/// AIDE's search policy as a pure function of the node tree, so it can be tested alone.
///
/// Defaults are aideml's: draft until `numDrafts` drafts exist; then with probability `debugProb`
/// debug a failed leaf whose chain of debug attempts is shorter than `maxDebugDepth`; otherwise
/// improve a working node — the best one (AIDE's greedy rule), or by UCT when an exploration
/// constant is set, since pure greedy is AIDE's known weakness.
package struct AIDEPolicy: Sendable, Hashable, Codable {
    /// What to do next.
    package enum Action: Sendable, Hashable {
        case draft
        case debug(Node)
        case improve(Node)
    }

    /// Drafts before any improvement (aideml `num_drafts`).
    package var numDrafts = 5
    /// Chance of debugging when a debuggable leaf exists (aideml `debug_prob`).
    package var debugProb = 0.5
    /// Longest chain of consecutive debug attempts (aideml `max_debug_depth`).
    package var maxDebugDepth = 3
    /// UCT exploration constant; `nil` keeps AIDE's greedy choice of the best node.
    package var explorationConstant: Double?

    /// The next action for a tree.
    ///
    /// - Parameters:
    ///   - nodes: Every node of the search so far.
    ///   - direction: The metric's direction.
    ///   - roll: A uniform random number in 0..<1 for the debug coin.
    /// - Returns: Draft, debug a leaf, or improve a node.
    package func next(nodes: [Node], direction: Direction, roll: Double) -> Action {
        let drafts = nodes.filter { $0.stage == .draft }
        if drafts.count < numDrafts { return .draft }
        let parents = Set(nodes.compactMap(\.parentID))
        let byID = Dictionary(uniqueKeysWithValues: nodes.map { ($0.id, $0) })
        let debuggable = nodes.filter { node in
            node.status == .failed && !parents.contains(node.id) && debugDepth(of: node, in: byID) < maxDebugDepth
        }
        if let leaf = debuggable.last, roll < debugProb { return .debug(leaf) }
        let good = nodes.filter { $0.status == .succeeded && $0.harnessScore != nil }
        guard !good.isEmpty else {
            if let leaf = debuggable.last { return .debug(leaf) }
            return .draft
        }
        guard let c = explorationConstant else {
            return .improve(best(good, direction: direction))
        }
        return .improve(uct(good, all: nodes, direction: direction, c: c))
    }

    /// Consecutive debug steps ending at `node` (a draft that failed has depth 0).
    package func debugDepth(of node: Node, in byID: [Int: Node]) -> Int {
        var depth = 0
        var current = node
        while current.stage == .debug, let parent = current.parentID, let next = byID[parent] {
            depth += 1
            current = next
        }
        return depth
    }

    func best(_ nodes: [Node], direction: Direction) -> Node {
        nodes.reduce(nodes[0]) { best, node in direction.isBetter(node.harnessScore!, than: best.harnessScore!) ? node : best }
    }

    /// Upper confidence bound over working nodes: normalised score plus an exploration bonus
    /// that shrinks with the number of children a node already has.
    func uct(_ good: [Node], all: [Node], direction: Direction, c: Double) -> Node {
        let scores = good.map { $0.harnessScore! }
        let low = scores.min()!, high = scores.max()!
        let span = high - low
        let total = Double(all.count)
        var children: [Int: Int] = [:]
        for node in all { if let parent = node.parentID { children[parent, default: 0] += 1 } }
        func value(_ node: Node) -> Double {
            var normalised = span > 0 ? (node.harnessScore! - low) / span : 1
            if direction == .lower { normalised = 1 - normalised }
            let visits = Double(children[node.id] ?? 0) + 1
            return normalised + c * (log(total + 1) / visits).squareRoot()
        }
        return good.max { value($0) < value($1) }!
    }
}
