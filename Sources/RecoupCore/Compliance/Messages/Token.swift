/// One word or punctuation mark of a message. Plain data (its text is in `MessageText.texts`), so the matcher's
/// inner loop copies it without reference counting.
struct Token {
    /// The word's id in the catalog's vocabulary, or -1 when no pattern mentions it.
    var id: Int32
    /// Lexicon flags of the word (`WordFlags`), 0 when unknown.
    var flags: UInt8
    /// UTF-16 offsets of the token in the message.
    var start: Int, end: Int
    /// The index of the sentence it belongs to.
    var sentence: Int
    /// True for letters and digits, false for a punctuation mark or symbol.
    var isWord: Bool
    /// The first character is an upper-case letter.
    var isCapitalized: Bool
    /// Only ASCII digits.
    var isNumber: Bool
    /// The `TokenClass` kinds the token belongs to, one bit each (`TokenClass.bit`).
    var kinds: UInt16
    /// The vocabulary's prefix and suffix patterns ("garnish*", "*'ll") the word matches, one bit each.
    var affixes: UInt64
}

/// A kind of word that a pattern can ask for with `<kind>`.
enum TokenClass: String, Sendable {
    /// Any word (not punctuation).
    case any
    /// A capitalised word that is not a common word: "Acme", "ABC", "Jane".
    case name
    /// A name that is not a day, month or time.
    case business
    /// A title-case name that is not a business suffix: "Jane", "Smith".
    case person
    /// A single capital letter: the "A" of "Jane A. Smith".
    case initial
    /// A whole number: "2026".
    case number
    /// A capitalised business suffix: "Services", "LLC".
    case suffix
    /// A name that starts a line.
    case linename
    /// A dash or tilde that starts a line (a signature "- Jane").
    case linedash
    /// A name that is the very first word of the message and not a header word.
    case opener

    /// The kind's bit in `Token.kinds`, which the tokenizer sets.
    var bit: UInt16 {
        switch self {
        case .any: 1 << 0
        case .name: 1 << 1
        case .business: 1 << 2
        case .person: 1 << 3
        case .initial: 1 << 4
        case .number: 1 << 5
        case .suffix: 1 << 6
        case .linename: 1 << 7
        case .linedash: 1 << 8
        case .opener: 1 << 9
        }
    }
}
