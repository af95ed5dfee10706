/// A set of word patterns compiled into one automaton, matched leftmost-longest over a message's tokens.
///
/// The pattern language, one pattern per string:
/// - `word` matches that word in any case; punctuation marks are words of their own (`:`, `,`, `.`, `$`, `"`, `#`).
///   Words keep inner apostrophes and hyphens: `don't`, `co-workers`.
/// - `word*` matches any word that starts with `word`; `*word` any that ends with it; `%word` the word only when it is
///   not capitalised.
/// - `<kind>` matches a kind of word (`TokenClass`).
/// - `( a | b c )` groups alternatives; `x?` makes an item optional, `x+` repeats it; after `)` or `>`, `*` means
///   zero or more.
/// - A leading `!x` requires that the word before the match is not `x`; a trailing `!x` that the word after it is not
///   `x`; `x` is a word, a `<kind>` or a parenthesised list of single words.
///
/// A match never crosses a sentence boundary unless the set is compiled with `crossesSentences`, and is at most
/// `maximumLength` tokens long.
struct PhraseSet: Sendable {
    /// Per-pattern conditions on the neighbouring words.
    struct Guard: Sendable {
        var notAfter: [Atom] = []
        var notBefore: [Atom] = []
    }

    // The automaton, flattened so the matcher touches only plain arrays: state `s` has the edges
    // `edgeAtoms[edgeOffsets[s]..<edgeOffsets[s + 1]]` (to `edgeTargets`), and its closure — the states reachable
    // without consuming a token, itself included — is `closureStates[closureOffsets[s]..<closureOffsets[s + 1]]`.
    let edgeOffsets: [Int]
    let edgeAtoms: [Atom]
    let edgeTargets: [Int]
    let closureOffsets: [Int]
    let closureStates: [Int]
    /// For each state, the pattern it completes, or -1.
    let accepting: [Int]
    let start: Int
    /// Indexed by word id: whether the word can begin a match, for a quick test.
    let startWords: [Bool]
    /// Other atoms that can begin a match.
    let startOthers: [Atom]
    let guards: [Guard]
    let crossesSentences: Bool

    /// The longest match, in tokens. Phrases are short; the cap keeps matching linear in the length of the message
    /// even when a pattern repeats (`<name>*`) over a long run of capitalised words.
    static let maximumLength = 16

    /// Compiles `patterns`, adding their words to `vocabulary`.
    init(_ patterns: [String], vocabulary: inout Vocabulary, crossesSentences: Bool = false) {
        var builder = AutomatonBuilder()
        let start = builder.newState()
        var guards: [Guard] = []
        for (index, pattern) in patterns.enumerated() {
            var parser = PatternParser(pattern)
            let parsed = parser.parsePattern()
            let fragment = builder.build(parsed.node, vocabulary: &vocabulary)
            builder.epsilon(start, fragment.entry)
            builder.accepting[fragment.exit] = index
            guards.append(
                Guard(
                    notAfter: parsed.notAfter.map { builder.atom($0, vocabulary: &vocabulary) },
                    notBefore: parsed.notBefore.map { builder.atom($0, vocabulary: &vocabulary) }))
        }
        self.accepting = builder.accepting
        self.start = start
        self.guards = guards
        self.crossesSentences = crossesSentences

        var edgeOffsets = [0], edgeAtoms: [Atom] = [], edgeTargets: [Int] = []
        var closureOffsets = [0], closureStates: [Int] = []
        for state in builder.edges.indices {
            for edge in builder.edges[state] {
                edgeAtoms.append(edge.atom)
                edgeTargets.append(edge.target)
            }
            edgeOffsets.append(edgeAtoms.count)

            var seen: Set<Int> = [state]
            var stack = [state]
            while let next = stack.popLast() {
                for target in builder.epsilons[next] where seen.insert(target).inserted { stack.append(target) }
            }
            closureStates += seen.sorted()
            closureOffsets.append(closureStates.count)
        }
        (self.edgeOffsets, self.edgeAtoms, self.edgeTargets) = (edgeOffsets, edgeAtoms, edgeTargets)
        (self.closureOffsets, self.closureStates) = (closureOffsets, closureStates)

        var startWords = [Bool](repeating: false, count: vocabulary.flags.count)
        var startOthers: [Atom] = []
        for state in closureStates[closureOffsets[start]..<closureOffsets[start + 1]] {
            for atom in edgeAtoms[edgeOffsets[state]..<edgeOffsets[state + 1]] {
                if case .word(let id) = atom { startWords[Int(id)] = true } else { startOthers.append(atom) }
            }
        }
        self.startWords = startWords
        self.startOthers = startOthers
    }

    /// The leftmost-longest, non-overlapping matches within `range` (all tokens when nil).
    func matches(in message: MessageText, tokens range: Range<Int>? = nil, firstOnly: Bool = false) -> [TokenMatch] {
        let tokens = message.tokens
        let range = range ?? 0..<tokens.count
        var result: [TokenMatch] = []
        var stamp = [Int](repeating: -1, count: accepting.count)
        var generation = 0
        var current: [Int] = [], next: [Int] = []
        var completions: [(last: Int, pattern: Int)] = []
        var index = range.lowerBound
        while index < range.upperBound {
            let token = tokens[index]
            let startsWord = token.id >= 0 && Int(token.id) < startWords.count && startWords[Int(token.id)]
            guard startsWord || startOthers.contains(where: { $0.matches(token) }) else {
                index += 1
                continue
            }
            // Simulate the automaton from `index`, remembering every place a pattern completes.
            completions.removeAll(keepingCapacity: true)
            current.removeAll(keepingCapacity: true)
            current.append(contentsOf: closureStates[closureOffsets[start]..<closureOffsets[start + 1]])
            var cursor = index
            let limit = min(range.upperBound, index + Self.maximumLength)
            while cursor < limit, !current.isEmpty {
                let here = tokens[cursor]
                if !crossesSentences, here.sentence != token.sentence { break }
                generation += 1
                next.removeAll(keepingCapacity: true)
                for state in current {
                    for edge in edgeOffsets[state]..<edgeOffsets[state + 1] where edgeAtoms[edge].matches(here) {
                        let target = edgeTargets[edge]
                        for reached in closureStates[closureOffsets[target]..<closureOffsets[target + 1]]
                        where stamp[reached] != generation {
                            stamp[reached] = generation
                            next.append(reached)
                            if accepting[reached] >= 0 { completions.append((cursor, accepting[reached])) }
                        }
                    }
                }
                swap(&current, &next)
                cursor += 1
            }
            let chosen =
                completions
                .sorted { ($0.last, -$0.pattern) > ($1.last, -$1.pattern) }
                .first { guardAllows($0.pattern, first: index, last: $0.last, tokens: tokens) }
            if let chosen {
                result.append(TokenMatch(first: index, last: chosen.last, pattern: chosen.pattern))
                if firstOnly { return result }
                index = chosen.last + 1
            } else {
                index += 1
            }
        }
        return result
    }

    /// True when some pattern matches within `range`.
    func containsMatch(in message: MessageText, tokens range: Range<Int>? = nil) -> Bool {
        !matches(in: message, tokens: range, firstOnly: true).isEmpty
    }

    private func guardAllows(_ pattern: Int, first: Int, last: Int, tokens: [Token]) -> Bool {
        let rule = guards[pattern]
        if first > 0, rule.notAfter.contains(where: { $0.matches(tokens[first - 1]) }) { return false }
        if last + 1 < tokens.count, rule.notBefore.contains(where: { $0.matches(tokens[last + 1]) }) { return false }
        return true
    }
}

/// A run of tokens matched by a pattern, `first` through `last` inclusive.
struct TokenMatch: Equatable {
    var first: Int
    var last: Int
    /// The index of the pattern in its set.
    var pattern: Int
}

/// What one step of a pattern accepts.
enum Atom: Sendable {
    /// This word, in any case.
    case word(Int32)
    /// This word, only when not capitalised ("bill", not the name "Bill").
    case lowercaseWord(Int32)
    /// A word starting with some text ("garnish*"), or a longer word ending with it ("*'ll"): its bit in
    /// `Token.affixes`.
    case affix(UInt64)
    /// A kind of word (its `TokenClass.bit`).
    case kind(UInt16)

    /// True when `token` is accepted.
    func matches(_ token: Token) -> Bool {
        switch self {
        case .word(let id): token.id == id
        case .lowercaseWord(let id): token.id == id && !token.isCapitalized
        case .affix(let bit): token.affixes & bit != 0
        case .kind(let bit): token.kinds & bit != 0
        }
    }
}
