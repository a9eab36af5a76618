/// A CSV file that could not be read, with the place to look.
package struct CSVError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file, or `"<memory>"` for text that came from no file.
    package var file: String
    /// 1-based line in the file.
    package var line: Int
    /// 1-based character column in that line, when the problem sits at one character.
    package var column: Int?
    /// What is wrong and what would fix it.
    package var message: String

    package var description: String {
        if let column { return "\(file):\(line):\(column): \(message)" }
        return "\(file):\(line): \(message)"
    }
}
