import Foundation

// MARK: - Public API

/// The way a collection message travels; it decides which content checks apply.
public enum MessageChannel: String, CaseIterable, Codable, Sendable {
    /// A message left on an answering machine or in a voicemail box.
    case voicemail
    /// A text message.
    case sms
    /// An email.
    case email
    /// A letter sent by post.
    case letter
}

/// How serious a finding is. Any `error` makes the message unfit to send (`LintResult.ok == false`); a `warning`
/// asks the collector to look again but does not block.
public enum LintSeverity: String, Codable, Sendable {
    case error, warning
}

/// One problem found in a message.
public struct LintFinding: Hashable, Sendable {
    /// The stable rule id, e.g. `threat-arrest` (see `MessageLint` for the table).
    public var rule: String
    /// Whether the finding blocks the message.
    public var severity: LintSeverity
    /// The offending words exactly as they appear in the message; nil for a missing element.
    public var excerpt: String?
    /// One plain sentence a collector understands, citing the rule's source.
    public var message: String

    /// Makes a finding.
    public init(rule: String, severity: LintSeverity, excerpt: String?, message: String) {
        self.rule = rule
        self.severity = severity
        self.excerpt = excerpt
        self.message = message
    }
}

/// The outcome of checking one message.
public struct LintResult: Hashable, Sendable {
    /// True when no finding is an `error`.
    public var ok: Bool
    /// For voicemail, whether the message is a limited-content message (12 CFR 1006.2(j)); nil for other channels.
    public var limitedContent: Bool?
    /// The findings, ordered by where they occur in the text (missing elements, which have no place, last), then by
    /// rule id.
    public var findings: [LintFinding]

    /// Makes a result; `ok` follows from the findings.
    public init(limitedContent: Bool?, findings: [LintFinding]) {
        self.ok = !findings.contains { $0.severity == .error }
        self.limitedContent = limitedContent
        self.findings = findings
    }
}

/// Message checks ("lint") for collection messages: forbidden content (FDCPA 806–808, 15 U.S.C. 1692d–f), required
/// content, and, for voicemail, whether the message is a limited-content message (12 CFR 1006.2(j)).
///
/// The checks are heuristics over plain text. The message is split into words once; each rule is a set of word
/// patterns (see `PhraseSet`) compiled once, so matching is case-insensitive, whole-word ("court" never matches
/// "courtesy") and fast. They catch the common phrasings of each problem and stay quiet on ordinary compliant text,
/// but they do not understand language; a clean result is not legal advice.
///
/// Rule ids and severities:
///
/// | Rule id                | Severity        | Fires when the message…                                                        |
/// |------------------------|-----------------|--------------------------------------------------------------------------------|
/// | `threat-violence`      | error           | threatens violence or harm, or to turn up at the consumer's home (1692d(1))     |
/// | `threat-arrest`        | error           | threatens arrest, jail, police, a warrant, criminal charges (1692e(4), (7))     |
/// | `threat-seizure`       | error / warning | threatens garnishment, seizure, repossession, a levy or a lien (1692e(4))       |
/// | `threat-lawsuit`       | error / warning | speaks of suing, a lawsuit, legal action or court (1692e(5))                   |
/// | `threat-implied`       | error           | makes a veiled threat: "or else", "you'll regret it", "get you fired" (1692d, 1692e(5)) |
/// | `profanity`            | error           | uses profane or abusive words: "deadbeat", "liar", "scum" (1692d(2))           |
/// | `false-government`     | error           | implies government or law-enforcement involvement (1692e(1), (9))              |
/// | `false-attorney`       | error           | implies a lawyer or legal department is involved (1692e(3))                    |
/// | `shaming`              | error           | threatens to tell the employer, family or neighbours, or to publish the debt (1692c(b), 1692d(3)) |
/// | `postcard`             | error           | is a letter that speaks of a postcard (1692f(7)); letters only                 |
/// | `missing-identity`     | error¹          | does not say who is writing                                                    |
/// | `missing-mini-miranda` | error¹          | does not say it is from a debt collector (1692e(11), 12 CFR 1006.18(e))         |
/// | `missing-creditor`     | error²          | does not name the creditor (1692g(a)(2))                                       |
/// | `missing-amount`       | error²          | does not state an amount of money (1692g(a)(1))                                |
/// | `missing-reply`        | error¹          | does not say how to reply: phone, address, email or web link                   |
/// | `missing-opt-out`      | error           | is an email or text that does not say how to opt out (12 CFR 1006.6(e))         |
/// | `not-limited-content`  | warning         | is a voicemail that is not a limited-content message (12 CFR 1006.2(j), 1006.6(d)) |
///
/// ¹ Required on every channel; in a voicemail only when it is not a limited-content message.
/// ² Required in letters, emails and texts; a warning in a voicemail that is not a limited-content message.
///
/// Certainty policy for `threat-lawsuit` and `threat-seizure`: such an action may be mentioned only if it is lawful and
/// actually intended (and never a suit on a time-barred debt, 12 CFR 1006.26(b)), which text alone cannot show, so a
/// hedged mention ("we may take legal action") is a warning. The same words in a sentence that presents the action as
/// certain or imminent ("will", "'ll", "shall", "going to", "today", "immediately", "now", "within 48 hours", "has been
/// filed", "final notice", "last chance") are an error.
///
/// Negation: a forbidden phrase preceded, in the same clause and within five words, by a negator ("not", "never", "no",
/// "cannot", any "n't" contraction…) does not fire: "we will not sue you", "you cannot be arrested", "we are not
/// attorneys". A negator that governs a condition ("if you do not pay, we will sue", "don't make us sue you") does not
/// count. Profanity is never excused by negation. At most one finding is made per rule and sentence.
///
/// Channels: letters, emails and texts need identity, the mini-Miranda, the creditor, an amount and a way to reply;
/// emails and texts also an opt-out. A voicemail is first tested as a limited-content message (a business name that
/// does not reveal debt collection, a natural person's name, a request to reply and a telephone number, with nothing
/// else of substance); if it is one, only forbidden content is checked. Otherwise it is a communication: the
/// `not-limited-content` warning names what broke it, and identity, the mini-Miranda and a way to reply are required
/// (creditor and amount are warnings).
public enum MessageLint {
    /// Checks `text` as a message sent by `channel`.
    public static func check(_ text: String, channel: MessageChannel) -> LintResult {
        let catalog = Catalog.shared
        let message = MessageText(text, vocabulary: catalog.vocabulary)
        var findings = forbiddenFindings(in: message, channel: channel, catalog: catalog)
        var limitedContent: Bool?

        switch channel {
        case .voicemail:
            let assessment = LimitedContent.assess(message, forbidden: findings, catalog: catalog)
            limitedContent = assessment.isLimited
            if !assessment.isLimited {
                findings.append(assessment.finding(in: message))
                findings += missingFindings(
                    in: message, catalog: catalog,
                    required: [
                        (.identity, .error), (.miniMiranda, .error), (.reply, .error), (.creditor, .warning),
                        (.amount, .warning),
                    ])
            }
        case .sms, .email:
            findings += missingFindings(
                in: message, catalog: catalog, required: RequiredElement.allCases.map { ($0, .error) })
        case .letter:
            let required = RequiredElement.allCases.filter { $0 != .optOut }.map { ($0, LintSeverity.error) }
            findings += missingFindings(in: message, catalog: catalog, required: required)
        }

        findings.sort { ($0.location, $0.finding.rule) < ($1.location, $1.finding.rule) }
        return LintResult(limitedContent: limitedContent, findings: findings.map(\.finding))
    }

    /// Every rule id this checker can report.
    static var ruleIDs: [String] {
        Catalog.shared.forbidden.map(\.id) + RequiredElement.allCases.map(\.rule) + [LimitedContent.rule]
    }

    /// Runs every forbidden-content rule that applies to `channel`.
    static func forbiddenFindings(in message: MessageText, channel: MessageChannel, catalog: Catalog) -> [PlacedFinding]
    {
        let safe = catalog.safePhrases.matches(in: message)
        var findings: [PlacedFinding] = []
        for rule in catalog.forbidden where rule.channels.contains(channel) {
            var sentencesSeen = Set<Int>()
            for match in rule.phrases.matches(in: message) {
                if safe.contains(where: { $0.first <= match.first && match.last <= $0.last }) { continue }
                if rule.negatable && message.isNegated(before: match.first) { continue }
                let sentence = message.tokens[match.first].sentence
                guard sentencesSeen.insert(sentence).inserted else { continue }
                let certain = catalog.certainty.containsMatch(in: message, tokens: message.sentenceTokens(sentence))
                let (severity, text) = rule.verdict(certain: certain)
                let range = message.range(of: match)
                findings.append(
                    PlacedFinding(
                        location: range.location,
                        finding: LintFinding(
                            rule: rule.id, severity: severity, excerpt: message.excerpt(range), message: text)))
            }
        }
        return findings
    }

    /// A finding for each required element that the message lacks.
    static func missingFindings(
        in message: MessageText, catalog: Catalog, required: [(RequiredElement, LintSeverity)]
    ) -> [PlacedFinding] {
        required.compactMap { element, severity in
            element.isPresent(in: message, catalog: catalog)
                ? nil
                : PlacedFinding(
                    location: .max,
                    finding: LintFinding(rule: element.rule, severity: severity, excerpt: nil, message: element.message)
                )
        }
    }
}

/// A finding with the UTF-16 offset it sorts by (`Int.max` when it has no place in the text).
struct PlacedFinding {
    var location: Int
    var finding: LintFinding
}

// MARK: - Message text

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
    private(set) lazy var normalized: String = String(decoding: units, as: UTF16.self)

    /// True when the words just before token `index`, in the same clause, negate what follows (see `MessageLint`).
    func isNegated(before index: Int) -> Bool {
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

    /// The whitespace-delimited chunks of the message that satisfy `test`, as UTF-16 ranges.
    func chunks(where test: (ArraySlice<UInt16>) -> Bool) -> [NSRange] {
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
    func matches(_ regex: NSRegularExpression, in ranges: [NSRange]? = nil) -> [NSRange] {
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

/// Splits normalised UTF-16 text into tokens and sentences.
enum Tokenizer {
    /// True for white space, line breaks included.
    static func isSpace(_ unit: UInt16) -> Bool {
        unit == 0x20 || unit == 0x09 || unit == 0x0A || unit == 0x0D || unit == 0x0B || unit == 0x0C || unit == 0x2028
            || unit == 0x2029
    }

    /// True for a line break.
    static func isLineBreak(_ unit: UInt16) -> Bool { unit == 0x0A || unit == 0x0D || unit == 0x2028 || unit == 0x2029 }

    /// The scalar at `index` and how many code units it takes.
    static func scalar(_ units: [UInt16], _ index: Int) -> (Unicode.Scalar?, Int) {
        let unit = units[index]
        if UTF16.isLeadSurrogate(unit), index + 1 < units.count, UTF16.isTrailSurrogate(units[index + 1]) {
            let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(units[index + 1]) - 0xDC00)
            return (Unicode.Scalar(value), 2)
        }
        return (Unicode.Scalar(unit), 1)
    }

    /// True for a letter or digit.
    static func isWordScalar(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        if scalar.isASCII {
            let value = scalar.value
            return (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// True when the scalar at `index` (if any) is a letter or digit.
    static func isWordUnit(_ units: [UInt16], _ index: Int) -> Bool {
        index < units.count && isWordScalar(scalar(units, index).0)
    }

    /// Splits `units` into tokens (words keep inner apostrophes and hyphens; every other non-space character is a
    /// token of its own), their texts, and the token ranges of the sentences.
    static func tokenize(_ units: [UInt16], vocabulary: Vocabulary) -> ([Token], [String], [Range<Int>]) {
        var tokens: [Token] = []
        var texts: [String] = []
        tokens.reserveCapacity(units.count / 4)
        texts.reserveCapacity(units.count / 4)
        var sentences: [Range<Int>] = []
        var sentenceStart = 0
        var breakPending = false
        var lineStart = true
        var index = 0

        func closeSentence() {
            if tokens.count > sentenceStart { sentences.append(sentenceStart..<tokens.count) }
            sentenceStart = tokens.count
        }

        while index < units.count {
            let unit = units[index]
            if isSpace(unit) {
                if isLineBreak(unit) { breakPending = true; lineStart = true }
                index += 1
                continue
            }
            if breakPending { closeSentence(); breakPending = false }
            let start = index
            let (firstScalar, width) = scalar(units, index)
            let isWord = isWordScalar(firstScalar)
            if isWord {
                index += width
                while index < units.count {
                    if isWordUnit(units, index) {
                        index += scalar(units, index).1
                    } else if (units[index] == 0x27 || units[index] == 0x2D), isWordUnit(units, index + 1) {
                        index += 1  // an apostrophe or hyphen inside a word: don't, co-workers
                    } else {
                        break
                    }
                }
            } else {
                index += width
            }
            let (token, text) = makeToken(
                units, start, index, isWord: isWord, sentence: sentences.count, isFirst: tokens.isEmpty,
                startsLine: lineStart, vocabulary: vocabulary)
            tokens.append(token)
            texts.append(text)
            lineStart = false

            // . ! ? followed by white space ends the sentence, unless it closes an abbreviation or an initial.
            if !isWord, unit == 0x2E || unit == 0x21 || unit == 0x3F, index == units.count || isSpace(units[index]) {
                let previous = tokens.count >= 2 ? tokens[tokens.count - 2] : nil
                let abbreviation =
                    unit == 0x2E
                    && previous.map {
                        $0.isWord && $0.end == start
                            && ($0.end - $0.start == 1 || $0.flags & WordFlags.abbreviation != 0)
                    } == true
                if !abbreviation { breakPending = true }
            }
        }
        closeSentence()
        return (tokens, texts, sentences)
    }

    /// Makes the token for `units[start..<end]`, working out everything the matcher asks of it once: vocabulary id,
    /// lexicon flags, kinds and affixes.
    static func makeToken(
        _ units: [UInt16], _ start: Int, _ end: Int, isWord: Bool, sentence: Int, isFirst: Bool,
        startsLine: Bool, vocabulary: Vocabulary
    ) -> (Token, String) {
        let slice = units[start..<end]
        let ascii = slice.allSatisfy { $0 < 0x80 }
        let text: String
        if ascii {
            text = String(unsafeUninitializedCapacity: slice.count) { buffer in
                for (offset, unit) in slice.enumerated() {
                    buffer[offset] = UInt8(unit >= 0x41 && unit <= 0x5A ? unit + 0x20 : unit)
                }
                return slice.count
            }
        } else if !isWord {
            text = String(decoding: slice, as: UTF16.self)
        } else {
            text = String(decoding: slice, as: UTF16.self).lowercased()
        }
        let capitalized = isWord && isUppercase(units, start)
        let titleCase = capitalized && end - start > 1 && isLowercase(units, start + scalar(units, start).1)
        let isNumber = isWord && slice.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        let id = vocabulary.ids[text] ?? -1
        let flags = id >= 0 ? vocabulary.flags[Int(id)] : 0

        var kinds: UInt16 = 0
        func add(_ kind: TokenClass, _ condition: Bool) { if condition { kinds |= kind.bit } }
        let name = isWord && capitalized && flags & WordFlags.common == 0
        add(.any, isWord)
        add(.name, name)
        add(.business, name && flags & WordFlags.calendar == 0)
        add(.person, titleCase && flags & (WordFlags.common | WordFlags.businessSuffix) == 0)
        add(.initial, capitalized && end - start == 1)
        add(.number, isNumber)
        add(.suffix, capitalized && flags & WordFlags.businessSuffix != 0)
        add(.linename, startsLine && name)
        add(.linedash, startsLine && end - start == 1 && [0x2D, 0x2013, 0x2014, 0x7E].contains(units[start]))
        add(.opener, isFirst && name && flags & WordFlags.header == 0)

        var affixes: UInt64 = 0
        if isWord {
            let bytes = text.utf8
            for (bit, affix) in vocabulary.affixes.enumerated() where bytes.count >= affix.bytes.count {
                // A prefix may be the whole word ("garnish"); a suffix needs something before it ("we'll", not "'ll").
                let matches =
                    affix.isPrefix
                    ? bytes.starts(with: affix.bytes)
                    : bytes.count > affix.bytes.count && bytes.suffix(affix.bytes.count).elementsEqual(affix.bytes)
                if matches { affixes |= 1 << UInt64(bit) }
            }
        }
        let token = Token(
            id: id, flags: flags, start: start, end: end, sentence: sentence, isWord: isWord,
            isCapitalized: capitalized,
            isNumber: isNumber, kinds: kinds, affixes: affixes)
        return (token, text)
    }

    /// True when the scalar at `index` is an upper-case letter.
    static func isUppercase(_ units: [UInt16], _ index: Int) -> Bool {
        let unit = units[index]
        if unit < 0x80 { return unit >= 0x41 && unit <= 0x5A }
        return scalar(units, index).0?.properties.isUppercase ?? false
    }

    /// True when the scalar at `index` is a lower-case letter.
    static func isLowercase(_ units: [UInt16], _ index: Int) -> Bool {
        guard index < units.count else { return false }
        let unit = units[index]
        if unit < 0x80 { return unit >= 0x61 && unit <= 0x7A }
        return scalar(units, index).0?.properties.isLowercase ?? false
    }
}

// MARK: - Word patterns

/// Lexicon flags attached to vocabulary words.
enum WordFlags {
    /// A capitalised word that is not a name: "The", "Please", "Your".
    static let common: UInt8 = 1
    /// A day, month or time of day: "Monday", "May", "PM".
    static let calendar: UInt8 = 2
    /// A word that ends a business name: "Services", "LLC".
    static let businessSuffix: UInt8 = 4
    /// A word that heads a line without naming the sender: "Subject", "Balance".
    static let header: UInt8 = 8
    /// An abbreviation whose full stop does not end the sentence: "Mr", "Inc".
    static let abbreviation: UInt8 = 16
    /// A currency sign or code written before or after an amount: "$", "USD".
    static let currency: UInt8 = 32
    /// A currency word written after an amount: "dollars".
    static let currencyWord: UInt8 = 64
}

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

/// A run of tokens matched by a pattern, `first` through `last` inclusive.
struct TokenMatch: Equatable {
    var first: Int
    var last: Int
    /// The index of the pattern in its set.
    var pattern: Int
}

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

/// Parses the pattern language described on `PhraseSet`. Patterns are literals in this file; a malformed one is a
/// programming error and stops the process the first time the catalog is built (which every test does).
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
    static func rawAtom(_ text: String, source: String) -> RawAtom {
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

// MARK: - Lexicon

/// Word lists shared by the rules.
enum Lexicon {
    /// Capitalised words that are not names of people or businesses.
    static let commonCapitals = [
        "The", "This", "That", "These", "Those", "It", "Its", "It's", "We", "We're", "You", "Your", "You're", "Our",
        "They",
        "He", "She", "His", "Her", "Their", "A", "An", "I", "I'm", "My", "Me", "Us", "Please", "Thank", "Thanks", "Hi",
        "Hello", "Hey", "Dear", "Good", "Important", "Urgent", "Final", "Not", "Re", "Regarding", "About", "STOP",
        "Reply",
        "Call", "Text", "Email", "If", "To", "For", "And", "Or", "But", "As", "At", "In", "On", "Of", "From", "With",
        "By",
        "Any", "All", "No", "Yes", "So", "Now", "Today", "Tomorrow", "Tonight", "Here", "There", "What", "When",
        "Where",
        "Who", "Why", "How", "Again", "Just", "Also", "Only", "Very", "Calling", "Writing", "Sincerely", "Regards",
        "Notice", "Note", "Balance", "Amount", "Account", "Payment", "Pay", "Total", "Due", "Sir", "Madam", "Mr", "Mrs",
        "Ms",
        "Dr", "Customer", "Consumer", "Valued",
    ]
    /// Days, months and times of day, which follow "from" and "at" without being businesses.
    static let calendarWords = [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Mon", "Tue", "Tues", "Wed",
        "Thu",
        "Thur", "Thurs", "Fri", "Sat", "Sun", "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept",
        "Oct", "Nov", "Dec", "AM", "PM", "Noon", "Midnight", "Weekend", "Weekday", "Weekdays",
    ]
    /// Words that end a business name.
    static let businessSuffixes = [
        "Services", "Service", "Group", "Associates", "Company", "Co", "Inc", "Incorporated", "LLC", "LLP", "Ltd",
        "Corp",
        "Corporation", "Recovery", "Financial", "Solutions", "Partners", "Management", "Agency", "Collections", "Bank",
        "Enterprises", "Holdings", "Resources", "Systems", "Credit", "Capital", "Funding", "Receivables", "Consulting",
        "International",
    ]
    /// Words that head the first line of a message without naming the sender.
    static let headerWords = [
        "Subject", "Date", "Fwd", "Fw", "Note", "Notice", "Reminder", "Balance", "Amount", "Account", "Creditor",
        "Original",
        "Current", "Total", "Due", "Ref", "Reference", "Alert", "Warning", "Attention", "Attn", "Message", "Payment",
        "Pay",
        "Important", "Urgent", "Final", "Re", "Dear", "Hi", "Hello",
    ]
    /// Abbreviations whose full stop does not end a sentence.
    static let abbreviations = [
        "mr", "mrs", "ms", "dr", "jr", "sr", "st", "inc", "co", "corp", "ltd", "no", "vs", "etc", "dept", "ave", "blvd",
        "approx", "acct", "ref",
    ]

    /// Punctuation that ends a clause for negation.
    static let clauseMarks: Set<String> = [";", ":", "(", ")"]

    /// Words that negate, besides any contraction ending in n't.
    static let negators: Set<String> = [
        "not", "never", "no", "cannot", "cant", "wont", "dont", "nor", "neither", "without", "nobody", "none",
    ]

    /// Words after which the words before a phrase no longer negate it.
    static let clauseBoundaries: Set<String> = [
        "but", "however", "or", "otherwise", "unless", "although", "though", "yet", "else",
    ]

    /// Verbs that, right after a negator, make the negation part of a condition ("if you do not pay, …").
    static let conditionVerbs: Set<String> = [
        "pay", "paying", "paid", "respond", "responding", "reply", "replying", "call", "calling", "act", "contact",
        "settle", "settled", "resolve", "resolved", "answer", "make", "made", "force", "let", "wait", "ignore", "delay",
        "return", "comply", "cooperate", "hear", "receive", "received", "work", "arrange", "agree", "accept",
    ]

    /// True for a word that negates: "not", "never", "no", "cannot", and any contraction ending in n't.
    static func isNegator(_ word: String) -> Bool {
        negators.contains(word) || word.utf8.count > 3 && word.utf8.suffix(3).elementsEqual("n't".utf8)
    }
}

// MARK: - Detectors that need character-level patterns

/// Amounts of money, telephone numbers, email addresses and web links.
enum Detectors {
    static func regex(_ pattern: String, caseInsensitive: Bool = true) -> NSRegularExpression {
        do {
            return try NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
        } catch {
            preconditionFailure("MessageLint: bad pattern \(pattern): \(error)")
        }
    }

    /// Telephone numbers: North American with or without +1 or 1- (617-555-0100, (617) 555-0100, +1 617 555 0100),
    /// 1-800 vanity numbers (1-800-PAY-NOW1), and international numbers written with +.
    static let telephone = regex(
        #"(?<![\p{L}\p{N}])(?:\+?1[\s.-]?)?(?:\(\d{3}\)[\s.-]?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\d)"#
            + #"|(?<![\p{L}\p{N}])(?:\+?1[\s.-])?8(?:00|33|44|55|66|77|88)-[A-Z0-9]{3}-?[A-Z0-9]{4}(?![\p{L}\p{N}])"#
            + #"|(?<![\p{L}\p{N}])\+[2-9]\d{0,2}(?:[\s.-]?\d){7,14}(?!\d)"#)
    /// Email addresses.
    static let emailAddress = regex(#"[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}"#)
    /// Web links: with a scheme, starting www., or a bare domain in a common top-level domain.
    static let webLink = regex(
        #"(?:https?://|www\.)[^\s<>"]+"#
            + #"|(?<![@\p{L}\p{N}.-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|gov|io|co|us|biz|info|pay|app)(?:/[^\s<>"]*)?(?![\p{L}\p{N}])"#
    )

    /// Top-level domains recognised in bare links.
    static let topLevelDomains: Set<String> = [
        "com", "net", "org", "gov", "io", "co", "us", "biz", "info", "pay", "app",
    ]

    /// True when a whitespace-delimited chunk could hold a web link ("://", "www." or ".com"-like ending), so the
    /// link pattern is worth running on it.
    static func mayHoldLink(_ chunk: ArraySlice<UInt16>) -> Bool {
        func lower(_ unit: UInt16) -> UInt16 { unit >= 0x41 && unit <= 0x5A ? unit + 0x20 : unit }
        func isLetter(_ unit: UInt16) -> Bool { (0x61...0x7A).contains(lower(unit)) }
        var index = chunk.startIndex
        while index < chunk.endIndex {
            let unit = chunk[index]
            if unit == 0x3A, chunk[index...].starts(with: [0x3A, 0x2F, 0x2F]) { return true }  // ://
            if unit == 0x2E, index > chunk.startIndex {
                if index - chunk.startIndex >= 3, chunk[(index - 3)..<index].map(lower) == [0x77, 0x77, 0x77] {
                    return true
                }  // www.
                var end = index + 1
                while end < chunk.endIndex, isLetter(chunk[end]) { end += 1 }
                if end - index > 1, end - index <= 5,
                    topLevelDomains.contains(String(decoding: chunk[(index + 1)..<end].map(lower), as: UTF16.self))
                {
                    return true  // .com
                }
            }
            index += 1
        }
        return false
    }

    /// Currency signs and codes, written before an amount (or, for codes, after it), and currency words written after.
    static let currencySigns = ["$", "€", "£", "¥"]
    static let currencyCodes = ["usd", "eur", "gbp", "cad", "aud", "nzd", "chf", "jpy", "mxn", "inr"]
    static let currencyWords = ["dollar", "dollars", "euro", "euros", "pound", "pounds"]

    /// Amounts of money: a currency sign or code before a number ($1,234.56, USD 500, $ 80), or a code or word after
    /// it (1,234.56 USD, 500 dollars). Thousands separators and up to two decimals are taken in.
    static func amounts(in message: MessageText) -> [NSRange] {
        let tokens = message.tokens
        guard message.digitCount > 0 else { return [] }

        /// The last token of the number starting at `index` (digits, then ",ddd" groups, then ".dd"), if it is one.
        func numberEnd(_ index: Int) -> Int? {
            guard index < tokens.count, tokens[index].isNumber else { return nil }
            var end = index
            func adjacent(_ a: Int, _ b: Int) -> Bool { tokens[a].end == tokens[b].start }
            func isMark(_ index: Int, _ unit: UInt16) -> Bool {
                tokens[index].end - tokens[index].start == 1 && message.units[tokens[index].start] == unit
            }
            func digits(_ index: Int) -> Int { tokens[index].end - tokens[index].start }
            while end + 2 < tokens.count, isMark(end + 1, 0x2C), tokens[end + 2].isNumber, digits(end + 2) == 3,
                adjacent(end, end + 1), adjacent(end + 1, end + 2)
            {
                end += 2
            }
            if end + 2 < tokens.count, isMark(end + 1, 0x2E), tokens[end + 2].isNumber, digits(end + 2) <= 2,
                adjacent(end, end + 1), adjacent(end + 1, end + 2)
            {
                end += 2
            }
            return end
        }

        var result: [NSRange] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if token.flags & WordFlags.currency != 0, let end = numberEnd(index + 1) {
                result.append(NSRange(location: token.start, length: tokens[end].end - token.start))
                index = end + 1
            } else if let end = numberEnd(index), end + 1 < tokens.count,
                tokens[end + 1].flags & (WordFlags.currency | WordFlags.currencyWord) != 0
            {
                result.append(NSRange(location: token.start, length: tokens[end + 1].end - token.start))
                index = end + 2
            } else {
                index += 1
            }
        }
        return result
    }
}

// MARK: - Catalog

/// Every compiled pattern, built once and shared (all sets share one vocabulary).
struct Catalog: Sendable {
    /// The catalog, compiled on first use.
    static let shared = Catalog()

    /// Every word the patterns mention; tokens are looked up in it.
    let vocabulary: Vocabulary
    /// The forbidden-content rules, in the order they run.
    let forbidden: [ForbiddenRule]
    /// The regulation's own compliant wording, and street addresses, which look like forbidden phrases.
    let safePhrases: PhraseSet
    /// Words that make a threat certain or imminent (see the certainty policy on `MessageLint`).
    let certainty: PhraseSet
    /// The required-content phrases (`RequiredElement`).
    let identity: PhraseSet
    /// Signatures, which run across a line break: "Sincerely,\nJane Smith".
    let signature: PhraseSet
    let miniMiranda: PhraseSet
    let creditor: PhraseSet
    let replyPhrases: PhraseSet
    let optOut: PhraseSet
    /// The limited-content elements and breakers (`LimitedContent`).
    let limitedBusiness: PhraseSet
    let limitedPerson: PhraseSet
    let limitedReplyRequest: PhraseSet
    let breakers: [(description: String, phrases: PhraseSet)]

    private init() {
        var vocabulary = Vocabulary()
        vocabulary.mark(Lexicon.commonCapitals, WordFlags.common)
        vocabulary.mark(Lexicon.calendarWords, WordFlags.calendar)
        vocabulary.mark(Lexicon.businessSuffixes, WordFlags.businessSuffix)
        vocabulary.mark(Lexicon.headerWords, WordFlags.header)
        vocabulary.mark(Lexicon.abbreviations, WordFlags.abbreviation)
        vocabulary.mark(Detectors.currencySigns + Detectors.currencyCodes, WordFlags.currency)
        vocabulary.mark(Detectors.currencyWords, WordFlags.currencyWord)

        forbidden = ForbiddenRule.compileAll(&vocabulary)
        safePhrases = PhraseSet(
            [
                "the? law limits how long you can be sued (on a debt)?",
                "(protected|protection|protections) from legal action",
                "<number> <name> <name>? <name>? (court|ct)",
            ], vocabulary: &vocabulary)
        certainty = PhraseSet(
            [
                "(will|shall|gonna|today|tonight|tomorrow|immediately|now)", "*'ll", "(going|about) to",
                "(intend|intends|plan|plans) to", "right away",
                "within (<number>|one|two|three|five|seven|ten|a few|the next) <any>? (hour|hours|day|days)",
                "by the? (end|close) of",
                "(has|have|had) already? been (filed|issued|approved|authorized|authorised|scheduled|ordered|started|initiated|signed)",
                "(has|have|had) already? (approved|authorized|authorised|filed|ordered|started|begun|initiated|signed)",
                "(is|are) now? being (filed|prepared|processed|initiated|drafted)", "(is|are) scheduled",
                "final (notice|warning|demand)", "last (chance|notice|warning)",
            ], vocabulary: &vocabulary)

        identity = PhraseSet(RequiredElement.identityPatterns, vocabulary: &vocabulary)
        signature = PhraseSet(RequiredElement.signaturePatterns, vocabulary: &vocabulary, crossesSentences: true)
        miniMiranda = PhraseSet(RequiredElement.miniMirandaPatterns, vocabulary: &vocabulary)
        creditor = PhraseSet(RequiredElement.creditorPatterns, vocabulary: &vocabulary)
        replyPhrases = PhraseSet(RequiredElement.replyPatterns, vocabulary: &vocabulary)
        optOut = PhraseSet(RequiredElement.optOutPatterns, vocabulary: &vocabulary)

        limitedBusiness = PhraseSet(LimitedContent.businessPatterns, vocabulary: &vocabulary)
        limitedPerson = PhraseSet(LimitedContent.personPatterns, vocabulary: &vocabulary)
        limitedReplyRequest = PhraseSet(LimitedContent.replyRequestPatterns, vocabulary: &vocabulary)
        breakers = LimitedContent.breakerPatterns.map {
            ($0.description, PhraseSet($0.patterns, vocabulary: &vocabulary))
        }

        self.vocabulary = vocabulary
    }
}

// MARK: - Forbidden content

/// A rule that forbids some content.
struct ForbiddenRule: Sendable {
    /// How severe a match is.
    enum Severity: Sendable {
        /// Always an error.
        case error
        /// An error when the sentence presents the action as certain or imminent, otherwise a warning with the
        /// hedged sentence.
        case byCertainty(hedged: String)
    }

    /// The rule id reported in findings.
    let id: String
    /// The phrases the rule forbids.
    let phrases: PhraseSet
    /// Whether a preceding negator excuses the match.
    let negatable: Bool
    let severity: Severity
    /// The finding's sentence (for `byCertainty`, the certain case).
    let message: String
    /// The channels the rule applies to.
    let channels: Set<MessageChannel>

    /// The severity and sentence for a match, given whether its sentence is certain or imminent.
    func verdict(certain: Bool) -> (LintSeverity, String) {
        switch severity {
        case .error: (.error, message)
        case .byCertainty(let hedged): certain ? (.error, message) : (.warning, hedged)
        }
    }

    /// A rule before compilation.
    struct Definition {
        var id: String
        var patterns: [String]
        var negatable = true
        var severity = Severity.error
        var message: String
        var channels = Set(MessageChannel.allCases)
    }

    /// Compiles every forbidden-content rule, in the order they run.
    static func compileAll(_ vocabulary: inout Vocabulary) -> [ForbiddenRule] {
        definitions.map {
            ForbiddenRule(
                id: $0.id, phrases: PhraseSet($0.patterns, vocabulary: &vocabulary), negatable: $0.negatable,
                severity: $0.severity, message: $0.message, channels: $0.channels)
        }
    }

    static let definitions: [Definition] = [
        Definition(
            id: "threat-violence",
            patterns: [
                "(kill|killing) (you|your <any>)",
                "(hurt|harm|injure|beat|shoot|stab|punch|hit|attack|smack|slap|choke|strangle) (you|your (family|kids|children|wife|husband|spouse|mother|mom|father|dad|parents|dog|pet|pets))",
                "(beat|rough) you? up",
                "break both? of? your (leg|legs|arm|arms|knee|knees|kneecaps|fingers|neck|jaw|face|nose|windows)",
                "(physical|bodily) (harm|injury|injuries|violence)", "(violence|violent)",
                "burn down? your (house|home|car|place)", "(we|i) know where you (live|work|sleep|park)",
                "watch your back",
                "(find|track|hunt) you down", "(we'll|i'll|we will|i will) find you !<any>",
                "(pay|give) you a (little|personal|friendly|surprise)? visit",
                "(show|turn) up at your (door|doorstep|house|home|job|work|workplace|office)",
                "(come|coming|go|going|stop) (to|by) your (house|home|door|doorstep)",
                "(send|sending) (someone|somebody|people|a man|men|our guys|an agent|agents|a collector|collectors) (to|over to|by|round to|around to) your (house|home|door|doorstep|work|job|office|place)",
                "expect a (personal|home|little)? visit",
                "(something|things) (bad|terrible|nasty) (will|could|might|may|is going to) happen",
                "(accident|accidents) (can|could|might|will|do) happen", "(sleep|walk) with one eye open",
            ], message: "Threatens violence or harm (FDCPA 806(1), 15 U.S.C. 1692d(1)); never say this."),

        Definition(
            id: "threat-arrest",
            patterns: [
                "(arrest|bench) (warrant|warrants)", "(warrant|warrants)", "(arrest|arrested|arresting|arrests)",
                "(go|going|goes|sent|send you|put you|end up|be) (to|in) (jail|prison)",
                "(jail|jailed|prison|imprison|imprisoned|imprisonment|incarcerate|incarcerated|incarceration)",
                "jail time",
                "behind bars", "(lock|locked) you? up", "(handcuff|handcuffs|handcuffed)",
                "police (officer|officers|department|report)?",
                "(sheriff|sheriff's) (office|department|deputies|deputy)?",
                "(deputy|deputies)", "(marshal|marshals)",
                "(officer|officers) (will be|are being|have been|has been|are|were|is)? (dispatched|sent|coming|on (their|the|his|her) way|en route)",
                "(dispatch|dispatched|dispatching|send|sent|sending) (a|an)? (officer|officers)",
                "(criminal|fraud|theft|felony|misdemeanor|misdemeanour) (charge|charges|prosecution|complaint|case|investigation|proceeding|proceedings|action|record|referral)",
                "(criminal|criminally)", "(prosecute|prosecuted|prosecution|prosecuting|prosecutor|prosecutors)",
                "(press|pressing|file|filing|bring|bringing) charges", "charged with",
                "(committed|committing|guilty of) a? (fraud|crime|theft|felony)", "(felony|felonies)",
                "(check|bank|wire|mail) fraud", "(taken into)? custody", "(deport|deported|deportation)",
                "(investigated|investigation|investigating) for (fraud|theft)", "(crime|crimes)",
                "(contact|contacting|notify|notifying|call|calling|alert|alerting|inform|informing|involve|involving) (the|local)? authorities",
                "report you to the (police|authorities|sheriff|district attorney|prosecutor)",
            ],
            message:
                "Threatens arrest, jail or criminal charges (FDCPA 807(4) and 807(7), 15 U.S.C. 1692e(4), 1692e(7)); never say this."
        ),

        Definition(
            id: "threat-seizure",
            patterns: [
                "your (wages|paycheck|salary|pay|bank account|bank accounts|account|accounts|car|vehicle|truck|house|home|property|assets|tax refund|belongings|savings) (will|can|may|could|might|shall|is going to|are going to) be (taken|frozen|seized|garnished|levied|repossessed|attached|impounded|confiscated|sold|auctioned|emptied)",
                "garnish*", "(seize|seized|seizes|seizing|seizure)", "repossess*", "(repo|repo'd|repoed|repos)",
                "(take|taking|took|tow|towing|impound|impounding|confiscate|confiscating|auction|auctioning|sell|selling) away? your (house|home|car|vehicle|truck|boat|property|belongings|furniture|possessions|assets|paycheck|wages|salary|savings|tax refund|stuff|things)",
                "(levy|levies|levied|levying)",
                "(attach|attaching) your (wages|salary|paycheck|pay|bank|account|accounts|property|assets)",
                "(lien|liens)",
                "(freeze|freezing|froze|empty|emptying|drain|draining|clean out) your bank? (account|accounts|assets|funds|savings)",
                "lose your (house|home|car|vehicle|property|wages|paycheck|savings)", "foreclos*",
                "(sheriff's|sheriffs) sale",
            ],
            severity: .byCertainty(
                hedged:
                    "Mentions seizure, garnishment or repossession (FDCPA 807(4), 15 U.S.C. 1692e(4)); say this only if the action is lawful and actually intended."
            ),
            message:
                "States seizure, garnishment or repossession as certain or imminent (FDCPA 807(4), 15 U.S.C. 1692e(4)); say this only if the action is lawful, intended and really under way."
        ),

        Definition(
            id: "threat-lawsuit",
            patterns: [
                "(sue|sued|sues|suing) you",
                "(file|filing|filed|bring|bringing|commence|commencing|initiate|initiating|start|starting|pursue|pursuing|proceed with|begin|beginning|institute|instituting) (a|an)? (lawsuit|law suit|suit|legal action|legal proceeding|legal proceedings|litigation|civil? action against you|claim against you|complaint against you)",
                "(take|taking|see|drag|dragging|haul|hauling|bring|bringing|sue) you (to|in|into) court",
                "(sue|sued|sues|suing)", "(lawsuit|lawsuits|law suit|law suits)",
                "legal (action|proceeding|proceedings|steps|measures|remedies)", "(litigate|litigation|litigating)",
                "court (action|order|date|summons|judgment|judgement|judgments|case|proceeding|proceedings|appearance|hearing)",
                "summons", "(subpoena|subpoenaed|subpoenas)", "(judgment|judgement|judgments) against you",
                "(obtain|get|seek|enter|win|obtaining|getting|seeking|entering|winning) a default? (judgment|judgement)",
                "(judgment|judgement) (will|may|can|could|might|shall) be (entered|obtained|issued|filed)",
                "default (judgment|judgement|judgments)", "court",
            ],
            severity: .byCertainty(
                hedged:
                    "Mentions a lawsuit (FDCPA 807(5), 15 U.S.C. 1692e(5)); say this only if suit is actually intended and lawful, never on a time-barred debt (12 CFR 1006.26(b))."
            ),
            message:
                "States a lawsuit as certain or imminent (FDCPA 807(5), 15 U.S.C. 1692e(5)); say this only if suit is actually intended and lawful, never on a time-barred debt (12 CFR 1006.26(b))."
        ),

        Definition(
            id: "threat-implied",
            patterns: [
                "or else", "(you'll|you will|you're going to|you are going to) (be sorry|regret)",
                "regret (it|this|ignoring|not paying)", "(get|have) you fired", "(lose|losing) your job",
                "(make|making) your life (miserable|hell|difficult|a hell|a living hell)",
                "(things|this|it) (will|is going to|could|can) get (ugly|worse|nasty|messy|very bad)",
                "stop at nothing", "do? whatever it takes",
            ], message: "Makes a veiled threat (FDCPA 806 and 807(5), 15 U.S.C. 1692d, 1692e(5)); never say this."),

        Definition(
            id: "profanity",
            patterns: [
                "fuck*", "motherfuck*", "(shit|shitty|shithead|shits|sh1t|bullshit)", "bull shit", "bitch*",
                "(bastard|bastards)",
                "(ass|asses|asshole|assholes) !.", "(jackass|dumbass)", "(damn|damned|damnit|dammit)", "goddamn*",
                "(crap|crappy)",
                "(dickhead|dickheads)", "(piss|pissed) off?", "(cunt|cunts|prick|pricks)",
                "(go to|the|in|like|bloody|from) hell", "hell (of|with|no)",
                "(deadbeat|deadbeats)", "dead (beat|beats)", "(liar|liars|loser|losers|scum|scumbag|scumbags)",
                "(idiot|idiots|idiotic|moron|morons|moronic|stupid|dumb|imbecile|imbeciles)",
                "(lowlife|lowlifes|low-life|low-lifes)", "low life", "(worthless|pathetic|thief|thieves|crook|crooks)",
                "(freeloader|freeloaders|parasite|parasites|bum|bums|trash|retard|retards|retarded)", "shut up",
                "(cheater|cheaters|welcher|welsher)",
            ], negatable: false,
            message: "Uses profane or abusive language (FDCPA 806(2), 15 U.S.C. 1692d(2)); never say this."),

        Definition(
            id: "false-government",
            patterns: [
                "this is the (irs|fbi|internal revenue service|government|treasury|department of <any>)",
                "(irs|internal revenue service) (agent|agents|officer|officers|investigator|investigators|department|official|officials)",
                "(from|with|calling from|on behalf of|representing) the (irs|internal revenue service|fbi|department of justice|department of the? treasury|treasury department|social security administration|federal government|state government|government|attorney general|attorney general's office)",
                "federal (agent|agents|officer|officers|official|officials|investigator|investigators|agency|government|authorities|bureau)",
                "government (agency|agencies|agent|agents|official|officials|department|office|authorities|investigator|investigators)",
                "state (agency|agent|agents|official|officials|authorities)",
                "law enforcement (officer|officers|agency|agencies|official|officials)?", "(fbi|doj)",
                "department of justice",
                "attorney general", "u . s . treasury",
                "(official|federal|government) (notice|summons|document|warning)",
                "report you to the (irs|internal revenue service|fbi|government|treasury)",
            ],
            message:
                "Implies government or law-enforcement involvement (FDCPA 807(1) and 807(9), 15 U.S.C. 1692e(1), 1692e(9)); never say this."
        ),

        Definition(
            id: "false-attorney",
            patterns: [
                "(attorney|attorney's|attorneys) (office|offices)", "attorneys ' (office|offices)",
                "law (office|offices|firm|department|group)",
                "legal (department|dept|division|team|counsel|representative|representatives|staff|unit)",
                "litigation (department|division|team|unit)",
                "(our|my|retained|in-house) (attorney|attorneys|lawyer|lawyers|legal counsel|counsel|legal team)",
                "the (firm's|company's) (attorney|attorneys|lawyer|lawyers)",
                "(we are|i am|we're|i'm) (a|an)? (attorney|attorneys|lawyer|lawyers|law firm|legal firm)",
                "(sent|forwarded|referred|transferred|assigned|escalated|passed|turned over|handed over) (to|over to) (a|an|our|the)? (attorney|attorneys|lawyer|lawyers|legal|law firm|litigation)",
                "attorney review", "(pre-legal|prelegal)", "legal review",
                "(attorney|attorneys|lawyer|lawyers) (will|are going to|may|shall) be? (contact|contacting|call|calling|reach|reaching|handle|handling|take over|taking over|in touch)",
            ],
            message:
                "Implies a lawyer is involved (FDCPA 807(3), 15 U.S.C. 1692e(3)); say this only if an attorney really is involved and has reviewed the account."
        ),

        Definition(
            id: "shaming",
            patterns: [
                "(tell|telling|told|call|calling|contact|contacting|notify|notifying|inform|informing|alert|alerting|email|text|write to|visit|let) (all of?)? your (employer|boss|manager|supervisor|hr|human resources|neighbor|neighbors|neighbour|neighbours|family|friends|coworkers|co-workers|colleagues|relatives|church|pastor|parents|spouse|wife|husband|kids|children|landlord|reference|references|mom|dad|mother|father|brother|sister|son|daughter|girlfriend|boyfriend|partner|roommate|friend)",
                "(everyone|everybody|people) (at|in) your <any> (will|is going to)? (know|knows|find out|hear|learn)",
                "make sure (everyone|everybody|people|your <any>) (knows|know|finds out|find out|hears|hear|learns|learn)",
                "your? (employer|boss|neighbor|neighbors|neighbours|family|friends|coworkers|co-workers|colleagues|everyone|everybody) (will|is going to|are going to) (know|find out|hear|learn|be told|be informed|be notified|be contacted)",
                "the whole <any> (will|is going to) (know|find out|hear|learn)",
                "(post|posted|posting) your? (name|debt|photo|picture|information|details) (on|online|in|to|publicly)",
                "(post|posted|posting) (it|this) (online|on (facebook|social media|twitter|instagram))",
                "(publish|published|publishing) (your|the debt|a list|this|it|them|name|names)",
                "(list|registry|database) of (deadbeat|deadbeats|bad debtors|debtors|people who (don't|do not|refuse to|won't) pay)",
                "(deadbeat|debtor|bad debtor|bad debtors) list", "wall of shame", "ashamed", "(shame|shameful|shamed)",
                "embarrass*", "humiliat*",
            ],
            message:
                "Threatens to shame the consumer or tell others about the debt (FDCPA 805(b) and 806(3), 15 U.S.C. 1692c(b), 1692d(3)); never say this."
        ),

        Definition(
            id: "postcard", patterns: ["(postcard|postcards|post-card|post-cards)", "post (card|cards)"],
            message:
                "Speaks of a postcard; a collection letter may never be sent on a postcard (FDCPA 808(7), 15 U.S.C. 1692f(7)).",
            channels: [.letter]),
    ]
}

// MARK: - Required content

/// An element a collection message must contain.
enum RequiredElement: CaseIterable {
    case identity, miniMiranda, creditor, amount, reply, optOut

    /// The rule id reported when the element is missing.
    var rule: String {
        switch self {
        case .identity: "missing-identity"
        case .miniMiranda: "missing-mini-miranda"
        case .creditor: "missing-creditor"
        case .amount: "missing-amount"
        case .reply: "missing-reply"
        case .optOut: "missing-opt-out"
        }
    }

    /// The finding's sentence.
    var message: String {
        switch self {
        case .identity:
            "Does not say who is sending it; name the collection business (FDCPA 806(6) and 807(14), 15 U.S.C. 1692d(6), 1692e(14))."
        case .miniMiranda:
            #"Does not say it is from a debt collector; add "This is an attempt to collect a debt" or "This communication is from a debt collector" (FDCPA 807(11), 15 U.S.C. 1692e(11); 12 CFR 1006.18(e))."#
        case .creditor:
            "Does not name the creditor the debt is owed to; add it (FDCPA 809(a)(2), 15 U.S.C. 1692g(a)(2))."
        case .amount:
            "Does not state the current amount of the debt as a figure such as $1,234.56 (FDCPA 809(a)(1), 15 U.S.C. 1692g(a)(1))."
        case .reply:
            "Does not say how to reply; give a telephone number, mailing address, email address or web link (12 CFR 1006.34(c)(4))."
        case .optOut:
            #"Does not say how to stop these emails or texts; add a clear opt-out such as "Reply STOP to opt out" (12 CFR 1006.6(e))."#
        }
    }

    /// True when the message holds the element. A negated mini-Miranda, reply phrase or opt-out ("we are not a debt
    /// collector", "do not reply to this email", "you cannot opt out") does not count.
    func isPresent(in message: MessageText, catalog: Catalog) -> Bool {
        func stands(_ phrases: PhraseSet, negatable: Bool = false) -> Bool {
            phrases.matches(in: message).contains { !negatable || !message.isNegated(before: $0.first) }
        }
        switch self {
        case .identity: return stands(catalog.identity) || stands(catalog.signature)
        case .miniMiranda: return stands(catalog.miniMiranda, negatable: true)
        case .creditor: return stands(catalog.creditor)
        case .amount: return !message.amounts.isEmpty
        case .reply:
            return !message.telephones.isEmpty || !message.emailAddresses.isEmpty || !message.webLinks.isEmpty
                || stands(catalog.replyPhrases, negatable: true)
        case .optOut: return stands(catalog.optOut, negatable: true)
        }
    }

    /// Who is writing: "This is Jane Smith", "my name is…", "We are Acme Recovery", "a message from Acme", "calling
    /// from Acme", "from Acme" (unless it is where the debt came from: "purchased from Acme Bank"), "Acme Recovery
    /// LLC is a debt collector", and a text that opens with its sender: "Acme Recovery: …".
    static let identityPatterns = [
        "(this is|it's|its|my name is|i am|i'm|we are|we're|here at) ,? <name>",
        "(message|call|letter|email|e-mail|text|notice|note|reminder|communication|update) from :? the? <business>",
        "(calling|writing|texting|emailing|reaching out) (from|with) the? <business>",
        "!(purchased|bought|acquired|transferred|assigned|sold|received|borrowed|obtained|financed|loan|credit|account|card) from :? the? <business>",
        "<name> (and|of|&|<name>)* (is|are) (a|an) (debt collector|collection agency|collections agency|collection company|collections company|collection firm)",
        "<name> (and|of|&|<name>)* (is|are) (attempting|trying) to collect",
        "<name> (and|of|&|<name>)* (is|are) collecting",
        "<opener> (and|&|<name>)* :",
        "<linedash> <name>",
    ]

    /// A signature after a closing: "Sincerely,\nJane Smith".
    static let signaturePatterns = [
        "(sincerely|regards|respectfully|thanks|cheers|best|cordially|thank you|yours truly|best regards|kind regards|warm regards) ,? <linename>"
    ]

    /// "This is an attempt to collect a debt", "… is a debt collector", "This communication is from a debt collector".
    static let miniMirandaPatterns = [
        "(attempt|attempting|attempts|trying|seeking) to collect (a|the|this|your)? (debt|debts)",
        "debt (collector|collectors)",
        "collecting (a|the|this|your) debt",
    ]

    /// "Original creditor: Acme Bank", "the creditor is Acme", "owed to Acme Bank", "you owe $80 to Acme", "on behalf
    /// of Acme", "your account with Acme Bank", "your Acme Visa account", "purchased from Acme Bank".
    static let creditorPatterns = [
        "creditor (: | - | – | — | is | was | was originally | ,)? the? <name>",
        "(owed|owing|owe|owes) (($|€|£) <number> (, <number>)* (. <number>)?)? to :? the? <name>",
        "(due|payable|belongs|belonging) to :? the? <name>", "(you owe|owes) the? <name>",
        "on behalf of :? the? <name>",
        "(account|accounts|debt|balance|loan|bill|card|contract|agreement|obligation|invoice|purchase|lease|plan) (with|from|at|to|for|originally with|originally from|opened with|issued by|held by) :? the? <name>",
        "your <name> (<name>|&)* (account|card|credit card|loan|bill|balance|debt|invoice|membership|subscription|contract|financing|lease|mortgage|plan|purchase|order)",
        "(purchased|bought|acquired|assigned|transferred|sold|referred|placed) ((to|with) us)? (from|by) :? the? <name>",
    ]

    /// Ways to reply besides a telephone number, email address or link: "call us", "write to us", "reply to this
    /// message", a PO box or a street address.
    static let replyPatterns = [
        "(call|phone|ring|text|email|e-mail|write|contact|reach|message|visit) to? (us|me|our office|our team)",
        "(reply|respond) to (us|me)", "call (back|toll-free|tollfree|today|now)", "call toll free",
        "reply (to this|here|with|by)", "respond (to this|by|online)", "return (my|our|this|the) call",
        "give (us|me) a call",
        "get back to (us|me)",
        "(po|p . o .?|p o) box <number>",
        "<number> <name> <name>? <name>? <name>? (street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|parkway|pkwy|highway|hwy|suite|ste|square|sq|plaza|terrace|circle)",
    ]

    /// "Reply STOP to opt out", "text STOP", "unsubscribe", "opt out", "to stop receiving emails".
    static let optOutPatterns = [
        "(reply|text|send|txt|type|respond with) \"? stop",
        "stop to (opt out|opt-out|optout|unsubscribe|cancel|end|quit|stop)",
        "(unsubscribe|unsubscribing)", "(opt out|opt-out|optout)", "stop (receiving|getting)",
    ]
}

// MARK: - Limited-content messages

/// Whether a voicemail is a limited-content message (12 CFR 1006.2(j)): a business name that does not reveal debt
/// collection, a request to reply, one or more natural persons' names and a telephone number; it may also hold a
/// salutation, the date and time, suggested times to reply and a statement that any representative can help. Anything
/// else (a debt, an account, an amount, collection, payment, the creditor, legal matters, a web link, what the call is
/// about, or forbidden content) makes it a communication.
struct LimitedContent {
    static let rule = "not-limited-content"

    /// What broke the message, each with the place of its first occurrence.
    var breakers: [(description: String, range: NSRange)]
    /// The required elements it lacks.
    var missing: [String]

    var isLimited: Bool { breakers.isEmpty && missing.isEmpty }

    /// Assesses `message`, given the forbidden-content findings already made on it.
    static func assess(_ message: MessageText, forbidden: [PlacedFinding], catalog: Catalog) -> LimitedContent {
        var breakers: [(description: String, range: NSRange)] = []
        func note(_ description: String, _ ranges: [NSRange]) {
            if let first = ranges.min(by: { $0.location < $1.location }) { breakers.append((description, first)) }
        }
        func ranges(_ phrases: PhraseSet) -> [NSRange] {
            phrases.matches(in: message, firstOnly: true).map(message.range(of:))
        }
        for (description, phrases) in catalog.breakers {
            var found = ranges(phrases)
            switch description {
            case Self.amountBreaker: found += message.amounts
            case Self.creditorBreaker: found += ranges(catalog.creditor)
            case Self.linkBreaker: found += message.webLinks + message.emailAddresses
            default: break
            }
            note(description, found)
        }
        if let threat = forbidden.min(by: { $0.location < $1.location }), let excerpt = threat.finding.excerpt {
            let range = NSRange(location: threat.location, length: excerpt.utf16.count)
            // Words already named ("arrested" as a legal matter) are not named twice.
            if !breakers.contains(where: { NSEqualRanges($0.range, range) }) {
                breakers.append(("threatening or abusive words", range))
            }
        }
        breakers.sort { $0.range.location < $1.range.location }

        var missing: [String] = []
        if !catalog.limitedBusiness.containsMatch(in: message) { missing.append("a business name") }
        if !catalog.limitedPerson.containsMatch(in: message) { missing.append("a natural person's name") }
        if !catalog.limitedReplyRequest.containsMatch(in: message) { missing.append("a request to reply") }
        if message.telephones.isEmpty { missing.append("a telephone number") }
        return LimitedContent(breakers: breakers, missing: missing)
    }

    /// The `not-limited-content` warning; its excerpt is the first thing that broke the message.
    func finding(in message: MessageText) -> PlacedFinding {
        var reasons: [String] = []
        if !breakers.isEmpty {
            reasons.append(
                "it mentions " + Self.list(breakers.map { "\($0.description) (\"\(message.excerpt($0.range))\")" }))
        }
        if !missing.isEmpty { reasons.append("it lacks " + Self.list(missing)) }
        let text =
            "Not a limited-content message (12 CFR 1006.2(j)) because " + reasons.joined(separator: " and ")
            + ", so it is a communication and leaving it risks disclosing the debt to a third party (12 CFR 1006.6(d))."
        let first = breakers.first?.range
        return PlacedFinding(
            location: first?.location ?? .max,
            finding: LintFinding(
                rule: Self.rule, severity: .warning, excerpt: first.map(message.excerpt), message: text))
    }

    /// "a", "a and b", "a, b and c".
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
    }

    /// "from ABC Services", "with Acme", "Harbor Associates".
    static let businessPatterns = [
        "(from|with|at|here at|calling from) the? <business>", "<name> (<name>|&|and)* <suffix>",
    ]

    /// "This is Jane Smith", "my name is Jane A. Smith", "ask for Tom", "- Jane" — but not "This is Acme Services".
    static let personPatterns = [
        "(this is|it's|my name is|i am|i'm|ask for|speak to|speak with|talk to|talk with|call|contact|reach) ,? <person> (<initial> .?)? <person>? !<suffix>",
        "<linedash> <person>",
    ]

    /// "Please call me back", "return my call", "give me a call", "call Jane at".
    static let replyRequestPatterns = [
        "call (me|us|back|our office)", "call <any> <any>? (at|on)", "please call", "return (my|our|this|the) call",
        "give (me|us) a (call|ring)", "reach (me|us|out)", "contact (me|us)", "get back to (me|us)", "call at",
        "(reply|respond)", "(ring|text) (me|us)", "(can|may) call",
    ]

    // Breakers whose matches come partly from other detectors.
    static let amountBreaker = "an amount of money"
    static let creditorBreaker = "the creditor or a credit product"
    static let linkBreaker = "a website or email address"

    /// Content a limited-content message may not hold, by what it reveals. Amounts, creditor phrases, links and
    /// email addresses are added from their own detectors.
    static let breakerPatterns: [(description: String, patterns: [String])] = [
        (
            "a debt",
            [
                "(debt|debts|owe|owes|owed|owing|overdue|arrears|defaulted|unpaid|outstanding|past-due)", "past due",
                "delinquen*", "in default",
            ]
        ),
        (
            "an account",
            [
                "(account|accounts|acct)", "(reference|ref|file|case|claim|invoice|loan|policy) .? (number|no|#)",
                "# <number>",
            ]
        ),
        ("a balance", ["(balance|balances)"]),
        (amountBreaker, ["(amount|amounts)"]),
        ("debt collection", ["collect*", "(recovery|recoveries)"]),
        (
            "a payment",
            [
                "(pay|paid|payment|payments|payable|paying|payoff|settle|settled|settlement|installment|installments|invoice|invoices|charge|charges|fee|fees|interest|refund)",
                "(%bill|%bills|%billing)",
            ]
        ),
        (
            creditorBreaker,
            [
                "(creditor|creditors|credit|lender|lenders|loan|loans|mortgage|financing)",
                "(debit|store) (card|cards)",
            ]
        ),
        (
            "a legal matter",
            [
                "(legal|lawsuit|lawsuits|attorney|attorneys|lawyer|lawyers|court|sue|sued|suing|judgment|judgement|judgments|litigation|warrant|warrants|police|sheriff)",
                "law (suit|suits)", "garnish*", "arrest*",
            ]
        ),
        (linkBreaker, []),
        (
            "what the call is about",
            [
                "(important|urgent|personal|private|confidential|pressing|time-sensitive|serious|business|financial) (matter|issue|business|concern)",
                "time sensitive",
                "(regarding|concerning|matter|matters|urgent|urgently|important|time-sensitive|deadline)",
                "in (reference|regard) to", "pertaining to", "with regard to", "about (your|the|a|an|this)", "expir*",
                "final notice", "immediate attention",
            ]
        ),
    ]
}
