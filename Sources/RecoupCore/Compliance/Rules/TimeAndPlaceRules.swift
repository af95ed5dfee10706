import Foundation

/// `quiet-hours`: calls, voicemails, texts and emails only from 08:00 up to but not including 21:00 local time in
/// every zone that may apply to the debtor (12 CFR 1006.6(b)(1)(i); a house rule for commercial debts). Letters
/// are not timed.
struct QuietHoursRule: ContactRule {
    let id = RuleID.quietHours

    func evaluate(_ check: ContactCheck) -> RuleFinding? {
        guard check.action != .letter else { return nil }
        let window = check.policy.contactWindow
        let clocks = check.facts.clocks
        guard let closed = clocks.first(where: { !window.contains(check.at, on: $0) }) else { return nil }
        if let inbound = check.respondingTo(), clocks.contains(where: { !window.contains(inbound.at, on: $0) }),
            let reopens = window.nextOpening(atOrAfter: inbound.at, onEvery: clocks), reopens > check.at
        {
            return nil  // The debtor got in touch at this hour; one reply in kind is allowed (comment 6(b)(1)-2).
        }
        return RuleFinding(
            rule: id, effect: .block,
            reason: check.reason(Self.explain(closed: closed, check: check, window: window, zones: check.facts.zones)),
            allowedFrom: window.nextOpening(atOrAfter: check.at, onEvery: clocks))
    }
}

extension QuietHoursRule {
    static func explain(closed: ZoneClock, check: ContactCheck, window: ContactWindow, zones: [TimeZone]) -> String {
        let local = closed.minuteOfDay(check.at)
        let time = LocalTime(hour: local / 60, minute: local % 60)!
        let names =
            check.facts.zonesAssumed
            ? "every US zone, as no zone is known for this debtor"
            : "every zone that may apply (\(zones.map(\.identifier).joined(separator: ", ")))"
        return "It is \(time) in \(closed.zone.identifier); contact is allowed from \(window.opens) to before "
            + "\(window.closes) in \(names)."
    }
}

/// `inconvenient-time`: times or days the debtor said are inconvenient block contact in that window (local time in
/// the primary zone) until the date they gave, that date included (12 CFR 1006.6(b)(1)). A window whose end is
/// before its start runs past midnight (`20:00`–`09:00`).
struct InconvenientTimeRule: ContactRule {
    let id = RuleID.inconvenientTime

    func evaluate(_ check: ContactCheck) -> RuleFinding? {
        guard check.action != .letter, check.facts.has(.inconvenient) else { return nil }
        let facts = check.facts
        var latest: RuleFinding? = nil
        for (index, info) in facts.infos.enumerated() where info.code == .inconvenient && info.concerns {
            guard case .inconvenient(let weekdays, let from, let to, let until) = facts.event(index).kind else {
                continue
            }
            let window = InconvenientWindow(
                weekdays: weekdays, from: from?.minutes ?? 0, to: to?.minutes ?? 1440, until: until)
            guard window.covers(day: check.day, minute: check.minute) else { continue }
            if let inbound = check.respondingTo() {
                let inboundDay = check.clock.day(inbound.at)
                let inboundMinute = check.clock.minuteOfDay(inbound.at)
                if window.covers(day: inboundDay, minute: inboundMinute),
                    let end = window.end(after: inboundDay, minute: inboundMinute),
                    check.clock.instant(on: end.day, minute: end.minute) > check.at
                {
                    continue  // A reply in kind to the debtor's own contact in this window (comment 6(b)(1)-2).
                }
            }
            let finding = RuleFinding(
                rule: id, effect: .block,
                reason: check.reason(
                    "On \(facts.infos[index].day) the debtor said \(window.description) is inconvenient; "
                        + "it is \(LocalTime(hour: check.minute / 60, minute: check.minute % 60)!) on "
                        + "\(Self.weekdayNames[check.day.isoWeekday - 1]) \(check.day) there."),
                allowedFrom: window.end(after: check.day, minute: check.minute).map {
                    check.clock.instant(on: $0.day, minute: $0.minute)
                })
            if latest == nil || Self.later(finding.allowedFrom, than: latest!.allowedFrom) { latest = finding }
        }
        return latest
    }

    private static func later(_ lhs: Date?, than rhs: Date?) -> Bool {
        guard let rhs else { return false }
        guard let lhs else { return true }
        return lhs > rhs
    }

    static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
}

/// A stated inconvenient time: on some weekdays (all when none), from one local minute to another.
struct InconvenientWindow: CustomStringConvertible {
    let weekdays: Set<Int>
    let from: Int
    let to: Int
    let until: LocalDate?

    private func applies(on day: LocalDate) -> Bool {
        (until.map { day <= $0 } ?? true) && (weekdays.isEmpty || weekdays.contains(day.isoWeekday))
    }

    /// True when local minute `minute` of `day` is inside the window.
    func covers(day: LocalDate, minute: Int) -> Bool {
        if from < to { return applies(on: day) && minute >= from && minute < to }
        // Past midnight: the evening part belongs to the day it starts, the morning part to the day before.
        return (applies(on: day) && minute >= from) || (applies(on: day.adding(days: -1)) && minute < to)
    }

    /// The first local minute after (`day`, `minute`) outside the window; nil when the window never ends.
    func end(after day: LocalDate, minute: Int) -> (day: LocalDate, minute: Int)? {
        var current = (day: day, minute: minute)
        // Walk window ends; a window covering whole days on every weekday with no last date never ends.
        for _ in 0..<16 {
            guard covers(day: current.day, minute: current.minute) else { return current }
            if from < to {
                current = to == 1440 ? (current.day.adding(days: 1), 0) : (current.day, to)
            } else if current.minute >= from {
                current = (current.day.adding(days: 1), to)
            } else {
                current = (current.day, to)
            }
        }
        return nil
    }

    var description: String {
        let days =
            weekdays.isEmpty
            ? "every day"
            : weekdays.sorted().map { InconvenientTimeRule.weekdayNames[$0 - 1] }.joined(separator: ", ")
        var text = days
        if from != 0 || to != 1440 {
            text +=
                " \(LocalTime(hour: from / 60, minute: from % 60)!)–\(to == 1440 ? "24:00" : "\(LocalTime(hour: to / 60, minute: to % 60)!)")"
        }
        if let until { text += " until \(until)" }
        return text
    }
}

/// `inconvenient-place`: a place the debtor said is inconvenient is not contacted: home means letters to the home
/// address and calls to the home landline; work means the work number and the work email (12 CFR 1006.6(b)(1)(ii),
/// (b)(3)).
struct InconvenientPlaceRule: ContactRule {
    let id = RuleID.inconvenientPlace

    func evaluate(_ check: ContactCheck) -> RuleFinding? {
        guard check.facts.has(.inconvenientPlace), let place = Self.place(of: check) else { return nil }
        let facts = check.facts
        guard
            let said = facts.infos.indices.last(where: { index in
                guard facts.infos[index].code == .inconvenientPlace, facts.infos[index].concerns,
                    case .inconvenientPlace(place) = facts.event(index).kind
                else { return false }
                return true
            })
        else { return nil }
        let what: String
        switch (check.action, place) {
        case (.letter, _): what = "a letter to the home address"
        case (.email, _): what = "an email to the work address"
        case (_, .home): what = "a call to the home landline"
        case (_, .work): what = "contact at the work number"
        }
        return RuleFinding(
            rule: id, effect: .block,
            reason: check.reason(
                "On \(facts.infos[said].day) the debtor said contact at \(place.rawValue) is inconvenient; \(what) "
                    + "reaches them there."))
    }

    /// Where the proposed contact reaches the debtor, when that is a home or a workplace.
    static func place(of check: ContactCheck) -> ContactPlace? {
        let debtor = check.request.debtor
        switch check.action {
        case .call, .voicemail, .sms:
            switch check.facts.targetPhone?.type {
            case .home: return check.action == .sms ? nil : .home
            case .work: return .work
            default: return nil
            }
        case .email:
            guard let to = check.request.to else { return nil }
            return debtor.workEmails.contains { $0.lowercased() == to.lowercased() } ? .work : nil
        case .letter:
            // A letter goes to the home address unless it names another one.
            guard let to = check.request.to?.lowercased(), !to.isEmpty else {
                return debtor.addresses.isEmpty || debtor.addresses.contains { $0.type == .home } ? .home : nil
            }
            if to == "home" { return .home }
            if to == "work" { return .work }
            let address = debtor.addresses.first { $0.line1?.lowercased() == to }
            switch address?.type {
            case .home, nil: return .home
            case .work: return .work
            case .other: return nil
            }
        }
    }
}

extension ContactCheck {
    /// For a reply (`purpose: response`): the debtor's latest inbound contact through the same medium, when no
    /// reply through it has gone out since. A debtor who gets in touch at an inconvenient time may be answered
    /// once, at that time, the same way (comment 6(b)(1)-2).
    func respondingTo() -> ContactEvent? {
        guard purpose == .response else { return nil }
        let medium: EventCode
        switch action {
        case .call: medium = .call
        case .sms: medium = .sms
        case .email: medium = .email
        case .voicemail, .letter: return nil
        }
        guard let index = facts.infos.lastIndex(where: { $0.code == medium }), !facts.infos[index].outbound else {
            return nil
        }
        return facts.event(index)
    }
}
