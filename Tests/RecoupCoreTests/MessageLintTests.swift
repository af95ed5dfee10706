import Foundation
import Testing

@testable import RecoupCore

/// The forbidden-content rule ids.
private let forbiddenRules: Set<String> = [
    "threat-violence", "threat-arrest", "threat-seizure", "threat-lawsuit", "threat-implied", "profanity",
    "false-government", "false-attorney", "shaming", "postcard",
]

/// The required-content rule ids.
private let missingRules: Set<String> = [
    "missing-identity", "missing-mini-miranda", "missing-creditor", "missing-amount", "missing-reply",
    "missing-opt-out",
]

private func forbiddenFindings(_ text: String, channel: MessageChannel = .letter) -> [LintFinding] {
    MessageLint.check(text, channel: channel).findings.filter { forbiddenRules.contains($0.rule) }
}

private func missing(_ text: String, channel: MessageChannel) -> Set<String> {
    Set(MessageLint.check(text, channel: channel).findings.map(\.rule).filter(missingRules.contains))
}

/// Compliant model messages, one per channel.
private enum Model {
    static let letter = """
        Dear John Doe,

        ABC Recovery Services is a debt collector. We are trying to collect a debt that you owe to Acme Bank. We will \
        use any information you give us to help collect the debt.

        As of April 1, 2026, you owe $1,234.56.

        Call us at (617) 555-0100 or write to us at PO Box 1234, Boston, MA 02101 to dispute the debt or to set up a \
        payment plan. You may dispute all or part of the debt.

        Sincerely,
        Jane Smith
        ABC Recovery Services
        """
    static let email = """
        From ABC Recovery Services: This communication is from a debt collector. Your account with Acme Bank has a \
        balance of $1,234.56. Pay online at https://pay.abcrecovery.example.com or call (617) 555-0100. To stop \
        receiving emails from us, click unsubscribe.
        """
    static let sms =
        "ABC Recovery: This is an attempt to collect a debt by a debt collector. Your Acme Bank balance is $250.00. Call 617-555-0100. Reply STOP to opt out."
    static let voicemail =
        "Hi, this is Jane Smith from ABC Services. Please call me back at 617-555-0100. You can reach any of our representatives between 9 and 5."
}

@Suite("Message lint: forbidden content")
struct MessageLintForbiddenTests {
    @Test(
        "real-world threats and abuse are flagged with the right rule and excerpt",
        arguments: [
            // Arrest, jail, criminal charges.
            ("If you don't pay, you'll go to jail.", "threat-arrest", "go to jail"),
            ("A warrant has been issued for your arrest.", "threat-arrest", "warrant"),
            ("Officers will be dispatched to your home.", "threat-arrest", "Officers will be dispatched"),
            ("The sheriff will come to collect.", "threat-arrest", "sheriff"),
            ("You will be arrested if this is not resolved.", "threat-arrest", "arrested"),
            ("We will press charges for check fraud.", "threat-arrest", "press charges"),
            ("This matter may result in criminal prosecution.", "threat-arrest", "criminal prosecution"),
            ("You could face criminal charges.", "threat-arrest", "criminal charges"),
            ("We will have you put in prison.", "threat-arrest", "prison"),
            ("Police will be notified.", "threat-arrest", "Police"),
            ("You'll be sent to jail.", "threat-arrest", "sent to jail"),
            ("They will put you in handcuffs.", "threat-arrest", "handcuffs"),
            ("Writing bad checks is check fraud.", "threat-arrest", "check fraud"),
            ("You could be deported.", "threat-arrest", "deported"),
            // Seizure, garnishment, repossession.
            ("We'll take your car.", "threat-seizure", "take your car"),
            ("Your wages will be garnished starting next week.", "threat-seizure", "Your wages will be garnished"),
            ("We will garnish your wages.", "threat-seizure", "garnish"),
            ("We can seize your property.", "threat-seizure", "seize"),
            ("Your car will be repossessed on Friday.", "threat-seizure", "Your car will be repossessed"),
            ("We will put a lien on your house.", "threat-seizure", "lien"),
            ("We will freeze your bank account today.", "threat-seizure", "freeze your bank account"),
            ("You could lose your house over this.", "threat-seizure", "lose your house"),
            ("Expect a wage garnishment order.", "threat-seizure", "garnishment"),
            // Lawsuits.
            ("Final notice before we file suit.", "threat-lawsuit", "file suit"),
            ("We will sue you.", "threat-lawsuit", "sue you"),
            ("Legal action will be taken if you do not respond.", "threat-lawsuit", "Legal action"),
            ("We may take legal action.", "threat-lawsuit", "legal action"),
            ("If you don't pay we will take you to court.", "threat-lawsuit", "take you to court"),
            ("You will be served with a summons.", "threat-lawsuit", "summons"),
            ("A lawsuit may be filed against you.", "threat-lawsuit", "lawsuit"),
            ("Don't make us sue you.", "threat-lawsuit", "sue you"),
            ("If we don't hear from you, we will sue you.", "threat-lawsuit", "sue you"),
            ("This is your last chance before litigation.", "threat-lawsuit", "litigation"),
            ("We will obtain a default judgment.", "threat-lawsuit", "obtain a default judgment"),
            // Veiled threats.
            ("Pay or else.", "threat-implied", "or else"),
            ("You'll regret ignoring us.", "threat-implied", "You'll regret"),
            ("We will get you fired.", "threat-implied", "get you fired"),
            ("Things will get ugly.", "threat-implied", "Things will get ugly"),
            ("You’ll be sorry.", "threat-implied", "You’ll be sorry"),
            ("We will make your life miserable.", "threat-implied", "make your life miserable"),
            // Violence.
            ("We know where you live.", "threat-violence", "We know where you live"),
            ("We'll break your legs.", "threat-violence", "break your legs"),
            ("Somebody might pay you a visit.", "threat-violence", "pay you a visit"),
            ("We will hunt you down.", "threat-violence", "hunt you down"),
            ("Something bad will happen.", "threat-violence", "Something bad will happen"),
            ("We'll show up at your job.", "threat-violence", "show up at your job"),
            // Profanity and insults.
            ("You are a deadbeat.", "profanity", "deadbeat"),
            ("Stop lying, you liar.", "profanity", "liar"),
            ("Pay up, you loser.", "profanity", "loser"),
            ("You people are scum.", "profanity", "scum"),
            ("Don't be an idiot.", "profanity", "idiot"),
            ("What the hell is wrong with you?", "profanity", "the hell"),
            ("Pay your damn bill.", "profanity", "damn"),
            ("You worthless bum.", "profanity", "worthless"),
            // Government and lawyers that are not there.
            ("This is the IRS.", "false-government", "This is the IRS"),
            ("I am a federal agent.", "false-government", "federal agent"),
            ("We are working with a government agency.", "false-government", "government agency"),
            ("Law enforcement has been informed.", "false-government", "Law enforcement"),
            ("This call is from the Department of Justice.", "false-government", "from the Department of Justice"),
            ("Your file has been forwarded to our attorneys.", "false-attorney", "forwarded to our attorneys"),
            ("This is the legal department.", "false-attorney", "legal department"),
            ("Our lawyers are reviewing your file.", "false-attorney", "Our lawyers"),
            ("We are attorneys and will proceed.", "false-attorney", "We are attorneys"),
            ("This is the attorney's office.", "false-attorney", "attorney's office"),
            ("Your account is in pre-legal status.", "false-attorney", "pre-legal"),
            // Shaming and telling others.
            ("We will tell your employer about this debt.", "shaming", "tell your employer"),
            ("We will call your neighbors.", "shaming", "call your neighbors"),
            ("Your family will find out.", "shaming", "Your family will find out"),
            ("We will post your name online.", "shaming", "post your name online"),
            ("We will publish a list of debtors.", "shaming", "publish a list"),
            ("Everyone will know you don't pay your bills.", "shaming", "Everyone will know"),
            ("You should be ashamed of yourself.", "shaming", "ashamed"),
            ("We will contact your boss.", "shaming", "contact your boss"),
            ("How embarrassing would that be?", "shaming", "embarrassing"),
            // More phrasings collectors have used.
            ("We are filing a lawsuit against you tomorrow.", "threat-lawsuit", "filing a lawsuit"),
            ("You are being investigated for fraud.", "threat-arrest", "investigated for fraud"),
            ("This is a final warning before we contact the authorities.", "threat-arrest", "contact the authorities"),
            ("Failure to pay is a crime.", "threat-arrest", "crime"),
            ("We'll send someone to your house.", "threat-violence", "send someone to your house"),
            ("We'll make sure everyone at your church knows.", "shaming", "everyone at your church knows"),
            ("We'll text your mom.", "shaming", "text your mom"),
            ("A judgment will be entered against you.", "threat-lawsuit", "judgment will be entered"),
            ("Attorneys will be contacting you.", "false-attorney", "Attorneys will be contacting"),
            ("We will report you to the IRS.", "false-government", "report you to the IRS"),
            ("This is an official notice from the government.", "false-government", "official notice"),
            ("Your case has been escalated to our legal department.", "false-attorney", "escalated to our legal"),
            ("Pay this now you piece of shit.", "profanity", "shit"),
        ])
    func flagged(text: String, rule: String, excerpt: String) throws {
        let findings = forbiddenFindings(text)
        let finding = try #require(findings.first { $0.rule == rule }, "no \(rule) in \(findings.map(\.rule))")
        #expect(finding.excerpt == excerpt)
        #expect(text.contains(excerpt))
        #expect(!MessageLint.check(text, channel: .letter).ok || finding.severity == .warning)
    }

    @Test(
        "ordinary compliant text is not flagged",
        arguments: [
            "We will not sue you.",
            "We cannot sue you because of the age of the debt.",
            "The law limits how long you can be sued on a debt. Because of the age of your debt, Acme Bank cannot sue you for it.",
            "You will not be arrested and you cannot go to jail for this debt.",
            "Debt collectors cannot have you arrested for unpaid consumer debt.",
            "We are not a law firm and no attorney has reviewed your account.",
            "We are not a government agency.",
            "We will never contact your employer about this debt.",
            "We will not garnish your wages.",
            "No legal action will be taken on this account.",
            "We have decided not to pursue legal action.",
            "This is not a threat of legal action.",
            "You may dispute all or part of the debt.",
            "Call us at 617-555-0100.",
            "You can pay in full or set up a payment plan.",
            "As a courtesy, we are offering a 20% discount.",
            "Our office is at 45 Oak Court, Springfield, MA.",
            "Please call us at your convenience.",
            "Our hours are Monday to Friday, 9 a.m. to 5 p.m.",
            "You have the right to ask us to stop contacting you.",
            "We're happy to help you find a plan that works for you.",
            "We'll find you a payment plan that fits your budget.",
            "We will get you a payoff letter the same day.",
            "This communication is from a debt collector.",
            "If you have questions, contact the Consumer Financial Protection Bureau at www.consumerfinance.gov.",
            "Thank you for your prompt attention.",
            "You don't need to be embarrassed; many people fall behind.",
            "We can help you avoid late fees.",
            "Your account has been assigned to us for collection.",
            "We're not allowed to tell anyone else about your debt.",
            "We will not post anything about you online.",
            "Nothing will be reported to your employer, family or friends.",
            "You may request the name and address of the original creditor.",
            "Send your payment to PO Box 1234, Boston, MA 02101.",
            "We assess no interest or fees.",
            "Settlement offers are available through the end of the month.",
            "If you are a servicemember, you may have additional protections.",
            "Hello! We pursue every option to resolve accounts fairly.",
            "There is an issue with your address on file; please confirm it.",
            "Your account is in arrears of $40.",
            "Class action notice: see the enclosed form.",
            "Smith & Associates, Inc. is a debt collector.",
            "Hell's Kitchen Dental is the original creditor.",
            "If you are a servicemember, you may be protected from legal action under the Servicemembers Civil Relief Act.",
            "This collection agency is licensed by the Department of Financial Services of the City of New York.",
            "Calls to or from this company may be monitored or recorded.",
            "Go to www.cfpb.gov/debt-collection to learn more about your rights under federal law.",
            "If you write to us by March 15, we must stop collection on any amount you dispute.",
            "We accept payment by check, money order, debit card or bank transfer.",
        ])
    func compliant(text: String) {
        #expect(forbiddenFindings(text).isEmpty, "\(forbiddenFindings(text))")
    }

    @Test(
        "a lawsuit or seizure stated as certain or imminent is an error; a hedged one a warning",
        arguments: [
            ("We may take legal action.", "threat-lawsuit", LintSeverity.warning),
            ("Legal action may be taken.", "threat-lawsuit", .warning),
            ("A lawsuit could be filed.", "threat-lawsuit", .warning),
            ("We will take legal action.", "threat-lawsuit", .error),
            ("Legal action will be taken today.", "threat-lawsuit", .error),
            ("We're going to file a lawsuit.", "threat-lawsuit", .error),
            ("We'll sue you.", "threat-lawsuit", .error),
            ("A lawsuit has been filed against you.", "threat-lawsuit", .error),
            ("Final notice: legal action pending.", "threat-lawsuit", .error),
            ("Pay within 48 hours to avoid a lawsuit.", "threat-lawsuit", .error),
            ("Respond immediately to avoid court.", "threat-lawsuit", .error),
            ("We can garnish your wages.", "threat-seizure", .warning),
            ("Your car might be repossessed.", "threat-seizure", .warning),
            ("We will garnish your wages.", "threat-seizure", .error),
            ("Your wages will be garnished tomorrow.", "threat-seizure", .error),
        ])
    func certainty(text: String, rule: String, severity: LintSeverity) throws {
        let finding = try #require(forbiddenFindings(text).first { $0.rule == rule })
        #expect(finding.severity == severity)
        #expect(finding.message.contains("1692e"))
    }

    @Test(
        "negation: a negator close before the phrase excuses it, one that governs a condition does not",
        arguments: [
            ("We will not sue you.", false),
            ("We won’t sue you.", false),
            ("We can't take you to court.", false),
            ("You will never be arrested.", false),
            ("We have no intention of garnishing your wages.", false),
            ("If you do not pay, we will sue you.", true),
            ("If you don't pay we will sue you.", true),
            ("If we don't receive payment, legal action will follow.", true),
            ("Don't make us take legal action.", true),
            ("We will not wait; we will sue you.", true),
            ("We are not sending this to a lawyer, but we will sue you.", true),
        ])
    func negation(text: String, flagged: Bool) {
        #expect(forbiddenFindings(text).isEmpty == !flagged, "\(forbiddenFindings(text))")
    }

    @Test("profanity is never excused by a negator")
    func profanityIgnoresNegation() {
        #expect(forbiddenFindings("You are not a deadbeat, are you?").map(\.rule) == ["profanity"])
    }

    @Test("a postcard is flagged in a letter only")
    func postcard() {
        let text = "We are sending you this postcard about your account."
        #expect(forbiddenFindings(text, channel: .letter).map(\.rule) == ["postcard"])
        #expect(forbiddenFindings(text, channel: .sms).isEmpty)
        #expect(
            forbiddenFindings("Please see the post card we mailed.", channel: .letter).first?.excerpt == "post card")
    }

    @Test("one finding per rule and sentence, but every sentence counts")
    func onePerSentence() {
        let findings = forbiddenFindings("You will be arrested and go to jail. The police will arrest you.")
        #expect(findings.map(\.rule) == ["threat-arrest", "threat-arrest"])
        #expect(findings.map(\.excerpt) == ["arrested", "police"])
    }

    @Test(
        "word boundaries: a forbidden word inside another word does not match",
        arguments: [
            "courtesy", "pursued", "arrears", "assessment", "Hello", "tissue", "scumble", "hellos", "jailbreak app",
            "Sussex", "bastardized recipe",
        ])
    func wordBoundaries(word: String) {
        #expect(forbiddenFindings("The \(word) applies.").isEmpty, "\(forbiddenFindings(word))")
    }

    @Test("matching ignores case and typographic quotes")
    func caseAndQuotes() {
        #expect(forbiddenFindings("WE WILL SUE YOU.").first?.excerpt == "SUE YOU")
        #expect(forbiddenFindings("We’ll Take Your Car.").first?.excerpt == "Take Your Car")
        #expect(forbiddenFindings("You won’t be arrested.").isEmpty)
    }
}

@Suite("Message lint: required content")
struct MessageLintRequiredTests {
    @Test(
        "the model letter, email and text pass with no findings",
        arguments: [
            (MessageChannel.letter, Model.letter), (.email, Model.email), (.sms, Model.sms),
        ])
    func models(channel: MessageChannel, text: String) {
        let result = MessageLint.check(text, channel: channel)
        #expect(result.ok)
        #expect(result.findings.isEmpty, "\(result.findings)")
        #expect(result.limitedContent == nil)
    }

    /// (channel, text, the missing-* rules expected).
    static let missingCases: [(MessageChannel, String, Set<String>)] = [
        (
            MessageChannel.letter, "Hello.",
            Set(["missing-identity", "missing-mini-miranda", "missing-creditor", "missing-amount", "missing-reply"])
        ),
        (.sms, "Hello.", missingRules),
        (.email, "Hello.", missingRules),
        (.sms, "Hi, your account is past due. Please pay now.", missingRules),
        (.letter, "ABC Recovery is a debt collector. You owe $90.00 to Acme Bank.", ["missing-reply"]),
        (.letter, "ABC Recovery is a debt collector. You owe Acme Bank. Call 617-555-0100.", ["missing-amount"]),
        (.letter, "ABC Recovery: you owe $90.00 to Acme Bank. Call 617-555-0100.", ["missing-mini-miranda"]),
        (
            .letter, "This is an attempt to collect a debt. You owe $90.00 to Acme Bank. Call 617-555-0100.",
            ["missing-identity"]
        ),
        (.letter, "ABC Recovery is a debt collector. Your balance is $90.00. Call 617-555-0100.", ["missing-creditor"]),
        (
            .sms, "ABC Recovery is a debt collector. You owe $90.00 to Acme Bank. Call 617-555-0100.",
            ["missing-opt-out"]
        ),
        (
            .email,
            "ABC Recovery is a debt collector. You owe $90.00 to Acme Bank. Call 617-555-0100. You cannot opt out of these emails.",
            ["missing-opt-out"]
        ),
        (
            .email,
            "Please do not reply to this email. ABC Recovery is a debt collector. You owe $90.00 to Acme Bank. Unsubscribe anytime.",
            ["missing-reply"]
        ),
        (
            .letter, "ABC Recovery: we are not a debt collector. You owe $90.00 to Acme Bank. Call 617-555-0100.",
            ["missing-mini-miranda"]
        ),
    ]

    @Test("each channel requires its elements", arguments: missingCases)
    func missingElements(channel: MessageChannel, text: String, expected: Set<String>) {
        #expect(missing(text, channel: channel) == expected)
        let findings = MessageLint.check(text, channel: channel).findings.filter { missingRules.contains($0.rule) }
        #expect(findings.allSatisfy { $0.excerpt == nil && $0.severity == .error })
    }

    @Test("a letter never needs an opt-out")
    func letterHasNoOptOut() {
        #expect(!missing("Hello.", channel: .letter).contains("missing-opt-out"))
    }

    @Test(
        "who is writing is recognised in common forms",
        arguments: [
            "This is Jane Smith with ABC Recovery.", "My name is Jane Smith.", "We are Acme Recovery.",
            "A message from Acme Recovery.", "Calling from Acme Recovery.", "Acme Recovery LLC is a debt collector.",
            "Acme Recovery: your statement is ready.", "Thanks,\nJane Smith", "Sincerely,\n\nAcme Recovery Services",
            "Your statement is ready.\n- Acme Recovery", "From: Acme Recovery",
            "Smith & Jones Associates are collecting a debt.",
        ])
    func identityFound(text: String) {
        #expect(!missing(text, channel: .letter).contains("missing-identity"))
    }

    @Test(
        "a creditor's name alone, or where a debt came from, is not the sender",
        arguments: [
            "Your balance is due.", "This debt was purchased from Acme Bank.", "Subject: your balance",
            "Dear Customer, please call.", "This is an attempt to collect a debt.",
        ])
    func identityMissing(text: String) {
        #expect(missing(text, channel: .letter).contains("missing-identity"))
    }

    @Test(
        "the creditor is recognised in common forms",
        arguments: [
            "Original creditor: Acme Bank", "The creditor is Acme Bank.", "The debt is owed to Acme Bank.",
            "You owe $80 to Riverside Dental.", "You owe Riverside Dental.",
            "We are collecting on behalf of Acme Bank.",
            "Your account with Acme Bank is past due.", "This is about your Acme Visa account.",
            "The debt was purchased from Acme Bank.", "Your balance at Riverside Dental is unpaid.",
        ])
    func creditorFound(text: String) {
        #expect(!missing(text, channel: .letter).contains("missing-creditor"))
    }

    @Test(
        "amounts are money figures with a currency sign, code or word",
        arguments: [
            ("$1,234.56", true), ("$ 80", true), ("$80.5", true), ("USD 1,000", true), ("1,234.56 USD", true),
            ("€99,00", true),
            ("£12", true), ("500 dollars", true), ("Your balance is 1234.", false), ("Call 617-555-0100.", false),
            ("Account 123456.", false), ("On April 1, 2026.", false),
        ])
    func amounts(text: String, found: Bool) {
        #expect(missing(text, channel: .letter).contains("missing-amount") == !found)
    }

    @Test(
        "ways to reply: telephone numbers, addresses, email, links, phrases",
        arguments: [
            "(617) 555-0100", "617-555-0100", "617.555.0100", "+1 617 555 0100", "1-800-555-0199", "1-800-PAY-ACME",
            "+44 20 7946 0958", "help@abcrecovery.example.com", "https://abcrecovery.example.com/pay",
            "www.abcrecovery.com",
            "abcrecovery.com", "Call us today.", "Write to us.", "Please reply to this message.", "PO Box 1234",
            "P.O. Box 99", "120 Main Street", "Give us a call.",
        ])
    func replyFound(text: String) {
        #expect(!missing(text, channel: .letter).contains("missing-reply"))
    }

    @Test(
        "opt-out phrasings",
        arguments: [
            ("Reply STOP to opt out.", true), ("Text STOP to end.", true), ("Reply “STOP” to cancel.", true),
            ("Unsubscribe", true), ("To stop receiving emails from us, click here.", true),
            ("You may opt-out at any time.", true),
            ("Stop by our office.", false), ("You cannot opt out.", false), ("Reply to this message.", false),
        ])
    func optOut(text: String, found: Bool) {
        #expect(missing(text, channel: .sms).contains("missing-opt-out") == !found)
    }
}

@Suite("Message lint: voicemail and limited-content messages")
struct MessageLintVoicemailTests {
    @Test(
        "limited-content messages (12 CFR 1006.2(j)) are recognised",
        arguments: [
            Model.voicemail,
            "Hi, this is Jane Smith from ABC Services. Please call me back at 617-555-0100.",
            "Hello, this message is for John Doe. This is Maria Lopez with Northwind Partners. Please return my call at 1-800-555-0199, Monday through Friday, 8 a.m. to 8 p.m. Thank you.",
            "Good afternoon. It's Tom Brown at Harbor Associates. Give me a call at (212) 555-0147 when you can. Any of our representatives can help.",
            "Hi John, my name is Jane A. Smith and I'm calling from Northwind Partners. You can reach me at 617-555-0100. Thanks!",
            "This is Jane Smith with Acme Financial; please call me at 617 555 0100 on Tuesday after 10 AM.",
        ])
    func limited(text: String) {
        let result = MessageLint.check(text, channel: .voicemail)
        #expect(result.limitedContent == true)
        #expect(result.ok)
        #expect(result.findings.isEmpty, "\(result.findings)")
    }

    @Test(
        "messages that say more are not limited-content, and the finding names what broke them",
        arguments: [
            (
                "Hi, this is Jane Smith from ABC Services calling about your debt. Please call me back at 617-555-0100.",
                "what the call is about", "about your"
            ),
            (
                "Hi, this is Jane Smith from ABC Collections. Please call me back at 617-555-0100.", "debt collection",
                "Collections"
            ),
            (
                "Hi, this is Jane Smith from ABC Services. Please call me back at 617-555-0100 about a balance of $500.",
                "a balance", "about a"
            ),
            (
                "Hi, this is Jane Smith from ABC Services. You owe $500. Please call me back at 617-555-0100.",
                "an amount of money", "owe"
            ),
            (
                "Hi, this is Jane Smith from ABC Services regarding an important matter. Please call me back at 617-555-0100.",
                "what the call is about", "regarding"
            ),
            (
                "Hi, this is Jane Smith from ABC Services. Please call me back at 617-555-0100 or visit abcservices.com.",
                "a website or email address", "abcservices.com"
            ),
            ("Hi, this is Jane Smith from Acme Debt Solutions. Please call me back at 617-555-0100.", "a debt", "Debt"),
            (
                "Hi, this is Jane Smith from ABC Services. We need to discuss your payment. Please call me back at 617-555-0100.",
                "a payment", "payment"
            ),
            (
                "Hi, this is Jane Smith from ABC Services about your Acme Bank credit card. Please call me back at 617-555-0100.",
                "the creditor or a credit product", "about your"
            ),
            (
                "Hi, this is Jane Smith from ABC Services. Call me back at 617-555-0100 or you will be arrested.",
                "a legal matter", "arrested"
            ),
            (
                "Hi, this is Jane Smith from ABC Services. Please call me back at 617-555-0100 about your account.",
                "an account", "about your"
            ),
        ])
    func notLimited(text: String, reason: String, excerpt: String) throws {
        let result = MessageLint.check(text, channel: .voicemail)
        #expect(result.limitedContent == false)
        let finding = try #require(result.findings.first { $0.rule == "not-limited-content" })
        #expect(finding.severity == .warning)
        #expect(finding.message.contains(reason), "\(finding.message)")
        #expect(finding.message.contains("1006.2(j)"))
        #expect(finding.excerpt == excerpt)
    }

    @Test(
        "a voicemail lacking a required element is not limited-content, and the finding says what is missing",
        arguments: [
            ("Hi, this is ABC Services. Please call 617-555-0100.", "a natural person's name"),
            ("Hi, this is Jane Smith. Please call me back at 617-555-0100.", "a business name"),
            ("Hi, this is Jane Smith from ABC Services. Thanks!", "a telephone number"),
            ("Hi, this is Jane Smith from ABC Services, 617-555-0100.", "a request to reply"),
            ("Hi, this is Acme Services. Please call 617-555-0100.", "a natural person's name"),
        ])
    func lacking(text: String, element: String) throws {
        let result = MessageLint.check(text, channel: .voicemail)
        #expect(result.limitedContent == false)
        let finding = try #require(result.findings.first { $0.rule == "not-limited-content" })
        #expect(finding.message.contains("lacks"))
        #expect(finding.message.contains(element), "\(finding.message)")
        #expect(finding.excerpt == nil)
    }

    @Test(
        "a voicemail that is a communication needs identity, the mini-Miranda and a way to reply; creditor and amount warn"
    )
    func communicationRequirements() {
        let bare = MessageLint.check(
            "Hi, this is Jane Smith from ABC Services about your debt. Please call me back at 617-555-0100.",
            channel: .voicemail)
        #expect(!bare.ok)
        let severities = Dictionary(uniqueKeysWithValues: bare.findings.map { ($0.rule, $0.severity) })
        #expect(
            severities == [
                "not-limited-content": .warning, "missing-mini-miranda": .error, "missing-creditor": .warning,
                "missing-amount": .warning,
            ])

        let full = MessageLint.check(
            "Hi, this is Jane Smith from ABC Services, a debt collector. This is an attempt to collect a debt. Please call me back at 617-555-0100 about your Acme Bank account with a balance of $420.10.",
            channel: .voicemail)
        #expect(full.ok)
        #expect(full.limitedContent == false)
        #expect(full.findings.map(\.rule) == ["not-limited-content"])
    }

    @Test("forbidden content in a voicemail is reported and breaks limited content")
    func forbiddenInVoicemail() {
        let result = MessageLint.check(
            "Hi, this is Jane Smith from ABC Services. Call me back at 617-555-0100, you deadbeat.", channel: .voicemail
        )
        #expect(result.limitedContent == false)
        #expect(!result.ok)
        #expect(result.findings.contains { $0.rule == "profanity" && $0.excerpt == "deadbeat" })
        #expect(
            result.findings.first { $0.rule == "not-limited-content" }?.message.contains(
                "threatening or abusive words (\"deadbeat\")") == true)
    }

    @Test("limitedContent is nil for every channel but voicemail", arguments: MessageChannel.allCases)
    func limitedOnlyForVoicemail(channel: MessageChannel) {
        let result = MessageLint.check(Model.voicemail, channel: channel)
        #expect((result.limitedContent != nil) == (channel == .voicemail))
    }
}

@Suite("Message lint: results")
struct MessageLintResultTests {
    /// Every text used in these tests, for properties that hold of all results.
    static let corpus: [String] = [
        Model.letter, Model.email, Model.sms, Model.voicemail, "", "   ", "We will sue you.",
        "We may take legal action.",
        "Pay or else, you deadbeat. We'll take your car today!",
        "Hi, this is Jane Smith from ABC Services about your debt.",
        "😀 Hey — you’ll go to jail 🚔 unless you pay £5.",
    ]

    @Test("ok is false exactly when some finding is an error", arguments: MessageLintResultTests.corpus)
    func okSemantics(text: String) {
        for channel in MessageChannel.allCases {
            let result = MessageLint.check(text, channel: channel)
            #expect(result.ok == !result.findings.contains { $0.severity == .error })
        }
    }

    @Test("warnings alone leave the message ok")
    func warningsOnly() {
        let result = MessageLint.check(
            Model.letter.replacingOccurrences(of: "You may dispute", with: "We may take legal action. You may dispute"),
            channel: .letter)
        #expect(result.ok)
        #expect(result.findings.map(\.rule) == ["threat-lawsuit"])
        #expect(result.findings.first?.severity == .warning)
    }

    @Test(
        "findings are ordered by position, then rule, with missing elements last",
        arguments: MessageLintResultTests.corpus)
    func ordering(text: String) throws {
        for channel in MessageChannel.allCases {
            let findings = MessageLint.check(text, channel: channel).findings
            let placed = findings.prefix { $0.excerpt != nil }
            let unplaced = findings.dropFirst(placed.count)
            #expect(unplaced.allSatisfy { $0.excerpt == nil })
            #expect(unplaced.map(\.rule) == unplaced.map(\.rule).sorted())
            let offsets = try placed.map { try #require(text.range(of: $0.excerpt!)).lowerBound }
            #expect(offsets == offsets.sorted())
        }
    }

    @Test("excerpts are the original slice, with curly quotes, emoji and accents intact")
    func excerptsAreOriginal() {
        let text = "😀 Hey — you’ll go to jail 🚔. Señor, we’ll take your car. Café owner, you’re a “deadbeat”."
        let findings = MessageLint.check(text, channel: .sms).findings.filter { forbiddenRules.contains($0.rule) }
        #expect(findings.map(\.excerpt) == ["go to jail", "take your car", "deadbeat"])
        #expect(findings.map(\.rule) == ["threat-arrest", "threat-seizure", "profanity"])
        let implied = MessageLint.check("Résumé aside, you’ll be sorry.", channel: .sms).findings.first {
            $0.rule == "threat-implied"
        }
        #expect(implied?.excerpt == "you’ll be sorry")
    }

    @Test("every rule id is documented and stable")
    func ruleIDs() {
        #expect(Set(MessageLint.ruleIDs) == forbiddenRules.union(missingRules).union(["not-limited-content"]))
        #expect(MessageLint.ruleIDs.count == Set(MessageLint.ruleIDs).count)
        for text in Self.corpus {
            for channel in MessageChannel.allCases {
                for finding in MessageLint.check(text, channel: channel).findings {
                    #expect(MessageLint.ruleIDs.contains(finding.rule))
                    #expect(finding.message.hasSuffix("."))
                    #expect(
                        finding.message.contains("(") && finding.message.contains(")"),
                        "no citation: \(finding.message)")
                }
            }
        }
    }

    @Test("an empty message lacks everything and crashes nothing", arguments: MessageChannel.allCases)
    func empty(channel: MessageChannel) {
        let result = MessageLint.check("", channel: channel)
        #expect(!result.ok)
        #expect(result.findings.allSatisfy { $0.excerpt == nil })
    }

    @Test("channels and severities keep their raw values")
    func rawValues() {
        #expect(MessageChannel.allCases.map(\.rawValue) == ["voicemail", "sms", "email", "letter"])
        #expect([LintSeverity.error, .warning].map(\.rawValue) == ["error", "warning"])
    }

    @Test("a long run of capitalised words is read without false threats (speed is measured in Benchmarks/)")
    func longCapitals() {
        var text = ""
        while text.utf8.count < 20_000 { text += "ABC RECOVERY SERVICES ACME BANK JANE SMITH BOSTON " }
        let result = MessageLint.check(text, channel: .voicemail)
        #expect(!result.findings.contains { $0.rule.hasPrefix("threat-") || $0.rule == "profanity" })
    }
}

@Suite("Message lint: the word-pattern language")
struct PhraseSetTests {
    /// The texts of every match of `patterns` in `text`.
    func matches(_ patterns: [String], in text: String, crossesSentences: Bool = false) -> [String] {
        var vocabulary = Vocabulary()
        vocabulary.mark(Lexicon.commonCapitals, WordFlags.common)
        vocabulary.mark(Lexicon.businessSuffixes, WordFlags.businessSuffix)
        vocabulary.mark(Lexicon.abbreviations, WordFlags.abbreviation)
        let phrases = PhraseSet(patterns, vocabulary: &vocabulary, crossesSentences: crossesSentences)
        let message = MessageText(text, vocabulary: vocabulary)
        return phrases.matches(in: message).map { message.excerpt(message.range(of: $0)) }
    }

    @Test("words, optional words and alternatives")
    func basics() {
        #expect(matches(["take your? car"], in: "We take your car, we take car.") == ["take your car", "take car"])
        #expect(
            matches(["(sue|take) you (to court)?"], in: "We sue you. We take you to court.") == [
                "sue you", "take you to court",
            ])
        #expect(matches(["debt collector"], in: "A DEBT Collector. A debt-collector.") == ["DEBT Collector"])
    }

    @Test("prefixes, suffixes and lower-case-only words")
    func affixes() {
        #expect(
            matches(["garnish*"], in: "garnish, garnished, garnishment, ungarnished") == [
                "garnish", "garnished", "garnishment",
            ])
        #expect(matches(["*'ll"], in: "We'll see; 'll alone; you’ll") == ["We'll", "you’ll"])
        #expect(matches(["%bill"], in: "Bill paid the bill.") == ["bill"])
    }

    @Test("kinds of words and repetition")
    func kinds() {
        #expect(
            matches(["<name>+ is"], in: "Acme Recovery Services is here; acme is not.") == ["Acme Recovery Services is"]
        )
        #expect(matches(["<number> <name>"], in: "45 Oak and 46 oak") == ["45 Oak"])
        #expect(
            matches(["this is <person> <person>? !<suffix>"], in: "This is Jane Smith. This is Acme Services.") == [
                "This is Jane Smith"
            ])
    }

    @Test("guards on the neighbouring words")
    func guards() {
        #expect(
            matches(["!(bought|purchased) from <name>"], in: "From Acme. Bought from Acme. Purchased from Acme.") == [
                "From Acme"
            ])
        #expect(matches(["find you !<any>"], in: "We'll find you. We'll find you a plan.") == ["find you"])
    }

    @Test("matches stay inside a sentence unless told otherwise, and are leftmost-longest")
    func sentences() {
        #expect(matches(["sue you"], in: "We sue. You pay.").isEmpty)
        #expect(matches(["thanks ,? <name>"], in: "Thanks,\nJane", crossesSentences: true) == ["Thanks,\nJane"])
        #expect(matches(["a", "a b", "a b c"], in: "a b c a b") == ["a b c", "a b"])
        #expect(matches(["mr smith"], in: "Mr. Smith").isEmpty)
        #expect(matches(["mr . smith"], in: "Mr. Smith") == ["Mr. Smith"])
    }
}
