/// Parses the pattern language described on `PhraseSet`. Patterns are literals in the source (the rule files and
/// `Catalog`); a malformed one is a programming error and stops the process the first time the catalog is built
/// (which every test does).
struct PatternParser {
    private let characters: [Character]
    private var position = 0
    private let source: String

    init(_ source: String) {
        self.source = source
        self.characters = Array(source)
    }

    /// Parses the whole pattern: an optional leading guard, the alternatives, an optional trailing guard.
    mutating func parsePattern() -> (node: PatternNode, notAfter: [RawAtom], notBefore: [RawAtom]) {
        skipSpaces()
        var notAfter: [RawAtom] = []
        if peek == "!" {
            position += 1
            notAfter = parseGuard()
        }
        let node = parseAlternatives()
        skipSpaces()
        var notBefore: [RawAtom] = []
        if peek == "!" {
            position += 1
            notBefore = parseGuard()
        }
        skipSpaces()
        precondition(position == characters.count, "MessageLint: cannot parse pattern \(source)")
        return (node, notAfter, notBefore)
    }

    private var peek: Character? { position < characters.count ? characters[position] : nil }

    private mutating func skipSpaces() {
        while let character = peek, character == " " { position += 1 }
    }

    private mutating func parseAlternatives() -> PatternNode {
        var branches = [parseSequence()]
        while peek == "|" {
            position += 1
            branches.append(parseSequence())
        }
        return branches.count == 1 ? branches[0] : .alternatives(branches)
    }

    private mutating func parseSequence() -> PatternNode {
        var items: [PatternNode] = []
        while true {
            skipSpaces()
            guard let character = peek, character != ")", character != "|", character != "!" else { break }
            items.append(parseItem())
        }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    private mutating func parseItem() -> PatternNode {
        if peek == "(" {
            position += 1
            let inner = parseAlternatives()
            precondition(peek == ")", "MessageLint: unclosed group in pattern \(source)")
            position += 1
            return quantified(inner, allowStar: true)
        }
        var word = ""
        while let character = peek, character != " ", character != "(", character != ")", character != "|" {
            word.append(character)
            position += 1
        }
        precondition(!word.isEmpty, "MessageLint: empty word in pattern \(source)")
        return atomNode(word)
    }

    /// Applies a quantifier that directly follows a group or kind.
    private mutating func quantified(_ node: PatternNode, allowStar: Bool) -> PatternNode {
        switch peek {
        case "?": position += 1; return .optional(node)
        case "+": position += 1; return .oneOrMore(node)
        case "*" where allowStar: position += 1; return .zeroOrMore(node)
        default: return node
        }
    }

    private func atomNode(_ word: String) -> PatternNode {
        var text = word
        var quantifier: Character?
        if text.count > 1, let last = text.last, last == "?" || last == "+" || (last == "*" && text.hasSuffix(">*")) {
            quantifier = last
            text.removeLast()
        }
        let atom = Self.rawAtom(text, source: source)
        switch quantifier {
        case "?": return .optional(.atom(atom))
        case "+": return .oneOrMore(.atom(atom))
        case "*": return .zeroOrMore(.atom(atom))
        default: return .atom(atom)
        }
    }

    /// The atom a word of the pattern stands for: `<kind>`, `prefix*`, `*suffix`, `%lowercase` or a plain word.
    private static func rawAtom(_ text: String, source: String) -> RawAtom {
        if text.hasPrefix("<"), text.hasSuffix(">") {
            guard let kind = TokenClass(rawValue: String(text.dropFirst().dropLast())) else {
                preconditionFailure("MessageLint: unknown word kind \(text) in pattern \(source)")
            }
            return .kind(kind)
        }
        if text.count > 1, text.hasSuffix("*") { return .prefix(String(text.dropLast())) }
        if text.count > 1, text.hasPrefix("*") { return .suffix(String(text.dropFirst())) }
        if text.count > 1, text.hasPrefix("%") { return .lowercaseWord(String(text.dropFirst())) }
        return .word(text)
    }

    private mutating func parseGuard() -> [RawAtom] {
        if peek == "(" {
            position += 1
            var atoms: [RawAtom] = []
            var word = ""
            while let character = peek, character != ")" {
                position += 1
                if character == "|" {
                    atoms.append(Self.rawAtom(word, source: source))
                    word = ""
                } else if character != " " {
                    word.append(character)
                }
            }
            precondition(peek == ")", "MessageLint: unclosed guard in pattern \(source)")
            position += 1
            atoms.append(Self.rawAtom(word, source: source))
            return atoms
        }
        var word = ""
        while let character = peek, character != " " {
            word.append(character)
            position += 1
        }
        return [Self.rawAtom(word, source: source)]
    }
}

/// A parsed pattern element: an atom, a sequence, alternatives, or a quantified element.
indirect enum PatternNode {
    case atom(RawAtom)
    case sequence([PatternNode])
    case alternatives([PatternNode])
    case optional(PatternNode)
    case oneOrMore(PatternNode)
    case zeroOrMore(PatternNode)
}

/// An atom before its words get vocabulary ids.
enum RawAtom {
    case word(String), lowercaseWord(String), prefix(String), suffix(String), kind(TokenClass)
}
