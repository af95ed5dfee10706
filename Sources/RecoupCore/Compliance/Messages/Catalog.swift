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
