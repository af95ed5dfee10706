import Foundation

// The house rules: every debt, consumer or commercial; a client may change or switch them off.

/// `voicemail-daily-limit`: at most one phone message left per debtor per local day, across all their debts and
/// numbers.
struct VoicemailDailyLimitRule: ContactRule {
    let id = RuleID.voicemailDailyLimit

    func evaluate(_ check: ContactCheck) -> RuleFinding? {
        guard check.action == .voicemail else { return nil }
        let left = check.facts.count(on: check.day) { $0.code == .call && $0.outbound && $0.messageLeft }
        let limit = check.policy.voicemailsPerDay
        guard left >= limit else { return nil }
        return RuleFinding(
            rule: id, effect: .block,
            reason: check.reason(
                "\(left == 1 ? "A phone message was" : "\(left) phone messages were") already left for this debtor "
                    + "on \(check.day); the limit is \(limit) a day."),
            allowedFrom: limit > 0 ? check.startOfDay(check.day.adding(days: 1)) : nil)
    }
}

/// `text-daily-limit`: at most one collection text per debtor per local day and three in 7 consecutive days.
struct TextDailyLimitRule: ContactRule {
    let id = RuleID.textDailyLimit

    func evaluate(_ check: ContactCheck) -> RuleFinding? {
        guard check.action == .sms, check.purpose.isCollection else { return nil }
        let isText: (EventInfo) -> Bool = { $0.code == .sms && $0.outbound }
        let facts = check.facts
        let perDay = check.policy.textsPerDay
        let today = facts.count(on: check.day, where: isText)
        if today >= perDay {
            return RuleFinding(
                rule: id, effect: .block,
                reason: check.reason(
                    "\(today) collection \(today == 1 ? "text was" : "texts were") already sent to this debtor on "
                        + "\(check.day); the limit is \(perDay) a day."),
                allowedFrom: perDay > 0 ? check.startOfDay(check.day.adding(days: 1)) : nil)
        }
        let perWeek = check.policy.textsPerWeek
        let (count, reopens) = facts.rollingCount(
            from: check.day.adding(days: -6), through: check.day, limit: perWeek, where: isText)
        guard count >= perWeek else { return nil }
        return RuleFinding(
            rule: id, effect: .block,
            reason: check.reason(
                "\(count) collection texts were already sent to this debtor in the 7 days ending "
                    + "\(check.day); the limit is \(perWeek)."),
            allowedFrom: reopens.map(check.startOfDay))
    }
}

/// `email-daily-limit`: at most one collection email per debtor per local day.
struct EmailDailyLimitRule: ContactRule {
    let id = RuleID.emailDailyLimit

    func evaluate(_ check: ContactCheck) -> RuleFinding? {
        guard check.action == .email, check.purpose.isCollection else { return nil }
        let sent = check.facts.count(on: check.day) { $0.code == .email && $0.outbound }
        let limit = check.policy.emailsPerDay
        guard sent >= limit else { return nil }
        return RuleFinding(
            rule: id, effect: .block,
            reason: check.reason(
                "\(sent) collection \(sent == 1 ? "email was" : "emails were") already sent to this debtor on "
                    + "\(check.day); the limit is \(limit) a day."),
            allowedFrom: limit > 0 ? check.startOfDay(check.day.adding(days: 1)) : nil)
    }
}

extension ContactCheck.Facts {
    /// How many events of the debtor (any debt) on local day `day` match.
    func count(on day: LocalDate, where matches: (EventInfo) -> Bool) -> Int {
        var count = 0
        for info in infos where info.day == day && matches(info) { count += 1 }
        return count
    }
}
