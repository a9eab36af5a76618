/// Centrality measures over a small directed graph given as adjacency lists of node indices.
package enum GraphMeasures {
    /// PageRank with damping 0.85; rank flows along edges (an imported module gains from its
    /// importers), and nodes without out-edges spread theirs evenly.
    ///
    /// - Parameters:
    ///   - edges: Out-neighbours of each node.
    ///   - iterations: Power-iteration steps at most (stops earlier when the change is below 1e-9).
    /// - Returns: One rank per node, summing to 1.
    package static func pageRank(_ edges: [[Int]], iterations: Int = 100) -> [Double] {
        let count = edges.count
        guard count > 0 else { return [] }
        let damping = 0.85
        var rank = [Double](repeating: 1 / Double(count), count: count)
        for _ in 0..<iterations {
            var next = [Double](repeating: (1 - damping) / Double(count), count: count)
            var dangling = 0.0
            for node in 0..<count {
                if edges[node].isEmpty { dangling += rank[node]; continue }
                let share = damping * rank[node] / Double(edges[node].count)
                for target in edges[node] { next[target] += share }
            }
            let spread = damping * dangling / Double(count)
            var change = 0.0
            for node in 0..<count {
                next[node] += spread
                change += abs(next[node] - rank[node])
            }
            rank = next
            if change < 1e-9 { break }
        }
        return rank
    }

    /// Betweenness centrality (Brandes), exact when the graph has at most `maxSources` nodes,
    /// otherwise estimated from `maxSources` evenly spaced source nodes and scaled up.
    ///
    /// - Returns: One score per node, and whether it was estimated.
    package static func betweenness(_ edges: [[Int]], maxSources: Int = 400) -> (scores: [Double], estimated: Bool) {
        let count = edges.count
        var scores = [Double](repeating: 0, count: count)
        guard count > 2 else { return (scores, false) }
        let estimated = count > maxSources
        let step = estimated ? Double(count) / Double(maxSources) : 1
        let sources = estimated ? (0..<maxSources).map { Int(Double($0) * step) } : Array(0..<count)
        var order: [Int] = []
        var predecessors = [[Int]](repeating: [], count: count)
        var paths = [Double](repeating: 0, count: count)
        var distance = [Int](repeating: -1, count: count)
        var dependency = [Double](repeating: 0, count: count)
        for source in sources {
            order.removeAll(keepingCapacity: true)
            for node in 0..<count { predecessors[node].removeAll(keepingCapacity: true); paths[node] = 0; distance[node] = -1; dependency[node] = 0 }
            paths[source] = 1
            distance[source] = 0
            var queue = [source]
            var head = 0
            while head < queue.count {
                let node = queue[head]; head += 1
                order.append(node)
                for next in edges[node] {
                    if distance[next] < 0 { distance[next] = distance[node] + 1; queue.append(next) }
                    if distance[next] == distance[node] + 1 { paths[next] += paths[node]; predecessors[next].append(node) }
                }
            }
            for node in order.reversed() {
                for previous in predecessors[node] { dependency[previous] += paths[previous] / paths[node] * (1 + dependency[node]) }
                if node != source { scores[node] += dependency[node] }
            }
        }
        if estimated { for node in 0..<count { scores[node] *= step } }
        return (scores, estimated)
    }
}
