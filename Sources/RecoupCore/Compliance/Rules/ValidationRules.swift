import Foundation

// A debt collector's validation notice (12 CFR 1006.34; docs/compliance.md): the rules apply to a consumer debt whose
// request says a notice is owed (`ComplianceRequest.validationNotice`: an agency collects for the client).

/// `validation-notice`: a debt collector's first communication about a consumer debt is its validation notice
/// (12 CFR 1006.34(a)(1)); until one has been sent, collection contact about the debt waits. The notice itself, a
/// reply to the debtor, a notice that collection is ending and an opt-out confirmation are not held.
struct ValidationNoticeRule: ContactRule {
    let id = RuleID.validationNotice

    func evaluate(_ check: ContactCheck) -> RuleFinding? {
        guard check.isConsumer, check.purpose.isCollection, let notice = check.facts.request.validationNotice else {
            return nil
        }
        if let sent = notice.sentAt, sent <= check.at { return nil }
        return RuleFinding(
            rule: id, effect: .block,
            reason: check.reason(
                "No validation notice about \(check.debtID) has been sent; a debt collector's first communication "
                    + "about a debt is its validation notice, so collection contact waits until it is sent."))
    }
}

/// `validation-period`: while the validation period runs (from the day the notice is sent to 30 days after it is
/// assumed received, `ValidationPeriod`), a demand — a final notice — waits, so that nothing overshadows the
/// consumer's right to dispute or to ask for the original creditor (15 U.S.C. 1692g(b)). Other collection contact
/// goes on; a dispute during the period holds everything (`dispute`).
struct ValidationPeriodRule: ContactRule {
    let id = RuleID.validationPeriod

    func evaluate(_ check: ContactCheck) -> RuleFinding? {
        guard check.isConsumer, check.purpose == .demand, let sent = check.facts.request.validationNotice?.sentAt,
            sent <= check.at, let period = try? ValidationPeriod(sent: check.clock.day(sent)),
            check.day <= period.periodEnds
        else { return nil }
        return RuleFinding(
            rule: id, effect: .block,
            reason: check.reason(
                "The validation notice about \(check.debtID) was sent on \(period.sent); its validation period ends on "
                    + "\(period.periodEnds), and a final notice before then could overshadow the debtor's rights."),
            allowedFrom: check.startOfDay(period.periodEnds.adding(days: 1)))
    }
}
