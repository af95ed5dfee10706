import Foundation

/// The time zones that may apply to a debtor (../shared/compliance/RULES.md, "Times and places").
public enum DebtorTimeZones {
    /// The zones recorded for the debtor when there are any; otherwise every zone inferred from the postal addresses
    /// (state and ZIP code) and the phones' area codes. The first is the debtor's primary zone, whose calendar
    /// decides what "a day" is: the first recorded zone, else the home address's, else the first phone's.
    /// Zone names the system does not know are skipped. Empty when nothing is known.
    public static func resolve(_ debtor: DebtorContactProfile) -> [TimeZone] {
        var names: [String] = []
        if let recorded = debtor.timeZones, !recorded.isEmpty {
            names = recorded
        } else {
            let addresses = debtor.addresses.filter { $0.type == .home } + debtor.addresses.filter { $0.type != .home }
            for address in addresses {
                guard let state = address.state else { continue }
                names += StateZones.zones(state: state, postalCode: address.postalCode, country: address.country)
            }
            for phone in debtor.phones { names += AreaCodeZones.zones(forPhone: phone.number) }
        }
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }.compactMap(TimeZoneCache.zone)
    }
}
