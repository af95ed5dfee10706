/// Every word any pattern mentions, with an id and lexicon flags.
struct Vocabulary: Sendable {
    /// Each known word's id.
    var ids: [String: Int32] = [:]
    /// Each id's `WordFlags`.
    var flags: [UInt8] = []
    /// Prefix and suffix patterns; a token records which it matches in `Token.affixes` (at most 64).
    var affixes: [(bytes: [UInt8], isPrefix: Bool)] = []

    /// The bit for an affix pattern, adding it if new.
    mutating func affixBit(_ text: String, isPrefix: Bool) -> UInt64 {
        let bytes = Array(text.utf8)
        let index =
            affixes.firstIndex { $0.bytes == bytes && $0.isPrefix == isPrefix }
            ?? {
                affixes.append((bytes, isPrefix))
                return affixes.count - 1
            }()
        precondition(index < 64, "MessageLint: more than 64 prefix and suffix patterns")
        return 1 << UInt64(index)
    }

    /// The id of `word`, adding it if new.
    mutating func id(_ word: String) -> Int32 {
        if let id = ids[word] { return id }
        let id = Int32(flags.count)
        ids[word] = id
        flags.append(0)
        return id
    }

    /// Marks each of `words` (case-insensitive) with `flag`.
    mutating func mark(_ words: [String], _ flag: UInt8) {
        for word in words {
            let id = id(word.lowercased())
            flags[Int(id)] |= flag
        }
    }
}
