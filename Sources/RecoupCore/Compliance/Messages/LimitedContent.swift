import Foundation

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
    private static func list(_ items: [String]) -> String {
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
