import Foundation

/// Every word any pattern mentions, with an id and lexicon flags.
struct Vocabulary: Sendable {
    /// The language of the patterns. In Spanish, words are keyed without accents, tildes and diaereses ("prisión" and
    /// "prision" are one word), both in the patterns and in the messages' tokens, so a writer who leaves accents out
    /// is still matched; English words are keyed as they are.
    var language: MessageLanguage = .en
    /// Each known word's id.
    var ids: [String: Int32] = [:]
    /// Each id's `WordFlags`.
    var flags: [UInt8] = []
    /// Prefix and suffix patterns; a token records which it matches in `Token.affixes` (at most 64).
    var affixes: [(bytes: [UInt8], isPrefix: Bool)] = []

    /// True when words are keyed without diacritics (Spanish).
    var foldsDiacritics: Bool { language == .es }

    /// `word` as this vocabulary keys it.
    func key(_ word: String) -> String { foldsDiacritics ? Self.folded(word) : word }

    /// The bit for an affix pattern, adding it if new.
    mutating func affixBit(_ text: String, isPrefix: Bool) -> UInt64 {
        let bytes = Array(key(text).utf8)
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
        let word = key(word)
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

    /// `word` lower-cased, without combining marks once decomposed: "Prisión" → "prision", "año" → "ano",
    /// "vergüenza" → "verguenza". ASCII words come back lower-cased and otherwise unchanged.
    static func folded(_ word: String) -> String {
        let lower = word.lowercased()
        guard !lower.utf8.allSatisfy({ $0 < 0x80 }) else { return lower }
        var scalars = String.UnicodeScalarView()
        for scalar in lower.decomposedStringWithCanonicalMapping.unicodeScalars
        where !isCombiningMark(scalar.value) {
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// True for a combining diacritical mark (U+0300–U+036F), the accents of a decomposed letter.
    static func isCombiningMark(_ value: UInt32) -> Bool { (0x300...0x36F).contains(value) }
}
