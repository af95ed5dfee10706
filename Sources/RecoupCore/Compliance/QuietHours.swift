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
    public static let regulationF = ContactWindow(
        opens: LocalTime(hour: 8, minute: 0)!, closes: LocalTime(hour: 21, minute: 0)!)

    /// True when `instant` falls inside the window in `zone`.
    public func contains(_ instant: Date, in zone: TimeZone) -> Bool {
        contains(instant, on: ZoneClock(zone))
    }

    /// True when `instant` falls inside the window in every one of `zones`.
    public func contains(_ instant: Date, inEvery zones: [TimeZone]) -> Bool {
        zones.allSatisfy { contains(instant, in: $0) }
    }

    /// The earliest instant at or after `instant` that is inside the window in every zone; nil when the zones never
    /// share an allowed minute (their windows do not overlap). Daylight-saving changes are honoured.
    public func nextOpening(atOrAfter instant: Date, inEvery zones: [TimeZone]) -> Date? {
        nextOpening(atOrAfter: instant, onEvery: zones.map(ZoneClock.init))
    }
}
