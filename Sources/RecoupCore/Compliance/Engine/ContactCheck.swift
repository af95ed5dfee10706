import Foundation

/// Everything the rules look at for one proposed contact, worked out once per request: the debtor's zones, the
/// history as of the moment checked (in time order, each event's local day in the primary zone), the consent
/// periods, and what kind of number or address the contact goes to.
///
/// The moment itself (`at`) can be moved forward with ``moved(to:)`` while searching for the next allowed time;
/// the history stays the one known at the original moment.
struct ContactCheck: Sendable {
    /// The moment being evaluated.
    let at: Date
    /// Local day and minute of `at` in the primary zone.
    let day: LocalDate
    let minute: Int
    let facts: Facts
    /// False while searching for the next allowed instant: reasons are then not written.
    let explaining: Bool

    /// The parts that do not change while the moment moves forward.
    final class Facts: Sendable {
        /// Every zone that may apply; the first is the primary zone.
        var zones: [TimeZone] { clocks.map(\.zone) }
        /// True when no zone was known and every US zone is assumed.
        let zonesAssumed: Bool
        /// The primary zone's clock.
        let clock: ZoneClock
        /// A clock for every zone, in the order of `zones`.
        let clocks: [ZoneClock]
        /// A compact record of each event, oldest first.
        let infos: [EventInfo]
        /// One bit per ``EventCode`` that occurs in `infos`, so rules about rare events skip the scan.
        let codesPresent: UInt32
        /// Every event of the request, in the request's order (`infos[i].source` indexes it).
        let allEvents: [ContactEvent]
        /// Periods in which calls about the debt are covered by the consumer's consent.
        let consents: [ClosedRange<Double>]
        /// The digits key of the number the proposed contact goes to; 0 for none.
        let targetNumber: UInt64
        /// The digits keys of the debtor's work numbers.
        let workNumbers: [UInt64]
        /// The phone the contact goes to, when it is one of the debtor's.
        let targetPhone: Phone?
        /// The debtor's home state.
        let homeState: String?
        /// When the client's file marked the debt disputed (seconds since 1970), if it did by the moment checked.
        let fileDisputeMark: Double?

        let request: ComplianceRequest
        let policy: CompliancePolicy
        /// One bit per rule (its position in `RuleID.allCases`) switched off by the policy.
        let disabledRules: UInt32
        let action: ContactAction
        let purpose: ContactPurpose
        let isConsumer: Bool

        init(request: ComplianceRequest, policy: CompliancePolicy) {
            self.request = request
            self.policy = policy
            var disabled: UInt32 = 0
            for rule in policy.disabled { disabled |= 1 << RuleID.allCases.firstIndex(of: rule)! }
            disabledRules = disabled
            action = request.action
            purpose = request.purpose
            isConsumer = request.debtor.kind == .consumer
            var clocks = DebtorTimeZones.clocks(request.debtor)
            zonesAssumed = clocks.isEmpty
            if clocks.isEmpty { clocks = DebtorTimeZones.allUnitedStates.map(ZoneClock.init) }
            clocks = clocks.map { $0.focused(on: request.at) }
            self.clocks = clocks
            let clock = clocks[0]
            self.clock = clock
            // One compact record per event up to the moment checked, sorted by time (stable for equal instants);
            // the rules loop over these, and look at the full event only for the rare kinds with details.
            var infos: [EventInfo] = []
            infos.reserveCapacity(request.events.count)
            let cutoff = request.at.timeIntervalSince1970
            let debtID = request.debtID
            let debtorNumbers = request.debtor.phones.map { Phone.digits($0.number) }
            request.events.withUnsafeBufferPointer { events in
                for index in events.indices where events[index].at.timeIntervalSince1970 <= cutoff {
                    infos.append(EventInfo(events, index, debtID: debtID, clock: clock, debtorNumbers: debtorNumbers))
                }
            }
            if zip(infos, infos.dropFirst()).contains(where: { $0.at > $1.at }) { infos = Self.sortedByTime(infos) }
            self.infos = infos
            var present: UInt32 = 0
            for info in infos { present |= 1 << info.code.rawValue }
            codesPresent = present
            allEvents = request.events
            let target = request.to.map(Phone.digits) ?? 0
            targetNumber = target
            targetPhone = target == 0 ? nil : request.debtor.phones.first { Phone.digits($0.number) == target }
            workNumbers = request.debtor.phones.filter { $0.type == .work }.map { Phone.digits($0.number) }
            let home = request.debtor.addresses.first { $0.type == .home } ?? request.debtor.addresses.first
            homeState = home?.state
            let marked = request.disputedInFileSince?.timeIntervalSince1970
            fileDisputeMark = marked.flatMap { $0 <= cutoff ? $0 : nil }
            // Consent matters only to the call limits of consumer debts.
            let callLimitsApply =
                request.debtor.kind == .consumer && (request.action == .call || request.action == .voicemail)
            consents = callLimitsApply ? Self.consentPeriods(infos: infos, clock: clock, days: policy.consentDays) : []
        }

        /// Consent given directly by the consumer covers calls from the moment it is given for at most `days`
        /// local days (the day received is day 1), or to the `until` the consumer named when sooner; it ends when
        /// revoked and at the next conversation about the debt (that conversation is still covered).
        /// The records in time order, equal instants in request order: sorted as integer keys (milliseconds and
        /// position), which is several times faster than sorting the records with a comparison closure.
        private static func sortedByTime(_ infos: [EventInfo]) -> [EventInfo] {
            guard infos.count < 4_096, let base = infos.map(\.at).min() else {
                return infos.sorted { $0.at < $1.at || ($0.at == $1.at && $0.source < $1.source) }
            }
            var keys: [UInt64] = []
            keys.reserveCapacity(infos.count)
            for (position, info) in infos.enumerated() {
                let milliseconds = ((info.at - base) * 1000).rounded(.down)
                guard milliseconds < 4e15 else {
                    return infos.sorted { $0.at < $1.at || ($0.at == $1.at && $0.source < $1.source) }
                }
                keys.append(UInt64(milliseconds) << 12 | UInt64(position))
            }
            keys.sort()
            return keys.map { infos[Int($0 & 0xFFF)] }
        }

        private static func consentPeriods(infos: [EventInfo], clock: ZoneClock, days: Int) -> [ClosedRange<Double>] {
            var periods: [ClosedRange<Double>] = []
            guard days > 0 else { return periods }
            for (index, info) in infos.enumerated() where info.code == .consent && info.concerns {
                let start = info.at
                var end = clock.startOfDay(info.day.adding(days: days)).timeIntervalSince1970 - 0.001
                if let until = info.until { end = min(end, until) }
                for later in infos[(index + 1)...] where later.concerns && later.at > start {
                    if later.code == .consentRevoked {
                        end = min(end, later.at - 0.001)
                        break
                    }
                    if later.isConversation && later.countsToward {
                        end = min(end, later.at)
                        break
                    }
                }
                if end >= start { periods.append(start...end) }
            }
            return periods
        }
    }

    init(request: ComplianceRequest, policy: CompliancePolicy) {
        self.init(at: request.at, facts: Facts(request: request, policy: policy))
    }

    private init(at: Date, facts: Facts, explaining: Bool = true) {
        self.explaining = explaining
        self.at = at
        self.facts = facts
        day = facts.clock.day(at)
        minute = facts.clock.minuteOfDay(at)
    }

    /// The same contact proposed at a later moment, against the same history. Its findings carry no reasons:
    /// they only steer the search for the next allowed instant.
    func moved(to instant: Date) -> ContactCheck {
        ContactCheck(at: instant, facts: facts, explaining: false)
    }

    var request: ComplianceRequest { facts.request }
    var policy: CompliancePolicy { facts.policy }

    /// True unless the policy switched the rule off.
    func isEnabled(_ rule: RuleID, position: Int) -> Bool { facts.disabledRules & (1 << position) == 0 }

    /// `text` when the findings are to be explained, else nothing (not even built).
    func reason(_ text: @autoclosure () -> String) -> String { explaining ? text() : "" }

    var debtID: String { facts.request.debtID }
    var action: ContactAction { facts.action }
    var purpose: ContactPurpose { facts.purpose }
    var isConsumer: Bool { facts.isConsumer }
    /// True for a call or for leaving a message on one.
    var isCall: Bool { action == .call || action == .voicemail }
    var clock: ZoneClock { facts.clock }

    /// True when the proposed call is covered by the consumer's consent.
    var coveredByConsent: Bool { facts.covered(at) }

    /// The first instant of local day `day` in the primary zone.
    func startOfDay(_ day: LocalDate) -> Date { clock.startOfDay(day) }
}

extension ContactCheck.Facts {
    /// True when the history holds an event of this kind.
    func has(_ code: EventCode) -> Bool { codesPresent & (1 << code.rawValue) != 0 }

    /// The event of record `index` (in time order).
    func event(_ index: Int) -> ContactEvent { allEvents[infos[index].source] }

    /// True when a call at `instant` falls inside a consent period.
    func covered(_ instant: Date) -> Bool { covered(instant.timeIntervalSince1970) }

    /// True when a call at `seconds` since 1970 falls inside a consent period.
    func covered(_ seconds: Double) -> Bool {
        for period in consents where period.contains(seconds) { return true }
        return false
    }
}

extension ContactEvent {
    /// The debts a call or message counts toward (12 CFR 1006.14(b)(4)): a conversation counts toward every debt
    /// it was about; an unanswered call or a limited-content message toward exactly one, the first it was
    /// attributed to. Nil means all of the debtor's debts.
    func countsToward(_ debtID: String) -> Bool {
        guard let ids = debtIDs else { return true }
        if case .call(_, _, let outcome, _) = kind, outcome != .conversation { return ids.first == debtID }
        return ids.contains(debtID)
    }
}

extension Phone {
    /// True when two numbers are the same once everything but the digits is ignored (spaces, dashes, dots,
    /// brackets, a leading +), a North American number with or without its country code 1.
    static func sameNumber(_ lhs: String, _ rhs: String) -> Bool {
        if lhs == rhs { return true }
        let left = digits(lhs)
        let right = digits(rhs)
        return !left.isEmpty && left == right
    }

    /// The digits of a number as an integer key, with a North American country code 1 dropped from 11 digits;
    /// 0 when the text has no digits or too many to be a phone number.
    static func digits(_ text: String) -> UInt64 {
        var value: UInt64 = 0
        var count = 0
        for byte in text.utf8 where byte >= 48 && byte <= 57 {
            count += 1
            guard count <= 19 else { return 0 }
            value = value &* 10 &+ UInt64(byte - 48)
        }
        if count == 11 && value / 10_000_000_000 == 1 { value -= 10_000_000_000 }
        // Keep the count in the key so that 0012 and 12 differ.
        return count == 0 ? 0 : value &* 32 &+ UInt64(count == 11 ? 10 : count)
    }
}

extension UInt64 {
    fileprivate var isEmpty: Bool { self == 0 }
}

extension DebtorTimeZones {
    /// Every US zone from Eastern to Hawaii: assumed when nothing tells where the debtor is, so contact happens
    /// only when it is convenient wherever they may be.
    static let allUnitedStates: [TimeZone] = [
        "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
        "America/Anchorage", "Pacific/Honolulu",
    ].compactMap(TimeZoneCache.zone)
}

/// What kind of event, without its details.
enum EventCode: UInt8, Sendable {
    case call, sms, email, letter, consent, consentRevoked, cease, dispute, verificationSent, attorney, bankruptcy
    case optOut, inconvenient, inconvenientPlace, attorneyWithdrawn, bankruptcyDismissed
}

/// The facts of an event's kind as plain values: no strings to retain, no payloads to copy.
struct EventSummary: Hashable, Sendable {
    let code: EventCode
    let outbound: Bool
    /// For calls.
    let outcome: CallOutcome?
    let messageLeft: Bool
    /// Digits key (``Phone/digits(_:)``) of the number called or texted; 0 for none.
    let number: UInt64
    /// A consent's end, seconds since 1970.
    let until: Double?

    init(_ kind: ContactEvent.Kind) {
        var outbound = false
        var outcome: CallOutcome? = nil
        var messageLeft = false
        var number: UInt64 = 0
        var until: Double? = nil
        switch kind {
        case .call(let direction, let to, let callOutcome, let left):
            code = .call
            outbound = direction == .outbound
            outcome = callOutcome
            messageLeft = left
            number = to.map(Phone.digits) ?? 0
        case .sms(let direction, let to):
            code = .sms
            outbound = direction == .outbound
            number = to.map(Phone.digits) ?? 0
        case .email(let direction, _):
            code = .email
            outbound = direction == .outbound
        case .letter: code = .letter
        case .consent(let end):
            code = .consent
            until = end?.timeIntervalSince1970
        case .consentRevoked: code = .consentRevoked
        case .cease: code = .cease
        case .dispute: code = .dispute
        case .verificationSent: code = .verificationSent
        case .attorney: code = .attorney
        case .attorneyWithdrawn: code = .attorneyWithdrawn
        case .bankruptcy: code = .bankruptcy
        case .bankruptcyDismissed: code = .bankruptcyDismissed
        case .optOut: code = .optOut
        case .inconvenient: code = .inconvenient
        case .inconvenientPlace: code = .inconvenientPlace
        }
        self.outbound = outbound
        self.outcome = outcome
        self.messageLeft = messageLeft
        self.number = number
        self.until = until
    }
}

/// One event of the history as the rules see it: its summary, local day and whether it is about the debt checked.
struct EventInfo: Sendable {
    /// Seconds since 1970.
    let at: Double
    /// Local day in the primary zone.
    let day: LocalDate
    let code: EventCode
    let outbound: Bool
    let outcome: CallOutcome?
    let messageLeft: Bool
    /// True when the event is about the debt checked (or about all debts).
    let concerns: Bool
    /// True when a call or message counts toward the debt checked (``ContactEvent/countsToward(_:)``).
    let countsToward: Bool
    /// Digits key of the number called or texted; 0 for none.
    let number: UInt64
    /// A consent's end, seconds since 1970.
    let until: Double?
    /// Index of the event in the request.
    let source: Int

    /// The record of `events[source]`, read in place (no copy of the event).
    /// True for a call or text to a number known not to be the debtor's (the debtor has numbers on file and this
    /// is none of them): a call to someone else — an attorney, the creditor, a reference — is not a call to the
    /// person, and does not count toward their limits (1006.14(b)(3)).
    let toSomeoneElse: Bool

    init(
        _ events: UnsafeBufferPointer<ContactEvent>, _ source: Int, debtID: String, clock: ZoneClock,
        debtorNumbers: [UInt64]
    ) {
        let summary = events[source].summary
        let instant = events[source].at
        at = instant.timeIntervalSince1970
        day = clock.day(instant)
        self.source = source
        code = summary.code
        outbound = summary.outbound
        outcome = summary.outcome
        messageLeft = summary.messageLeft
        number = summary.number
        until = summary.until
        toSomeoneElse = summary.number != 0 && !debtorNumbers.isEmpty && !debtorNumbers.contains(summary.number)
        if let only = events[source].onlyDebtID {
            concerns = only == debtID
            countsToward = concerns
        } else if let ids = events[source].debtIDs {
            concerns = ids.contains(debtID)
            countsToward = summary.code == .call && summary.outcome != .conversation ? ids.first == debtID : concerns
        } else {
            concerns = true
            countsToward = true
        }
    }

    /// An outbound call that counts toward the call limits (it connected).
    var isCountedOutboundCall: Bool { code == .call && outbound && (outcome?.isCounted ?? false) && !toSomeoneElse }

    /// A telephone conversation with the debtor (either direction).
    var isConversation: Bool { code == .call && outcome == .conversation && !toSomeoneElse }
}
