/// Builds a Thompson automaton from parsed patterns.
struct AutomatonBuilder {
    /// An edge of the automaton under construction.
    struct Edge {
        var atom: Atom
        var target: Int
    }

    var edges: [[Edge]] = []
    var epsilons: [[Int]] = []
    var accepting: [Int] = []

    /// Adds a state and returns its index.
    mutating func newState() -> Int {
        edges.append([])
        epsilons.append([])
        accepting.append(-1)
        return edges.count - 1
    }

    /// Adds a move that consumes no token.
    mutating func epsilon(_ from: Int, _ to: Int) { epsilons[from].append(to) }

    /// Resolves a parsed atom against the vocabulary.
    mutating func atom(_ raw: RawAtom, vocabulary: inout Vocabulary) -> Atom {
        switch raw {
        case .word(let text): .word(vocabulary.id(text))
        case .lowercaseWord(let text): .lowercaseWord(vocabulary.id(text))
        case .prefix(let text): .affix(vocabulary.affixBit(text, isPrefix: true))
        case .suffix(let text): .affix(vocabulary.affixBit(text, isPrefix: false))
        case .kind(let kind): .kind(kind.bit)
        }
    }

    /// Builds the fragment for `node` (Thompson's construction) and returns its entry and exit states.
    mutating func build(_ node: PatternNode, vocabulary: inout Vocabulary) -> (entry: Int, exit: Int) {
        switch node {
        case .atom(let raw):
            let entry = newState(), exit = newState()
            edges[entry].append(Edge(atom: atom(raw, vocabulary: &vocabulary), target: exit))
            return (entry, exit)
        case .sequence(let items):
            let entry = newState()
            var exit = entry
            for item in items {
                let fragment = build(item, vocabulary: &vocabulary)
                epsilon(exit, fragment.entry)
                exit = fragment.exit
            }
            return (entry, exit)
        case .alternatives(let branches):
            let entry = newState(), exit = newState()
            for branch in branches {
                let fragment = build(branch, vocabulary: &vocabulary)
                epsilon(entry, fragment.entry)
                epsilon(fragment.exit, exit)
            }
            return (entry, exit)
        case .optional(let inner):
            let fragment = build(inner, vocabulary: &vocabulary)
            let entry = newState(), exit = newState()
            epsilon(entry, fragment.entry)
            epsilon(fragment.exit, exit)
            epsilon(entry, exit)
            return (entry, exit)
        case .oneOrMore(let inner):
            let fragment = build(inner, vocabulary: &vocabulary)
            let exit = newState()
            epsilon(fragment.exit, fragment.entry)
            epsilon(fragment.exit, exit)
            return (fragment.entry, exit)
        case .zeroOrMore(let inner):
            let fragment = build(inner, vocabulary: &vocabulary)
            let entry = newState(), exit = newState()
            epsilon(entry, fragment.entry)
            epsilon(entry, exit)
            epsilon(fragment.exit, fragment.entry)
            epsilon(fragment.exit, exit)
            return (entry, exit)
        }
    }
}
