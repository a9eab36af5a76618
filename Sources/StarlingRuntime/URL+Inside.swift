import Foundation

extension URL {
    /// Whether this path is `folder` or lies below it, compared as standardized paths (links are
    /// not resolved here: resolve both first where a link may lead out).
    ///
    /// - Parameter folder: The folder.
    /// - Returns: `true` for the folder itself and anything under it; every path lies inside `/`.
    package func isInside(_ folder: URL) -> Bool {
        let inner = standardizedFileURL.path, outer = folder.standardizedFileURL.path
        return inner == outer || inner.hasPrefix(outer.hasSuffix("/") ? outer : outer + "/")
    }
}
