/// Makes new ids for every row of an agent view's test file, in the style of the task's own
/// test ids, so that dev rows and real test rows cannot be told apart by their ids.
struct FreshIDs {
    /// `count` new ids that collide with none of `taken`.
    ///
    /// - Integer ids (`"17"`): consecutive integers after the largest taken one.
    /// - Prefixed numbers (`"id_00017"`): the same prefix and width, after the largest number.
    /// - Anything else: 12 random hex digits.
    ///
    /// Ids that are file names with one extension (aerial-cactus's `0a1b….jpg`) keep it.
    static func make(count: Int, like examples: [String], taken: Set<String>, generator: inout SeededGenerator) -> [String] {
        if let suffix = commonExtension(examples) {
            let stems = examples.map { String($0.dropLast(suffix.count)) }
            let takenStems = Set(taken.map { $0.hasSuffix(suffix) ? String($0.dropLast(suffix.count)) : $0 })
            return make(count: count, like: stems, taken: takenStems, generator: &generator).map { $0 + suffix }
        }
        if !examples.isEmpty, examples.allSatisfy(isInteger) {
            let start = (taken.compactMap { Int($0) }.max() ?? 0) + 1
            return (0..<count).map { String(start + $0) }
        }
        if let pattern = prefixedNumber(examples) {
            let numbers = taken.compactMap { id -> Int? in
                guard id.hasPrefix(pattern.prefix) else { return nil }
                return Int(id.dropFirst(pattern.prefix.count))
            }
            let start = (numbers.max() ?? 0) + 1
            return (0..<count).map { offset in
                let digits = String(start + offset)
                let padding = String(repeating: "0", count: max(0, pattern.width - digits.count))
                return pattern.prefix + padding + digits
            }
        }
        // A shared prefix up to a separator (pizza's `t3_`) and hex digits of one width keep both.
        let shape = hexShape(examples)
        var result: [String] = []
        var used = taken
        while result.count < count {
            let value = generator.next() & 0xFFFF_FFFF_FFFF
            let hex = String(value, radix: 16)
            let padded = String(repeating: "0", count: 12 - hex.count) + hex
            let id = shape.map { $0.prefix + String(padded.suffix($0.width)) } ?? padded
            if used.insert(id).inserted { result.append(id) }
        }
        return result
    }

    /// A prefix ending in `_` or `-` shared by every example, followed by lowercase hex digits of
    /// one width (at most 12); `nil` otherwise.
    private static func hexShape(_ examples: [String]) -> (prefix: String, width: Int)? {
        guard let first = examples.first, let cut = first.lastIndex(where: { $0 == "_" || $0 == "-" }) else { return nil }
        let prefix = String(first[...cut])
        let width = first.count - prefix.count
        guard (4...12).contains(width) else { return nil }
        let isHex = { (text: Substring) in text.allSatisfy { $0.isHexDigit && !$0.isUppercase } }
        return examples.allSatisfy { $0.hasPrefix(prefix) && $0.count == first.count && isHex($0.dropFirst(prefix.count)) } ? (prefix, width) : nil
    }

    /// `.jpg` when every example ends in it after a non-empty stem, else `nil`.
    private static func commonExtension(_ examples: [String]) -> String? {
        guard let first = examples.first, let dot = first.lastIndex(of: ".") else { return nil }
        let suffix = String(first[dot...])
        guard suffix.count >= 2, suffix.count <= 6, suffix.dropFirst().allSatisfy({ $0.isLetter || $0.isNumber }),
              suffix.dropFirst().contains(where: \.isLetter) else { return nil }
        return examples.allSatisfy { $0.hasSuffix(suffix) && $0.count > suffix.count } ? suffix : nil
    }

    private static func isInteger(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (0x30...0x39).contains($0) } && (text == "0" || !text.hasPrefix("0"))
    }

    /// A shared non-digit prefix followed by digits in every example; `width` is the digit
    /// count when all examples have the same one, else 0.
    private static func prefixedNumber(_ examples: [String]) -> (prefix: String, width: Int)? {
        guard let first = examples.first else { return nil }
        let prefix = String(first.prefix { !$0.isNumber })
        guard !prefix.isEmpty, prefix.count < first.count else { return nil }
        var widths = Set<Int>()
        for id in examples {
            guard id.hasPrefix(prefix) else { return nil }
            let digits = id.dropFirst(prefix.count)
            guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            widths.insert(digits.count)
        }
        return (prefix, widths.count == 1 ? widths.first! : 0)
    }
}
