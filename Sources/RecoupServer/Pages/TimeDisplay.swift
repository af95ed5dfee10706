import Foundation
import RecoupCore

/// Writes instants and dates for the people who read a debt's page: first in the debtor's zone — the zone whose days
/// the compliance rules count, so a date here is the date the rules' reasons give — then, when it differs, in the
/// user's own (the business time zone): "Tue 8 Dec 2026, 9:00 AM EST (your time 3:00 PM GMT+1)". Never bare UTC.
///
/// Made once per page: it keeps a formatter per zone for the zone's abbreviation (which changes with daylight time).
struct TimeDisplay {
    let debtorZone: TimeZone
    /// False when nothing tells where the debtor is (the rules then assume every US zone, Eastern first).
    let debtorZoneIsKnown: Bool
    let userZone: TimeZone
    private let debtorNames: DateFormatter
    private let userNames: DateFormatter

    init(debtorZone: TimeZone, debtorZoneIsKnown: Bool = true, userZone: TimeZone) {
        self.debtorZone = debtorZone
        self.debtorZoneIsKnown = debtorZoneIsKnown
        self.userZone = userZone
        debtorNames = Self.abbreviations(debtorZone)
        userNames = Self.abbreviations(userZone)
    }

    /// For a debtor, as the compliance rules place them.
    init(debtor: DebtorContactProfile, userZone: TimeZone) {
        let primary = DebtorTimeZones.primary(debtor)
        self.init(debtorZone: primary.zone, debtorZoneIsKnown: primary.isKnown, userZone: userZone)
    }

    static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// "Tue 8 Dec 2026, 9:00 AM EST (your time 3:00 PM GMT+1)"; the user's part names the day too when it is
    /// another, and is left out when both zones read the same.
    func instant(_ instant: Date) -> String {
        let debtorDay = LocalDate(instant, in: debtorZone)
        var text = "\(Self.date(debtorDay)), \(time(instant, in: debtorZone, names: debtorNames))"
        if !debtorZoneIsKnown { text += " (the debtor's zone is not known" }
        let userTime = time(instant, in: userZone, names: userNames)
        let sameClock =
            userZone.secondsFromGMT(for: instant) == debtorZone.secondsFromGMT(for: instant)
            && userTime == time(instant, in: debtorZone, names: debtorNames)
        if sameClock {
            return debtorZoneIsKnown ? text : text + ")"
        }
        let userDay = LocalDate(instant, in: userZone)
        let userPart = userDay == debtorDay ? userTime : "\(Self.weekdayAndDay(userDay)), \(userTime)"
        return text + (debtorZoneIsKnown ? " (your time " : "; your time ") + userPart + ")"
    }

    /// The debtor's local day of `instant`: "Tue 8 Dec 2026".
    func day(_ instant: Date) -> String { Self.date(LocalDate(instant, in: debtorZone)) }

    /// "Tue 8 Dec 2026".
    static func date(_ day: LocalDate) -> String {
        "\(weekdays[(day.isoWeekday - 1) % 7]) \(day.day) \(months[(day.month - 1) % 12]) \(day.year)"
    }

    /// "Wed 9 Dec".
    static func weekdayAndDay(_ day: LocalDate) -> String {
        "\(weekdays[(day.isoWeekday - 1) % 7]) \(day.day) \(months[(day.month - 1) % 12])"
    }

    /// "9:00 AM EST".
    private func time(_ instant: Date, in zone: TimeZone, names: DateFormatter) -> String {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: instant)
        let minuteOfDay = ((seconds % 86_400) + 86_400) % 86_400 / 60
        let hour = minuteOfDay / 60
        let minute = minuteOfDay % 60
        let clock = "\(hour % 12 == 0 ? 12 : hour % 12):\(minute < 10 ? "0" : "")\(minute) \(hour < 12 ? "AM" : "PM")"
        return clock + " " + Self.abbreviation(zone, instant, names)
    }

    private static func abbreviation(_ zone: TimeZone, _ instant: Date, _ names: DateFormatter) -> String {
        if zone.identifier == "UTC" || zone.identifier == "GMT" || zone.identifier == "Etc/UTC" { return "UTC" }
        let name = names.string(from: instant)
        return name.isEmpty ? zone.identifier : name
    }

    private static func abbreviations(_ zone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "zzz"
        return formatter
    }
}
