/// Every compiled pattern of one language, built once and shared (all sets share one vocabulary).
struct Catalog: Sendable {
    /// The English catalog, compiled on first use.
    static let shared = Catalog(.english)
    /// The Spanish catalog, compiled on first use (a message checked in English never builds it).
    static let spanish = Catalog(.spanish)

    /// The catalog for `language`.
    static func of(_ language: MessageLanguage) -> Catalog {
        switch language {
        case .en: shared
        case .es: spanish
        }
    }

    /// The language the patterns are written in.
    let language: MessageLanguage
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

    private init(_ source: Source) {
        var vocabulary = Vocabulary(language: source.language)
        vocabulary.mark(source.commonCapitals, WordFlags.common)
        vocabulary.mark(source.calendarWords, WordFlags.calendar)
        vocabulary.mark(source.businessSuffixes, WordFlags.businessSuffix)
        vocabulary.mark(source.headerWords, WordFlags.header)
        vocabulary.mark(source.abbreviations, WordFlags.abbreviation)
        vocabulary.mark(Detectors.currencySigns + Detectors.currencyCodes, WordFlags.currency)
        vocabulary.mark(source.currencyWords, WordFlags.currencyWord)

        forbidden = ForbiddenRule.compileAll(source.forbidden, &vocabulary)
        safePhrases = PhraseSet(source.safePhrases, vocabulary: &vocabulary)
        certainty = PhraseSet(source.certainty, vocabulary: &vocabulary)

        identity = PhraseSet(source.identity, vocabulary: &vocabulary)
        signature = PhraseSet(source.signature, vocabulary: &vocabulary, crossesSentences: true)
        miniMiranda = PhraseSet(source.miniMiranda, vocabulary: &vocabulary)
        creditor = PhraseSet(source.creditor, vocabulary: &vocabulary)
        replyPhrases = PhraseSet(source.reply, vocabulary: &vocabulary)
        optOut = PhraseSet(source.optOut, vocabulary: &vocabulary)

        limitedBusiness = PhraseSet(source.limitedBusiness, vocabulary: &vocabulary)
        limitedPerson = PhraseSet(source.limitedPerson, vocabulary: &vocabulary)
        limitedReplyRequest = PhraseSet(source.limitedReplyRequest, vocabulary: &vocabulary)
        breakers = source.breakers.map {
            ($0.description, PhraseSet($0.patterns, vocabulary: &vocabulary))
        }

        self.language = source.language
        self.vocabulary = vocabulary
    }

    /// The word lists and patterns a catalog is compiled from, one per language.
    struct Source {
        var language: MessageLanguage
        var commonCapitals: [String]
        var calendarWords: [String]
        var businessSuffixes: [String]
        var headerWords: [String]
        var abbreviations: [String]
        var currencyWords: [String]
        var forbidden: [ForbiddenRule.Definition]
        var safePhrases: [String]
        var certainty: [String]
        var identity: [String]
        var signature: [String]
        var miniMiranda: [String]
        var creditor: [String]
        var reply: [String]
        var optOut: [String]
        var limitedBusiness: [String]
        var limitedPerson: [String]
        var limitedReplyRequest: [String]
        var breakers: [(description: String, patterns: [String])]

        /// The English patterns.
        static let english = Source(
            language: .en,
            commonCapitals: Lexicon.commonCapitals, calendarWords: Lexicon.calendarWords,
            businessSuffixes: Lexicon.businessSuffixes, headerWords: Lexicon.headerWords,
            abbreviations: Lexicon.abbreviations, currencyWords: Detectors.currencyWords,
            forbidden: ForbiddenRule.definitions, safePhrases: englishSafePhrases, certainty: englishCertainty,
            identity: RequiredElement.identityPatterns, signature: RequiredElement.signaturePatterns,
            miniMiranda: RequiredElement.miniMirandaPatterns, creditor: RequiredElement.creditorPatterns,
            reply: RequiredElement.replyPatterns, optOut: RequiredElement.optOutPatterns,
            limitedBusiness: LimitedContent.businessPatterns, limitedPerson: LimitedContent.personPatterns,
            limitedReplyRequest: LimitedContent.replyRequestPatterns, breakers: LimitedContent.breakerPatterns)

        /// The regulation's own compliant wording, and street addresses, which look like forbidden phrases.
        static let englishSafePhrases = [
            "the? law limits how long you can be sued (on a debt)?",
            "(protected|protection|protections) from legal action",
            "<number> <name> <name>? <name>? (court|ct)",
        ]

        /// Words that make a threat certain or imminent.
        static let englishCertainty = [
            "(will|shall|gonna|today|tonight|tomorrow|immediately|now)", "*'ll", "(going|about) to",
            "(intend|intends|plan|plans) to", "right away",
            "within (<number>|one|two|three|five|seven|ten|a few|the next) <any>? (hour|hours|day|days)",
            "by the? (end|close) of",
            "(has|have|had) already? been (filed|issued|approved|authorized|authorised|scheduled|ordered|started|initiated|signed)",
            "(has|have|had) already? (approved|authorized|authorised|filed|ordered|started|begun|initiated|signed)",
            "(is|are) now? being (filed|prepared|processed|initiated|drafted)", "(is|are) scheduled",
            "final (notice|warning|demand)", "last (chance|notice|warning)",
        ]
    }
}
