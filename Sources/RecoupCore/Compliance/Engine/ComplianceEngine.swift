import Foundation

/// One contact rule of docs/compliance.md: looks at a proposed contact and its history and says
/// nothing (the rule does not fire) or why the contact is to be reviewed or blocked.
protocol ContactRule: Sendable {
    /// The rule's id.
    var id: RuleID { get }
    /// The finding when the rule fires for `check`, with the earliest instant at which it would not.
    func evaluate(_ check: ContactCheck) -> RuleFinding?
}

/// Decides whether a proposed contact may be made: every rule in order, the most restrictive verdict, and the
/// earliest instant at which the same contact would pass every rule.
///
/// Pure: the moment, the zones and the history all come with the request; nothing reads a clock.
public enum ComplianceEngine {
    /// Every rule, in the order findings are listed.
    static let rules: [any ContactRule] = ruleList

    /// Each rule's position in `RuleID.allCases`, for the policy's switched-off bits.
    static let rulePositions: [Int] = ruleList.map { RuleID.allCases.firstIndex(of: $0.id)! }

    private static let ruleList: [any ContactRule] = [
        BankruptcyRule(), CeaseRule(), AttorneyRule(), DisputeRule(), OptOutRule(), QuietHoursRule(),
        InconvenientTimeRule(), InconvenientPlaceRule(), CallFrequencyRule(), PostConversationRule(),
        StateFrequencyRule(), CallRedFlagRule(), VoicemailDailyLimitRule(), TextDailyLimitRule(),
        EmailDailyLimitRule(), ValidationNoticeRule(), ValidationPeriodRule(),
    ]

    /// How far ahead the next allowed instant is searched.
    static let searchHorizon: TimeInterval = 400 * 86_400

    /// The decision on `request` under `policy`.
    public static func decide(_ request: ComplianceRequest, policy: CompliancePolicy = .standard) -> Decision {
        let check = ContactCheck(request: request, policy: policy)
        let findings = evaluate(check)
        guard findings.contains(where: { $0.effect != .allow }) else {
            return Decision(findings: findings, nextAllowedAt: request.at)
        }
        return Decision(findings: findings, nextAllowedAt: nextAllowed(after: check, findings: findings))
    }

    static func evaluate(_ check: ContactCheck) -> [RuleFinding] {
        var findings: [RuleFinding] = []
        for (rule, position) in zip(rules, rulePositions) where check.isEnabled(rule.id, position: position) {
            if let finding = rule.evaluate(check) { findings.append(finding) }
        }
        return findings
    }

    /// Moves the contact forward to the latest instant any firing rule names, re-evaluates every rule there, and
    /// repeats until nothing fires; nil when a rule names no such instant or the search passes the horizon.
    private static func nextAllowed(after check: ContactCheck, findings: [RuleFinding]) -> Date? {
        var findings = findings
        var current = check
        let limit = check.at.addingTimeInterval(searchHorizon)
        for _ in 0..<64 {
            var candidate = current.at
            for finding in findings where finding.effect != .allow {
                guard let from = finding.allowedFrom else { return nil }
                candidate = max(candidate, from)
            }
            if candidate <= current.at { candidate = current.at.addingTimeInterval(60) }
            guard candidate <= limit else { return nil }
            current = check.moved(to: candidate)
            findings = evaluate(current)
            if !findings.contains(where: { $0.effect != .allow }) { return candidate }
        }
        return nil
    }
}
