extension StringProtocol {
    /// The text with `& < > " '` replaced by entities, safe inside HTML elements and quoted
    /// attributes (and SVG, which is XML). Code, plans and error messages pass through here.
    package var htmlEscaped: String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for character in unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
