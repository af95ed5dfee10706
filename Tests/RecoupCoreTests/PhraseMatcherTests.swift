import Testing

@testable import RecoupCore

/// The phrase matcher (`PhraseSet.matches`) on its own, apart from the lint rules: how it treats case, white space and
/// punctuation, what it refuses, which of several overlapping patterns wins, and the edges (no text, a long text, a
/// long run of words).
@Suite("Phrase matcher")
struct PhraseMatcherTests {
    /// One match as the tests see it: the words of the message it covers and the index of the pattern.
    struct Found: Equatable, CustomStringConvertible {
        var text: String
        var pattern: Int
        var description: String { "\(pattern):\(text)" }
    }

    /// Compiles `patterns` the way the catalog does (with the lexicon's flags, so `<name>` and friends behave as in
    /// the lint) and matches them against `text`.
    func find(
        _ patterns: [String], in text: String, crossesSentences: Bool = false, tokens: Range<Int>? = nil,
        firstOnly: Bool = false
    ) -> [Found] {
        let (phrases, message) = compile(patterns, text, crossesSentences: crossesSentences)
        return phrases.matches(in: message, tokens: tokens, firstOnly: firstOnly).map {
            Found(text: message.excerpt(message.range(of: $0)), pattern: $0.pattern)
        }
    }

    func compile(_ patterns: [String], _ text: String, crossesSentences: Bool = false) -> (PhraseSet, MessageText) {
        var vocabulary = Vocabulary()
        vocabulary.mark(Lexicon.commonCapitals, WordFlags.common)
        vocabulary.mark(Lexicon.calendarWords, WordFlags.calendar)
        vocabulary.mark(Lexicon.businessSuffixes, WordFlags.businessSuffix)
        vocabulary.mark(Lexicon.abbreviations, WordFlags.abbreviation)
        let phrases = PhraseSet(patterns, vocabulary: &vocabulary, crossesSentences: crossesSentences)
        return (phrases, MessageText(text, vocabulary: vocabulary))
    }

    func texts(_ patterns: [String], in text: String, crossesSentences: Bool = false) -> [String] {
        find(patterns, in: text, crossesSentences: crossesSentences).map(\.text)
    }

    // MARK: Case, white space, punctuation

    @Test("case does not matter, and the excerpt keeps the message's own case")
    func caseInsensitive() {
        #expect(texts(["sue you"], in: "We SUE YOU. We Sue You. We sUe yOu.") == ["SUE YOU", "Sue You", "sUe yOu"])
    }

    @Test("any run of spaces, tabs and non-breaking spaces separates words like one space")
    func whiteSpace() {
        #expect(texts(["sue you"], in: "We sue   you.") == ["sue   you"])
        #expect(texts(["sue you"], in: "We sue\tyou.") == ["sue\tyou"])
        #expect(texts(["sue you"], in: "We sue\u{00A0}you.") == ["sue\u{00A0}you"])
        #expect(texts(["sue you"], in: "We sue\u{202F}you.") == ["sue\u{202F}you"])
    }

    @Test("a line break ends the sentence, so a match stops there unless the set crosses sentences")
    func lineBreaks() {
        #expect(texts(["sue you"], in: "We sue\nyou.").isEmpty)
        #expect(texts(["sue you"], in: "We sue\r\nyou.").isEmpty)
        #expect(texts(["sue you"], in: "We sue\nyou.", crossesSentences: true) == ["sue\nyou"])
    }

    @Test("a punctuation mark is a token: between the words it breaks the match, around them it does not")
    func punctuationBetweenAndAround() {
        #expect(texts(["sue you"], in: "We sue, you pay.").isEmpty)
        #expect(texts(["sue you"], in: "We sue - you pay.").isEmpty)
        #expect(texts(["sue you"], in: "(sue you)") == ["sue you"])
        #expect(texts(["sue you"], in: "\"Sue you!\"") == ["Sue you"])
        #expect(texts(["sue you"], in: "sue you?!") == ["sue you"])
    }

    @Test("a pattern may name punctuation marks, which then must be there")
    func punctuationInPatterns() {
        #expect(texts(["creditor : <name>"], in: "Creditor: Acme Bank. Creditor Acme.") == ["Creditor: Acme"])
        #expect(texts(["u . s . treasury"], in: "The U.S. Treasury and the US Treasury.") == ["U.S. Treasury"])
        #expect(texts(["attorneys ' office"], in: "the attorneys' office") == ["attorneys' office"])
    }

    @Test("typographic apostrophes, quotes and hyphens match their plain forms; excerpts keep the original")
    func typography() {
        #expect(
            texts(["you'll regret"], in: "You’ll regret it. You`ll regret it.") == ["You’ll regret", "You`ll regret"])
        #expect(texts(["co-workers"], in: "your co‐workers and co‑workers") == ["co‐workers", "co‑workers"])
        #expect(texts(["\" stop"], in: "Reply “STOP”.") == ["“STOP"])
    }

    @Test("sentence ends: . ! ? before white space end a sentence; abbreviations, initials and amounts do not")
    func sentenceEnds() {
        #expect(texts(["sue you"], in: "We sue. You pay.").isEmpty)
        #expect(texts(["sue you"], in: "We sue! you pay").isEmpty)
        #expect(texts(["mr . smith called"], in: "Mr. Smith called.") == ["Mr. Smith called"])
        #expect(texts(["jane a . smith"], in: "Jane A. Smith") == ["Jane A. Smith"])
        #expect(
            texts(["owe $ <number> , <number> . <number> to"], in: "You owe $1,234.56 to Acme.") == [
                "owe $1,234.56 to"
            ])
    }

    // MARK: Near misses

    @Test("whole words only: a word inside a longer word, a plural or a hyphenated compound is not the word")
    func wholeWords() {
        #expect(texts(["court"], in: "As a courtesy, the courthouse and the courts.").isEmpty)
        #expect(texts(["debt collector"], in: "debt collectors, a debt-collector, debtcollector").isEmpty)
        #expect(texts(["sue"], in: "Sued, suey, pursue, issue.").isEmpty)
        #expect(texts(["jail"], in: "jailbird, jail-time, jail") == ["jail"])
    }

    @Test("a phrase cut short, reordered or with a word in between does not match")
    func incompletePhrases() {
        #expect(texts(["take your car"], in: "We take your").isEmpty)
        #expect(texts(["take your car"], in: "We take your old car.").isEmpty)
        #expect(texts(["take your car"], in: "Your car we take.").isEmpty)
        #expect(texts(["or else"], in: "or, else; else or").isEmpty)
    }

    @Test("affixes: a prefix pattern needs the word to start with it; a suffix pattern needs letters before it")
    func affixNearMisses() {
        #expect(texts(["garnish*"], in: "ungarnished garnis GARNISHEE") == ["GARNISHEE"])
        #expect(texts(["*'ll"], in: "'ll ll will we'll") == ["we'll"])
        #expect(texts(["%bill"], in: "Bill BILL bill") == ["bill"])
    }

    @Test("kinds of words: <name> asks for a capital that is not a common word; <number> for digits only")
    func kindNearMisses() {
        #expect(texts(["from <name>"], in: "from acme, from The, from Acme") == ["from Acme"])
        #expect(texts(["po box <number>"], in: "PO Box 12a, PO Box twelve, PO Box 12") == ["PO Box 12"])
    }

    // MARK: Overlapping patterns

    @Test("the longest match from the leftmost start wins; matching resumes after it, so matches never overlap")
    func leftmostLongest() {
        #expect(
            find(["a b", "b c"], in: "a b c") == [Found(text: "a b", pattern: 0)])
        #expect(
            find(["b c", "a b c d"], in: "a b c") == [Found(text: "b c", pattern: 0)])
        #expect(texts(["a a"], in: "a a a a a") == ["a a", "a a"])
        #expect(texts(["x", "x y", "x y z"], in: "x y z x y w x") == ["x y z", "x y", "x"])
    }

    @Test("two patterns covering the same words: the one listed first is reported")
    func sameSpan() {
        #expect(find(["(sue|sued) you", "sue you"], in: "We sue you.") == [Found(text: "sue you", pattern: 0)])
        #expect(find(["sue you", "(sue|sued) you"], in: "We sue you.") == [Found(text: "sue you", pattern: 0)])
        #expect(find(["sue you", "(sue|sued) you"], in: "We sued you.") == [Found(text: "sued you", pattern: 1)])
    }

    @Test("when a guard refuses the longest match, a shorter one from the same start is taken")
    func guardFallsBack() {
        #expect(find(["find you !<any>", "find"], in: "We'll find you a plan.") == [Found(text: "find", pattern: 1)])
        #expect(find(["find you !<any>", "find"], in: "We'll find you.") == [Found(text: "find you", pattern: 0)])
        #expect(texts(["!bought from <name>"], in: "Bought from Acme, from Acme.") == ["from Acme"])
    }

    @Test("optional words and repetition: the longest reading is taken")
    func greedy() {
        #expect(texts(["<name>+ is"], in: "Acme Recovery Services is here") == ["Acme Recovery Services is"])
        #expect(texts(["your? car"], in: "take your car") == ["your car"])
        #expect(texts(["( very )* bad"], in: "very very very bad, bad") == ["very very very bad", "bad"])
    }

    // MARK: Edges

    @Test(
        "no text, only white space or only punctuation: no word, so no word pattern matches",
        arguments: ["", " \n\t ", "?!..,;"])
    func emptyInput(text: String) {
        let (phrases, message) = compile(["<any>", "sue you", "sue"], text)
        #expect(!message.tokens.contains { $0.isWord })
        #expect(phrases.matches(in: message).isEmpty)
        #expect(!phrases.containsMatch(in: message))
    }

    @Test("an empty message has no tokens and no sentences; punctuation alone still matches punctuation patterns")
    func punctuationOnly() {
        let (phrases, message) = compile([". ."], "")
        #expect(message.tokens.isEmpty && message.sentences.isEmpty)
        #expect(phrases.matches(in: message).isEmpty)
        #expect(texts([". ."], in: "?!..,;") == [".."])
    }

    @Test("firstOnly stops at the first match; containsMatch says whether there is one; a token range bounds it")
    func firstOnlyAndRanges() {
        let text = "We sue you. They sue you. Nobody sues you."
        #expect(find(["sue you"], in: text, firstOnly: true).map(\.text) == ["sue you"])
        let (phrases, message) = compile(["sue you"], text)
        #expect(phrases.containsMatch(in: message))
        let second = message.sentences[1]
        #expect(phrases.matches(in: message, tokens: second).map(\.first) == [second.lowerBound + 1])
        #expect(!phrases.containsMatch(in: message, tokens: message.sentences[2]))
        // A range that ends inside a phrase cuts it off.
        #expect(!phrases.containsMatch(in: message, tokens: 0..<2))
    }

    @Test("a match is at most maximumLength tokens: a long run of words is cut into pieces of that length")
    func maximumLength() {
        let words = (1...40).map { "Word\($0)" }.joined(separator: " ")
        let (phrases, message) = compile(["<name>+"], words)
        let lengths = phrases.matches(in: message).map { $0.last - $0.first + 1 }
        #expect(PhraseSet.maximumLength == 16)
        #expect(lengths == [16, 16, 8])
        #expect(find(["word1 ( <any> )* word20"], in: words).isEmpty)
    }

    @Test("a long text (about 100 KB): every phrase is found, in order, at its place, and nothing else")
    func longInput() {
        let filler = "Please call our office about your account when you can, any weekday between nine and five. "
        var text = ""
        var expected: [(text: String, start: Int)] = []
        for index in 0..<1_100 {
            if index % 100 == 37 {
                if index % 200 == 37 {
                    text += "So WE WILL "
                    expected.append(("SUE YOU", text.utf16.count))
                    text += "SUE YOU now. "
                } else {
                    text += "So we "
                    expected.append(("take   your car", text.utf16.count))
                    text += "take   your car now. "
                }
            }
            text += filler
        }
        #expect(text.utf8.count > 100_000)
        let (phrases, message) = compile(["sue you", "take your (car|house)", "sue"], text)
        let matches = phrases.matches(in: message)
        #expect(matches.map { message.excerpt(message.range(of: $0)) } == expected.map(\.text))
        #expect(matches.map { message.tokens[$0.first].start } == expected.map(\.start))
        #expect(matches.map(\.pattern) == expected.map { $0.text == "SUE YOU" ? 0 : 1 })
    }
}
