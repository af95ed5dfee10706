import Foundation

/// The stable ids of the contact rules (docs/compliance.md), used in decisions, logs and docs.
public enum RuleID: String, CaseIterable, Codable, Sendable {
    case callFrequency = "call-frequency"
    case postConversation = "post-conversation"
    case callRedFlag = "call-red-flag"
    case quietHours = "quiet-hours"
    case inconvenientTime = "inconvenient-time"
    case inconvenientPlace = "inconvenient-place"
    case cease
    case dispute
    case attorney
    case bankruptcy
    case optOut = "opt-out"
    case voicemailDailyLimit = "voicemail-daily-limit"
    case textDailyLimit = "text-daily-limit"
    case emailDailyLimit = "email-daily-limit"
    case stateFrequency = "state-frequency"
    case validationNotice = "validation-notice"
    case validationPeriod = "validation-period"

    /// The legal source of the rule, or "house rule".
    public var citation: String {
        switch self {
        case .callFrequency: "12 CFR 1006.14(b)(2)(i)(A)"
        case .postConversation: "12 CFR 1006.14(b)(2)(i)(B)"
        case .callRedFlag: "12 CFR 1006.14(b)(2)(i), comment 14(b)(2)(i)-2"
        case .quietHours: "12 CFR 1006.6(b)(1)(i)"
        case .inconvenientTime: "12 CFR 1006.6(b)(1), comment 6(b)(1)-1"
        case .inconvenientPlace: "12 CFR 1006.6(b)(1)(ii), (b)(3)"
        case .cease: "12 CFR 1006.6(c)"
        case .dispute: "12 CFR 1006.38"
        case .attorney: "12 CFR 1006.6(b)(2)"
        case .bankruptcy: "11 U.S.C. 362"
        case .optOut: "12 CFR 1006.14(h), 1006.6(e)"
        case .voicemailDailyLimit, .textDailyLimit, .emailDailyLimit: "house rule"
        case .stateFrequency: "209 CMR 18.16(1)(d), 940 CMR 7.04(1)(f)"
        case .validationNotice: "12 CFR 1006.34(a)(1)"
        case .validationPeriod: "12 CFR 1006.34(b)(5); 15 U.S.C. 1692g(b)"
        }
    }
}

/// What a rule, or a whole decision, says about a proposed contact. Ordered from least to most restrictive.
public enum Verdict: String, CaseIterable, Codable, Comparable, Sendable {
    case allow, review, block

    private var rank: Int {
        switch self {
        case .allow: 0
        case .review: 1
        case .block: 2
        }
    }

    public static func < (lhs: Verdict, rhs: Verdict) -> Bool { lhs.rank < rhs.rank }
}

/// One rule that fired, explained for a collector.
public struct RuleFinding: Hashable, Sendable {
    /// Which rule.
    public var rule: RuleID
    /// What it says: review or block.
    public var effect: Verdict
    /// A sentence a collector understands, with the facts that made the rule fire.
    public var reason: String
    /// The earliest instant this rule alone would allow the same contact; nil when nothing in the history lifts it.
    public var allowedFrom: Date?

    /// Makes a finding.
    public init(rule: RuleID, effect: Verdict, reason: String, allowedFrom: Date? = nil) {
        self.rule = rule
        self.effect = effect
        self.reason = reason
        self.allowedFrom = allowedFrom
    }

    /// The rule's legal source.
    public var citation: String { rule.citation }
}

/// The answer to "may we make this contact now?": the most restrictive verdict of the rules that fired.
public struct Decision: Hashable, Sendable {
    /// Every rule that fired, in rule order.
    public var findings: [RuleFinding]
    /// The earliest instant at which the same contact would pass every rule; nil when none can be computed.
    public var nextAllowedAt: Date?

    /// Makes a decision.
    public init(findings: [RuleFinding], nextAllowedAt: Date? = nil) {
        self.findings = findings
        self.nextAllowedAt = nextAllowedAt
    }

    /// allow, review or block: the most restrictive finding (allow when none fired).
    public var verdict: Verdict { findings.map(\.effect).max() ?? .allow }
}
