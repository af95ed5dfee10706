import Foundation

/// When a contact the daily run plans for a day may go out: the compliance engine at the moment it is planned for.
public enum ContactScheduling {
    /// The local time (minutes after midnight, in the debtor's primary zone) a day's contacts are first planned for.
    public static let firstMinute = 8 * 60

    /// What the engine says about a contact planned for `day`.
    public enum Outcome: Sendable, Equatable {
        /// It may go out at this instant: the earliest on `day` (from `firstMinute` in the debtor's primary zone)
        /// that every rule allows, in every zone that may apply to the debtor.
        case at(Date)
        /// No moment of `day` is allowed: the decision at the first moment, with the rules that block it.
        case blocked(Decision)
    }

    /// Schedules `request` (its `at` is ignored) on `day`: allowed at the day's first moment, or at the engine's next
    /// allowed instant if that is still on `day` in the primary zone; otherwise blocked (a review counts as blocked:
    /// the run never makes a contact a person has to look at first).
    /// `notBefore` moves the first moment later (a person's step "now").
    public static func schedule(
        _ request: ComplianceRequest, on day: LocalDate, notBefore: Date? = nil, policy: CompliancePolicy = .standard
    ) -> Outcome {
        let zone = DebtorTimeZones.primary(request.debtor).zone
        let clock = ZoneClock(zone)
        var request = request
        request.at = max(clock.instant(on: day, minute: firstMinute), notBefore ?? .distantPast)
        let decision = ComplianceEngine.decide(request, policy: policy)
        if decision.verdict == .allow { return .at(request.at) }
        if decision.verdict == .block, let next = decision.nextAllowedAt, clock.day(next) == day {
            return .at(next)
        }
        return .blocked(decision)
    }

    /// The first instant of `day` in `zone`.
    public static func startOfDay(_ day: LocalDate, in zone: TimeZone) -> Date {
        ZoneClock(zone).startOfDay(day)
    }

    /// The local day of `instant` in `zone`.
    public static func day(of instant: Date, in zone: TimeZone) -> LocalDate { ZoneClock(zone).day(instant) }
}
