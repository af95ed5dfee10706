import Foundation

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
/// Spanish (`language: .es`): the same rule ids, severities, certainty and negation policies and channels, over a
/// Spanish catalog built on first use. Forbidden content is matched in Spanish and in English (a threat is a threat
/// in either language inside a Spanish message); required content must be in Spanish ("Esta comunicación es de un
/// cobrador de deudas", "su cuenta con…", "llámenos", "responda STOP"). Matching ignores accents, tildes and
/// diaereses ("prision" matches "prisión"); ¿ and ¡ open a clause for negation; the negators are "no", "nunca",
/// "jamás", "tampoco", "ni", "sin"…, and "si no paga, …" is a condition. The findings' sentences stay in English for
/// the staff; the excerpts are the Spanish words. The English catalog is untouched by all of this.
///
/// Channels: letters, emails and texts need identity, the mini-Miranda, the creditor, an amount and a way to reply;
/// emails and texts also an opt-out. A voicemail is first tested as a limited-content message (a business name that
/// does not reveal debt collection, a natural person's name, a request to reply and a telephone number, with nothing
/// else of substance); if it is one, only forbidden content is checked. Otherwise it is a communication: the
/// `not-limited-content` warning names what broke it, and identity, the mini-Miranda and a way to reply are required
/// (creditor and amount are warnings).
public enum MessageLint {
    /// Checks `text` as a message sent by `channel`, written in `language`.
    public static func check(_ text: String, channel: MessageChannel, language: MessageLanguage = .en) -> LintResult {
        let catalog = Catalog.of(language)
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
    private static func forbiddenFindings(
        in message: MessageText, channel: MessageChannel, catalog: Catalog
    ) -> [PlacedFinding] {
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
    private static func missingFindings(
        in message: MessageText, catalog: Catalog, required: [(RequiredElement, LintSeverity)]
    ) -> [PlacedFinding] {
        required.compactMap { element, severity in
            element.isPresent(in: message, catalog: catalog)
                ? nil
                : PlacedFinding(
                    location: .max,
                    finding: LintFinding(
                        rule: element.rule, severity: severity, excerpt: nil,
                        message: element.message(in: catalog.language))
                )
        }
    }
}

/// A finding with the UTF-16 offset it sorts by (`Int.max` when it has no place in the text).
struct PlacedFinding {
    var location: Int
    var finding: LintFinding
}
