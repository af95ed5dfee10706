import Foundation

/// The message prepared for matching: typographic quotes, apostrophes, hyphens and non-breaking spaces straightened
/// (each a one-for-one UTF-16 swap, so offsets still point into the original), split into tokens and sentences.
///
/// A sentence ends at a line break, or at `.`, `!` or `?` followed by white space, except after a single letter or a
/// common abbreviation ("Mr.", "Inc.", "a.m."), so "$1,234.56" and "www.example.com" stay whole.
final class MessageText {
    /// The message as given; excerpts are cut from it.
    let original: String
    /// The normalised UTF-16 code units.
    let units: [UInt16]
    /// The tokens, in order.
    let tokens: [Token]
    /// Each token's text, lower-cased (ASCII fast path), quotes straightened.
    let texts: [String]
    /// For each sentence, the range of its tokens.
    let sentences: [Range<Int>]
    /// How many ASCII digits the message holds.
    let digitCount: Int
    /// The language of the catalog it was prepared for; it decides the negation words.
    let language: MessageLanguage

    init(_ text: String, vocabulary: Vocabulary) {
        original = text
        var units = Array(text.utf16)
        var digits = 0
        for index in units.indices {
            switch units[index] {
            case 0x2018, 0x2019, 0x201B, 0x02BC, 0x0060, 0x00B4: units[index] = 0x27  // ‘ ’ ‛ ʼ ` ´ → '
            case 0x201C, 0x201D, 0x201F: units[index] = 0x22  // “ ” ‟ → "
            case 0x00A0, 0x2007, 0x202F: units[index] = 0x20  // non-breaking spaces → space
            case 0x2010, 0x2011: units[index] = 0x2D  // hyphens → -
            case 0x30...0x39: digits += 1
            default: break
            }
        }
        self.units = units
        digitCount = digits
        language = vocabulary.language
        (tokens, texts, sentences) = Tokenizer.tokenize(units, vocabulary: vocabulary)
    }

    /// The tokens of sentence `index`.
    func sentenceTokens(_ index: Int) -> Range<Int> { sentences[index] }

    /// The UTF-16 range covered by a match.
    func range(of match: TokenMatch) -> NSRange {
        NSRange(location: tokens[match.first].start, length: tokens[match.last].end - tokens[match.first].start)
    }

    /// The slice of the original message covered by `range`.
    func excerpt(_ range: NSRange) -> String {
        if let slice = Range(range, in: original) { return String(original[slice]) }
        return String(decoding: units[range.location..<(range.location + range.length)], as: UTF16.self)
    }

    /// The normalised text, for the few regular expressions.
    private lazy var normalized: String = String(decoding: units, as: UTF16.self)

    /// True when the words just before token `index`, in the same clause, negate what follows (see `MessageLint`).
    func isNegated(before index: Int) -> Bool {
        if language == .es { return isNegatedInSpanish(before: index) }
        let sentence = tokens[index].sentence
        var window: [String] = []
        var cursor = index - 1
        while cursor >= 0, tokens[cursor].sentence == sentence, window.count < 5 {
            let token = tokens[cursor], text = texts[cursor]
            cursor -= 1
            if !token.isWord {
                if Lexicon.clauseMarks.contains(text) { break }
                continue
            }
            if Lexicon.clauseBoundaries.contains(text) { break }
            window.append(text)
        }
        window.reverse()
        for (position, word) in window.enumerated() where Lexicon.isNegator(word) {
            if position + 1 < window.count, Lexicon.conditionVerbs.contains(window[position + 1]) { continue }
            return true
        }
        return false
    }

    /// `isNegated(before:)` for a Spanish message, with the same policy: a negator ("no", "nunca", "jamás", "tampoco",
    /// "ni"…) among the five words before, in the same clause, negates, unless it governs a condition: "si no paga, le
    /// demandaremos" ("si" just before it), "si no nos paga, …" (a verb such as "paga" after it, past "nos", "le"…).
    /// English negators count too, as the Spanish catalog also holds the English phrases.
    private func isNegatedInSpanish(before index: Int) -> Bool {
        let sentence = tokens[index].sentence
        var window: [Int] = []
        var cursor = index - 1
        while cursor >= 0, tokens[cursor].sentence == sentence, window.count < 5 {
            let token = tokens[cursor], text = texts[cursor]
            cursor -= 1
            if !token.isWord {
                if SpanishLexicon.clauseMarks.contains(text) { break }
                continue
            }
            if SpanishLexicon.clauseBoundaries.contains(text) { break }
            window.append(cursor + 1)
        }
        window.reverse()
        for (position, tokenIndex) in window.enumerated() where SpanishLexicon.isNegator(texts[tokenIndex]) {
            if followsConditional(tokenIndex) { continue }
            var next = position + 1
            while next < window.count, SpanishLexicon.clitics.contains(texts[window[next]]) { next += 1 }
            if next < window.count, SpanishLexicon.conditionVerbs.contains(texts[window[next]]) { continue }
            return true
        }
        return false
    }

    /// True when the words just before token `index`, with no punctuation between, are "si", "si usted" or "si
    /// ustedes" ("Sí, no…", yes with a comma, is not a condition).
    private func followsConditional(_ index: Int) -> Bool {
        var cursor = index - 1
        var skipped = 0
        while cursor >= 0, tokens[cursor].sentence == tokens[index].sentence, tokens[cursor].isWord {
            let text = texts[cursor]
            if SpanishLexicon.conditionals.contains(text) { return true }
            guard skipped == 0, SpanishLexicon.subjects.contains(text) else { return false }
            skipped += 1
            cursor -= 1
        }
        return false
    }

    /// The whitespace-delimited chunks of the message that satisfy `test`, as UTF-16 ranges.
    private func chunks(where test: (ArraySlice<UInt16>) -> Bool) -> [NSRange] {
        var result: [NSRange] = []
        var start: Int?
        for index in 0...units.count {
            let isSpace = index == units.count || Tokenizer.isSpace(units[index])
            if isSpace, let chunkStart = start {
                if test(units[chunkStart..<index]) {
                    result.append(NSRange(location: chunkStart, length: index - chunkStart))
                }
                start = nil
            } else if !isSpace, start == nil {
                start = index
            }
        }
        return result
    }

    /// Every match of `regex` inside `ranges` (or the whole text), left to right.
    private func matches(_ regex: NSRegularExpression, in ranges: [NSRange]? = nil) -> [NSRange] {
        let text = normalized
        let ranges = ranges ?? [NSRange(location: 0, length: units.count)]
        return ranges.flatMap { regex.matches(in: text, range: $0).map(\.range) }
    }

    // The character-level detections, each made at most once per message and only when asked for. The regular
    // expressions run only where a cheap test says they could match: on a text with enough digits, or on the
    // whitespace-delimited chunks holding an "@" or something link-like.

    /// Amounts of money (`Detectors.amounts`).
    private(set) lazy var amounts: [NSRange] = Detectors.amounts(in: self)
    /// Telephone numbers.
    private(set) lazy var telephones: [NSRange] = digitCount >= 3 ? matches(Detectors.telephone) : []
    /// Email addresses.
    private(set) lazy var emailAddresses: [NSRange] = matches(Detectors.emailAddress, in: chunks { $0.contains(0x40) })
    /// Web links.
    private(set) lazy var webLinks: [NSRange] = matches(Detectors.webLink, in: chunks(where: Detectors.mayHoldLink))
}
