import Foundation

/// Everything the rules look at for one proposed contact, worked out once per request: the debtor's zones, the
/// history as of the moment checked (in time order, each event's local day in the primary zone), the consent
/// periods, and what kind of number or address the contact goes to.
///
/// The moment itself (`at`) can be moved forward with ``moved(to:)`` while searching for the next allowed time;
/// the history stays the one known at the original moment.
struct ContactCheck: Sendable {
    let request: ComplianceRequest
    let policy: CompliancePolicy
    /// The moment being evaluated.
    let at: Date
    /// Local day and minute of `at` in the primary zone.
    let day: LocalDate
    let minute: Int
    let facts: Facts

    /// The parts that do not change while the moment moves forward.
    final class Facts: Sendable {
        /// Every zone that may apply; the first is the primary zone.
        let zones: [TimeZone]
        /// True when no zone was known and every US zone is assumed.
        let zonesAssumed: Bool
        /// The primary zone's clock.
        let clock: ZoneClock
        /// A clock for every zone, in the order of `zones`.
        let clocks: [ZoneClock]
        /// Events at or before the original moment, oldest first.
        let events: [ContactEvent]
        /// Local day (primary zone) of each event.
        let days: [LocalDate]
        /// Periods in which calls about the debt are covered by the consumer's consent.
        let consents: [ClosedRange<Double>]
        /// The phone the contact goes to, when it is one of the debtor's.
        let targetPhone: Phone?
        /// The debtor's home state.
        let homeState: String?

        init(request: ComplianceRequest, policy: CompliancePolicy) {
            var zones = DebtorTimeZones.resolve(request.debtor)
            zonesAssumed = zones.isEmpty
            if zones.isEmpty { zones = DebtorTimeZones.allUnitedStates }
            self.zones = zones
            let clocks = zones.map(ZoneClock.init)
            self.clocks = clocks
            let clock = clocks[0]
            self.clock = clock
            let events = request.events.filter { $0.at <= request.at }.sorted { $0.at < $1.at }
            self.events = events
            days = events.map { clock.day($0.at) }
            targetPhone = request.to.flatMap { to in request.debtor.phones.first { Phone.sameNumber($0.number, to) } }
            let home = request.debtor.addresses.first { $0.type == .home } ?? request.debtor.addresses.first
            homeState = home?.state
            consents = Self.consentPeriods(events: events, debtID: request.debtID, clock: clock, days: policy.consentDays)
        }

        /// Consent given directly by the consumer covers calls from the moment it is given for at most `days`
        /// local days (the day received is day 1), or to the `until` the consumer named when sooner; it ends when
        /// revoked and at the next conversation about the debt (that conversation is still covered).
        private static func consentPeriods(events: [ContactEvent], debtID: String, clock: ZoneClock, days: Int)
            -> [ClosedRange<Double>]
        {
            var periods: [ClosedRange<Double>] = []
            for (index, event) in events.enumerated() {
                guard case .consent(let until) = event.kind, event.concerns(debtID), days > 0 else { continue }
                let start = event.at.timeIntervalSince1970
                var end = clock.startOfDay(clock.day(event.at).adding(days: days)).timeIntervalSince1970 - 0.001
                if let until { end = min(end, until.timeIntervalSince1970) }
                for later in events[(index + 1)...] where later.concerns(debtID) && later.at > event.at {
                    if case .consentRevoked = later.kind {
                        end = min(end, later.at.timeIntervalSince1970 - 0.001)
                        break
                    }
                    if case .call(_, _, .conversation, _) = later.kind {
                        end = min(end, later.at.timeIntervalSince1970)
                        break
                    }
                }
                if end >= start { periods.append(start...end) }
            }
            return periods
        }
    }

    init(request: ComplianceRequest, policy: CompliancePolicy) {
        self.init(request: request, policy: policy, at: request.at, facts: Facts(request: request, policy: policy))
    }

    private init(request: ComplianceRequest, policy: CompliancePolicy, at: Date, facts: Facts) {
        self.request = request
        self.policy = policy
        self.at = at
        self.facts = facts
        day = facts.clock.day(at)
        minute = facts.clock.minuteOfDay(at)
    }

    /// The same contact proposed at a later moment, against the same history.
    func moved(to instant: Date) -> ContactCheck {
        ContactCheck(request: request, policy: policy, at: instant, facts: facts)
    }

    var debtID: String { request.debtID }
    var action: ContactAction { request.action }
    var purpose: ContactPurpose { request.purpose }
    var isConsumer: Bool { request.debtor.kind == .consumer }
    /// True for a call or for leaving a message on one.
    var isCall: Bool { action == .call || action == .voicemail }
    var clock: ZoneClock { facts.clock }

    /// True when the proposed call is covered by the consumer's consent.
    var coveredByConsent: Bool { facts.covered(at) }

    /// The first instant of local day `day` in the primary zone.
    func startOfDay(_ day: LocalDate) -> Date { clock.startOfDay(day) }
}

extension ContactCheck.Facts {
    /// True when a call at `instant` falls inside a consent period.
    func covered(_ instant: Date) -> Bool {
        let seconds = instant.timeIntervalSince1970
        return consents.contains { $0.contains(seconds) }
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
    /// True when two numbers are the same once spaces, dashes, dots and brackets are ignored.
    static func sameNumber(_ lhs: String, _ rhs: String) -> Bool {
        if lhs == rhs { return true }
        let keep: (Character) -> Bool = { $0.isNumber }
        let left = lhs.filter(keep)
        let right = rhs.filter(keep)
        guard !left.isEmpty else { return false }
        if left == right { return true }
        // A North American number written without its country code.
        return (left.count == 11 && left.hasPrefix("1") && left.dropFirst() == right[...])
            || (right.count == 11 && right.hasPrefix("1") && right.dropFirst() == left[...])
    }
}

extension DebtorTimeZones {
    /// Every US zone from Eastern to Hawaii: assumed when nothing tells where the debtor is, so contact happens
    /// only when it is convenient wherever they may be.
    static let allUnitedStates: [TimeZone] = [
        "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
        "America/Anchorage", "Pacific/Honolulu",
    ].compactMap(TimeZoneCache.zone)
}
