import Foundation

// Regulation F's call limits and the Massachusetts overlay: consumer debts only.

/// `call-frequency`: at most 7 counted calls about a consumer debt in 7 consecutive days (the proposed call's day
/// and the 6 before it), across all of the person's numbers; the 8th is blocked (12 CFR 1006.14(b)(2)(i)(A)).
/// Busy signals, numbers not in service and calls placed under the consumer's consent do not count.
struct CallFrequencyRule: ContactRule {
    let id = RuleID.callFrequency

    func evaluate(_ check: ContactCheck) -> RuleFinding? {
        guard check.isConsumer, check.isCall, !check.coveredByConsent else { return nil }
        let facts = check.facts
        let limit = check.policy.maxCallsPerWeek
        let first = check.day.adding(days: -6)
        let (count, reopens) = facts.rollingCount(from: first, through: check.day, limit: limit) { info in
            info.isCountedOutboundCall && info.countsToward && !facts.covered(info.at)
        }
        guard count >= limit else { return nil }
        return RuleFinding(
            rule: id, effect: .block,
            reason: check.reason(
                "\(count) \(count == 1 ? "call" : "calls") about \(check.debtID) already placed in the "
                    + "7 days ending \(check.day); the limit is \(limit)."),
            allowedFrom: reopens.map(check.startOfDay))
    }
}

/// `post-conversation`: after a telephone conversation about a consumer debt on day D (either direction), no
/// call about it on days D … D+6 (12 CFR 1006.14(b)(2)(i)(B)), unless the consumer has consented to the call.
struct PostConversationRule: ContactRule {
    let id = RuleID.postConversation

    func evaluate(_ check: ContactCheck) -> RuleFinding? {
        guard check.isConsumer, check.isCall, !check.coveredByConsent else { return nil }
        let facts = check.facts
        let length = check.policy.postConversationDays
        let first = check.day.adding(days: -(length - 1))
        guard
            let spoke = facts.infos.last(where: { info in
                info.isConversation && info.countsToward && info.day >= first
                    && info.day <= check.day
            })?.day
        else { return nil }
        let reopens = spoke.adding(days: length)
        return RuleFinding(
            rule: id, effect: .block,
            reason: check.reason(
                "A telephone conversation about \(check.debtID) took place on \(spoke); no call about it until "
                    + "\(reopens)."),
            allowedFrom: check.startOfDay(reopens))
    }
}

/// `state-frequency`: a consumer whose home state is Massachusetts gets at most 2 collector-initiated calls or
/// texts per debt in 7 days at home or mobile numbers; a third is blocked (209 CMR 18.16(1)(d),
/// 940 CMR 7.04(1)(f)). A call counts when it reached the debtor or their voicemail (a conversation, or an
/// outcome of voicemail whether or not a message was left); unanswered calls convey nothing and do not. A reply
/// to the debtor's own request is not collector-initiated. Work numbers are outside the rule.
struct StateFrequencyRule: ContactRule {
    let id = RuleID.stateFrequency

    func evaluate(_ check: ContactCheck) -> RuleFinding? {
        guard check.isConsumer, check.facts.homeState == "MA", check.isCall || check.action == .sms,
            check.purpose != .response, check.facts.targetPhone?.type != .work
        else { return nil }
        let facts = check.facts
        let limit = check.policy.massachusettsPerWeek
        let first = check.day.adding(days: -6)
        let (count, reopens) = facts.rollingCount(from: first, through: check.day, limit: limit) { info in
            guard info.outbound && info.countsToward && !info.toSomeoneElse else { return false }
            let reached =
                info.code == .sms
                || (info.code == .call && (info.outcome == .conversation || info.outcome == .voicemail))
            return reached && !(info.number != 0 && facts.workNumbers.contains(info.number))
        }
        guard count >= limit else { return nil }
        return RuleFinding(
            rule: id, effect: .block,
            reason: check.reason(
                "The debtor lives in Massachusetts: \(count) calls or texts about \(check.debtID) already "
                    + "reached them in the 7 days ending \(check.day); the state allows \(limit)."),
            allowedFrom: reopens.map(check.startOfDay))
    }
}

/// `call-red-flag` (review): a second call to the same number within 5 minutes, or a 7th call to one number on
/// one local day, may be harassment (comment 14(b)(2)(i)-2); a person should look before it is placed.
struct CallRedFlagRule: ContactRule {
    let id = RuleID.callRedFlag

    func evaluate(_ check: ContactCheck) -> RuleFinding? {
        guard check.isConsumer, check.action == .call, let number = check.request.to, check.facts.targetNumber != 0
        else { return nil }
        let facts = check.facts
        let window = Double(check.policy.repeatCallSeconds)
        var today = 0
        var last: Date? = nil
        let now = check.at.timeIntervalSince1970
        var lastSeconds: Double? = nil
        for info in facts.infos where info.number == facts.targetNumber && info.code == .call && info.outbound {
            if info.day == check.day { today += 1 }
            if info.at <= now { lastSeconds = info.at }
        }
        last = lastSeconds.map { Date(timeIntervalSince1970: $0) }
        if let last, check.at.timeIntervalSince(last) <= window {
            let seconds = Int(check.at.timeIntervalSince(last))
            return RuleFinding(
                rule: id, effect: .review,
                reason: check.reason(
                    "\(number) was called \(seconds < 60 ? "\(seconds) seconds" : "\(seconds / 60) minutes") ago; "
                        + "calling again within \(Int(window) / 60) minutes may be harassment."),
                allowedFrom: last.addingTimeInterval(window + 1))
        }
        let limit = check.policy.redFlagCallsPerNumberPerDay
        if today >= limit - 1 {
            return RuleFinding(
                rule: id, effect: .review,
                reason: check.reason(
                    "This would be call \(today + 1) to \(number) on \(check.day); that many calls to one number "
                        + "in a day may be harassment."),
                allowedFrom: check.startOfDay(check.day.adding(days: 1)))
        }
        return nil
    }
}

extension ContactCheck.Facts {
    /// How many records from day `first` through day `last` match, and — when that reaches `limit` — the first day
    /// on which fewer than `limit` of them fall in the 7 days ending on it.
    func rollingCount(
        from first: LocalDate, through last: LocalDate, limit: Int, where matches: (EventInfo) -> Bool
    )
        -> (count: Int, reopens: LocalDate?)
    {
        var count = 0
        for info in infos where info.day >= first && info.day <= last && matches(info) { count += 1 }
        guard count >= limit else { return (count, nil) }
        var days: [LocalDate] = []
        days.reserveCapacity(count)
        for info in infos where info.day >= first && info.day <= last && matches(info) { days.append(info.day) }
        return (count, RollingLimit.firstDayUnder(limit, days: days, length: 7))
    }
}

/// Counting against a limit over a rolling run of days.
enum RollingLimit {
    /// The first day on which fewer than `limit` of `days` (the days of past contacts inside the current run)
    /// fall in the run of `length` days ending on it; nil when the limit is zero and no day ever is.
    static func firstDayUnder(_ limit: Int, days: [LocalDate], length: Int) -> LocalDate? {
        guard limit > 0 else { return nil }
        let sorted = days.sorted()
        // Once the (count - limit + 1) earliest contacts have left the run, fewer than `limit` remain.
        return sorted[sorted.count - limit].adding(days: length)
    }
}
