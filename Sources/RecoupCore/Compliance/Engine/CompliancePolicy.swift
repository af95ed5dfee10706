import Foundation

/// Which contact rules apply and with which parameters: one value per client, the defaults being the values of
/// docs/compliance.md.
///
/// A client may switch off or loosen only its own house rules. The legal rules (Regulation F, the holds, the
/// Massachusetts overlay) can be made stricter but never looser: ``validate()`` refuses such a policy.
public struct CompliancePolicy: Hashable, Sendable {
    /// Rules switched off for this client (house rules only).
    public var disabled: Set<RuleID>
    /// Counted calls allowed per debt in `callFrequencyDays` consecutive days (1006.14(b)(2)(i)(A): 7 in 7).
    public var maxCallsPerWeek: Int
    /// Days, counting the conversation's day, in which no call follows a conversation (1006.14(b)(2)(i)(B): 7).
    public var postConversationDays: Int
    /// The longest consent to calls, in days, the day it is received being day 1 (1006.14(b)(3)(i): 7).
    public var consentDays: Int
    /// A second call to one number within this many seconds is a red flag (300).
    public var repeatCallSeconds: Int
    /// The call to one number on one day that is a red flag (the 7th).
    public var redFlagCallsPerNumberPerDay: Int
    /// When contact may be made, local time in every applicable zone (08:00 to 21:00).
    public var contactWindow: ContactWindow
    /// Phone messages per debtor per local day (house rule: 1).
    public var voicemailsPerDay: Int
    /// Collection texts per debtor per local day (house rule: 1).
    public var textsPerDay: Int
    /// Collection texts per debtor in 7 consecutive days (house rule: 3).
    public var textsPerWeek: Int
    /// Collection emails per debtor per local day (house rule: 1).
    public var emailsPerDay: Int
    /// Collector-initiated calls and texts per debt in 7 days for a Massachusetts debtor (940 CMR 7.04(1)(f): 2).
    public var massachusettsPerWeek: Int

    /// The rules of docs/compliance.md with their default values.
    public static let standard = CompliancePolicy(
        disabled: [], maxCallsPerWeek: 7, postConversationDays: 7, consentDays: 7, repeatCallSeconds: 300,
        redFlagCallsPerNumberPerDay: 7, contactWindow: .regulationF, voicemailsPerDay: 1, textsPerDay: 1,
        textsPerWeek: 3, emailsPerDay: 1, massachusettsPerWeek: 2)

    /// The rules a client may switch off: the house rules.
    public static let houseRules: Set<RuleID> = [.voicemailDailyLimit, .textDailyLimit, .emailDailyLimit]

    /// True when the rule is switched on.
    public func isEnabled(_ rule: RuleID) -> Bool { !disabled.contains(rule) }

    /// The first problem with this policy as a sentence, or nil when it is lawful and consistent: a legal rule
    /// switched off, a legal limit loosened, or a parameter out of range.
    public func problem() -> String? {
        let legal = disabled.subtracting(Self.houseRules)
        if let rule = legal.map(\.rawValue).sorted().first {
            return "the rule \(rule) is the law (\(RuleID(rawValue: rule)!.citation)) and cannot be switched off; "
                + "only \(Self.houseRules.map(\.rawValue).sorted().joined(separator: ", ")) can"
        }
        let standard = Self.standard
        let stricterOnly: [(String, Int, Int, Bool)] = [
            ("maxCallsPerWeek", maxCallsPerWeek, standard.maxCallsPerWeek, false),
            ("postConversationDays", postConversationDays, standard.postConversationDays, true),
            ("consentDays", consentDays, standard.consentDays, false),
            ("massachusettsPerWeek", massachusettsPerWeek, standard.massachusettsPerWeek, false),
        ]
        for (name, value, limit, atLeast) in stricterOnly {
            if atLeast ? value < limit : value > limit {
                return "\(name) is \(value); the law allows \(atLeast ? "no fewer" : "no more") than \(limit)"
            }
            if value < 0 || value > 366 { return "\(name) is \(value), outside 0…366" }
        }
        if contactWindow.opens < ContactWindow.regulationF.opens
            || contactWindow.closes > ContactWindow.regulationF.closes
        {
            return
                "the contact window \(contactWindow.opens)–\(contactWindow.closes) is wider than the law's 08:00–21:00"
        }
        if contactWindow.opens >= contactWindow.closes {
            return "the contact window opens at \(contactWindow.opens), not before it closes at \(contactWindow.closes)"
        }
        let counts: [(String, Int)] = [
            ("repeatCallSeconds", repeatCallSeconds), ("redFlagCallsPerNumberPerDay", redFlagCallsPerNumberPerDay),
            ("voicemailsPerDay", voicemailsPerDay), ("textsPerDay", textsPerDay), ("textsPerWeek", textsPerWeek),
            ("emailsPerDay", emailsPerDay),
        ]
        for (name, value) in counts where value < 0 || value > 100_000 {
            return "\(name) is \(value), outside 0…100000"
        }
        return nil
    }
}
