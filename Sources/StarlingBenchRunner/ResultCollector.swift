import Foundation
import StarlingRunFolder

/// Cell results gathered from concurrent cells.
actor ResultCollector {
    private var results: [BenchCell: BenchCellResult] = [:]

    func add(_ result: BenchCellResult) { results[result.cell] = result }

    func snapshot(_ configuration: BenchConfiguration) -> BenchResults {
        BenchResults(configuration: configuration, cells: Array(results.values))
    }
}
