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

    /// The finding's sentence for a message in `language`: always English (the staff read it), but where it suggests
    /// wording, the wording is in the message's language.
    func message(in language: MessageLanguage) -> String {
        switch (self, language) {
        case (.miniMiranda, .es):
            #"Does not say it is from a debt collector; add "Esta comunicación es de un cobrador de deudas" (this communication is from a debt collector) or "Es un intento de cobrar una deuda" (FDCPA 807(11), 15 U.S.C. 1692e(11); 12 CFR 1006.18(e))."#
        case (.optOut, .es):
            #"Does not say how to stop these emails or texts; add a clear opt-out such as "Para dejar de recibir estos mensajes, responda STOP" (12 CFR 1006.6(e))."#
        default: message
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
