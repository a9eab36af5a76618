/// What a name means inside a module: one of the repository's modules, one of its entities
/// (class or function), something outside the repository, or a name imported from another module
/// that is resolved through that module's own names (re-exports).
package enum Binding: Sendable, Hashable {
    case module(String)
    case entity(String)
    case external(String)
    case imported(module: String, name: String)
}
