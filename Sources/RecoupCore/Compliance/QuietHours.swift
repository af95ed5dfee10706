import Foundation

/// The hours when contact is allowed, in local time: from 08:00 up to but not including 21:00
/// (12 CFR 1006.6(b)(1)(i)), and in every zone that may apply at once.
public struct ContactWindow: Hashable, Sendable {
    /// The first allowed minute of the day.
    public var opens: LocalTime
    /// The first minute no longer allowed.
    public var closes: LocalTime

    /// Makes a window.
    public init(opens: LocalTime, closes: LocalTime) {
        self.opens = opens
        self.closes = closes
    }

    /// 08:00 to 21:00, the regulation's convenient hours.
    public static let regulationF = ContactWindow(opens: LocalTime(hour: 8, minute: 0)!, closes: LocalTime(hour: 21, minute: 0)!)

    /// True when `instant` falls inside the window in `zone`.
    public func contains(_ instant: Date, in zone: TimeZone) -> Bool {
        let minute = Self.minuteOfDay(instant, in: zone)
        return minute >= opens.minutes && minute < closes.minutes
    }

    /// True when `instant` falls inside the window in every one of `zones`.
    public func contains(_ instant: Date, inEvery zones: [TimeZone]) -> Bool {
        zones.allSatisfy { contains(instant, in: $0) }
    }

    /// The earliest instant at or after `instant` that is inside the window in every zone; nil when the zones never
    /// share an allowed minute (their windows do not overlap).
    public func nextOpening(atOrAfter instant: Date, inEvery zones: [TimeZone]) -> Date? {
        guard !zones.isEmpty else { return instant }
        var candidate = instant
        // Each step jumps to the next opening of a zone that is closed; offsets change at most twice a year, so a few
        // dozen steps cover any set of zones whose windows overlap at all.
        for _ in 0..<64 {
            guard let closed = zones.first(where: { !contains(candidate, in: $0) }) else { return candidate }
            candidate = nextOpening(after: candidate, in: closed)
        }
        return nil
    }

    /// The next instant after `instant` at which the window opens in `zone` (today's opening if still ahead, else
    /// tomorrow's). Uses the zone's offset at that moment, so daylight-saving changes are honoured.
    private func nextOpening(after instant: Date, in zone: TimeZone) -> Date {
        let offset = zone.secondsFromGMT(for: instant)
        let local = Int(instant.timeIntervalSince1970.rounded(.down)) + offset
        let day = LocalDate(localSecondsSinceEpoch: local)
        var opening = day.daysSinceEpoch * 86_400 + opens.minutes * 60
        if opening <= local { opening += 86_400 }
        // Convert back with the offset in force at the opening (two passes settle a DST change in between).
        var utc = opening - offset
        for _ in 0..<2 {
            utc = opening - zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utc)))
        }
        return Date(timeIntervalSince1970: Double(max(utc, Int(instant.timeIntervalSince1970.rounded(.down)) + 60)))
    }

    static func minuteOfDay(_ instant: Date, in zone: TimeZone) -> Int {
        let local = Int(instant.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: instant)
        let secondOfDay = local - LocalDate(localSecondsSinceEpoch: local).daysSinceEpoch * 86_400
        return secondOfDay / 60
    }
}
