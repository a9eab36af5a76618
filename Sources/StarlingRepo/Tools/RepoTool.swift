/// The exploration tools a model (or the CLI) can call on an analysed repository. Each takes a few
/// string or integer arguments and returns bounded text.
package enum RepoTool: String, Sendable, Hashable, Codable, CaseIterable {
    case listStructure = "list_structure"
    case searchCode = "search_code"
    case viewFile = "view_file"
    case viewClass = "view_class"
    case viewFunction = "view_function"
    case findReferences = "find_references"
    case findDependencies = "find_dependencies"

    /// The arguments it takes, as `name: type` with `?` for optional ones.
    package var arguments: [String] {
        switch self {
        case .listStructure: ["path?: string (a folder or dotted package; the root when absent)", "depth?: integer (default 2)"]
        case .searchCode: ["pattern: string (a regular expression or plain text)", "path?: string (a folder or file to search in)"]
        case .viewFile: ["path: string", "start_line?: integer", "end_line?: integer"]
        case .viewClass: ["name: string (Class, module.Class)"]
        case .viewFunction: ["name: string (function, Class.method, module.function)"]
        case .findReferences: ["name: string (a function, method, class or module)"]
        case .findDependencies: ["name: string (a module, class or function)"]
        }
    }

    /// What it shows, for the prompt.
    package var purpose: String {
        switch self {
        case .listStructure: "the package → module tree with line, class and function counts"
        case .searchCode: "matching lines in the Python files and the documentation (.md, .rst, .txt), with file and line number"
        case .viewFile: "a file's lines with numbers; a long file without a range is shown as a skeleton"
        case .viewClass: "a class's source, or its skeleton when long, with its bases and subclasses"
        case .viewFunction: "a function's source with what it calls and who calls it"
        case .findReferences: "who calls or imports it (from the call and module graphs) and where its name appears"
        case .findDependencies: "what it imports or calls inside the repository and outside it"
        }
    }

    /// One line per tool for a prompt: `name(arguments) — purpose`.
    package static var catalogue: String {
        allCases.map { "- \($0.rawValue)(\($0.arguments.joined(separator: ", "))) — \($0.purpose)" }.joined(separator: "\n")
    }
}
