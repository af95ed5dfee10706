/// Entry points for timing the lint's parts on their own (Benchmarks/MessageLintBenchmarks). The benchmarks are a
/// separate package built in release mode, where `@testable import` is not available and `package` access does not
/// reach, so these few declarations are public behind `@_spi(Benchmarking)`: only an importer that names that SPI
/// sees them, and they are not part of RecoupCore's API.
extension MessageLint {
    /// A message normalised and split into tokens against the catalog's vocabulary, as `check` prepares it.
    @_spi(Benchmarking)
    public struct PreparedMessage {
        let text: MessageText

        /// How many tokens (words and punctuation marks) the message has.
        public var tokenCount: Int { text.tokens.count }
    }

    /// Prepares `text` the way `check` does (the catalog is compiled on first use).
    @_spi(Benchmarking)
    public static func prepare(_ text: String) -> PreparedMessage {
        PreparedMessage(text: MessageText(text, vocabulary: Catalog.shared.vocabulary))
    }

    /// Runs every phrase set of the catalog once over the whole message — the forbidden-content rules, the safe
    /// phrases, the certainty words, the required-content and the limited-content sets — and returns how many
    /// matches they found: more matching than one `check` does (which runs the certainty words only on sentences
    /// with a threat, and the limited-content sets only on voicemail, up to their first match), and nothing else: no
    /// tokenizing, no character-level detector.
    @_spi(Benchmarking)
    public static func matchEveryPhraseSet(in message: PreparedMessage) -> Int {
        let catalog = Catalog.shared
        var count = 0
        func run(_ phrases: PhraseSet) { count += phrases.matches(in: message.text).count }
        for rule in catalog.forbidden { run(rule.phrases) }
        run(catalog.safePhrases)
        run(catalog.certainty)
        run(catalog.identity)
        run(catalog.signature)
        run(catalog.miniMiranda)
        run(catalog.creditor)
        run(catalog.replyPhrases)
        run(catalog.optOut)
        run(catalog.limitedBusiness)
        run(catalog.limitedPerson)
        run(catalog.limitedReplyRequest)
        for breaker in catalog.breakers { run(breaker.phrases) }
        return count
    }
}
