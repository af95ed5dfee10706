import Foundation

/// The time zones that may apply to a debtor (docs/compliance.md, "Calendar and time zones").
public enum DebtorTimeZones {
    /// The zones recorded for the debtor when there are any; otherwise every zone inferred from the postal addresses
    /// (state and ZIP code) and the phones' area codes. The first is the debtor's primary zone, whose calendar
    /// decides what "a day" is: the first recorded zone, else the home address's, else the first phone's.
    /// Zone names the system does not know are skipped. Empty when nothing is known.
    public static func resolve(_ debtor: DebtorContactProfile) -> [TimeZone] {
        clocks(debtor).map(\.zone)
    }

    /// The zone whose calendar decides the debtor's days, as the engine counts them: the first of ``resolve(_:)``,
    /// or Eastern when nothing is known (the engine then assumes every US zone, Eastern first). `isKnown` is false
    /// in that case, so a page can say the zone was assumed.
    public static func primary(_ debtor: DebtorContactProfile) -> (zone: TimeZone, isKnown: Bool) {
        if let first = clocks(debtor).first { return (first.zone, true) }
        return (allUnitedStates.first ?? TimeZone(secondsFromGMT: 0) ?? .current, false)
    }

    /// The clocks of ``resolve(_:)``'s zones.
    static func clocks(_ debtor: DebtorContactProfile) -> [ZoneClock] {
        if let recorded = debtor.timeZones, !recorded.isEmpty {
            var clocks: [ZoneClock] = []
            clocks.reserveCapacity(recorded.count)
            for name in recorded where !clocks.contains(where: { $0.zone.identifier == name }) {
                if let clock = TimeZoneCache.clock(name) { clocks.append(clock) }
            }
            return clocks
        }
        return inferredNames(debtor).compactMap(TimeZoneCache.clock)
    }

    private static func inferredNames(_ debtor: DebtorContactProfile) -> [String] {
        var names: [String] = []
        let addresses = debtor.addresses.filter { $0.type == .home } + debtor.addresses.filter { $0.type != .home }
        for address in addresses {
            guard let state = address.state else { continue }
            names += StateZones.zones(state: state, postalCode: address.postalCode, country: address.country)
        }
        for phone in debtor.phones { names += AreaCodeZones.zones(forPhone: phone.number) }
        var unique: [String] = []
        for name in names where !unique.contains(name) { unique.append(name) }
        return unique
    }
}
