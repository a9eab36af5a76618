/// What a name means inside a module: one of the repository's modules, one of its entities
/// (class or function), something outside the repository, a name imported from another module
/// that is resolved through that module's own names (re-exports), or another name of the same
/// module (`shortest_path = algorithms.shortest_path`).
package enum Binding: Sendable, Hashable {
    case module(String)
    case entity(String)
    case external(String)
    case imported(module: String, name: String)
    case alias(String)
}

/// `from module import *` at a line: binds what the module exports (its `__all__`, else its
/// public names) from that line on.
package struct StarImport: Sendable, Hashable {
    package var module: String
    package var line: Int
}
