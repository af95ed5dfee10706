import RecoupCore
import Testing

@Suite("Search terms")
struct SearchTermsTests {
    @Test("a debtor's terms are the folded words of the name and each phone's digits and endings")
    func terms() {
        let terms = SearchTerms.terms(
            name: "Müller-Lüdenscheidt, José O'Brien", phones: ["+16175550100", "+442079460018"])
        #expect(
            terms == [
                "muller", "ludenscheidt", "jose", "o", "brien",
                "16175550100", "6175550100", "5550100", "0100",
                "442079460018", "2079460018", "9460018", "0018",
            ])
    }

    @Test("a short phone keeps its endings only where they are shorter than the number")
    func shortPhone() {
        #expect(SearchTerms.terms(name: "", phones: ["+1234567"]) == ["1234567", "4567"])
        #expect(SearchTerms.terms(name: "", phones: ["12"]).isEmpty)
    }

    @Test(
        "typed text: words become prefixes, a written number becomes its digits, a reference is the whole text",
        arguments: [
            ("  Jo SMITH ", ["jo", "smith"], "jo smith"),
            ("(617) 555-0100", ["6175550100"], "(617) 555-0100"),
            ("+1 617 555 0100", ["16175550100"], "+1 617 555 0100"),
            ("HD-10000", ["10000", "hd"], "hd-10000"),
            ("12", ["12"], "12"),
            ("Zoë", ["zoe"], "zoë"),
            ("--", [], "--"),
        ])
    func query(text: String, prefixes: [String], reference: String) {
        let query = SearchTerms.Query(text)
        #expect(query.prefixes == prefixes)
        #expect(query.referencePrefix == reference)
        #expect(!query.isEmpty)
    }

    @Test("blank text looks for nothing; at most four words are used")
    func limits() {
        #expect(SearchTerms.Query("   ").isEmpty)
        #expect(SearchTerms.Query("a b c d e f").prefixes == ["a", "b", "c", "d"])
    }

    @Test(
        "every term that begins with a prefix sorts inside its range, and others outside",
        arguments: ["smi", "61", "zoe"])
    func range(prefix: String) {
        let end = SearchTerms.upperBound(ofPrefix: prefix)
        for term in [prefix, prefix + "th", prefix + "zzzz", prefix + "ü"] {
            #expect(term >= prefix && term < end && Array(term.utf8).lexicographicallyPrecedes(Array(end.utf8)))
        }
        #expect(!(prefix.dropLast() + "~" >= prefix && prefix.dropLast() + "~" < end))
    }
}
