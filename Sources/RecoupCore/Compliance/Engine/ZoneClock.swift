import Foundation
import Synchronization

/// A zone's offsets from UTC from 1990 to 2060, looked up once per process: afterwards turning an instant into a
/// local day or minute is a binary search and integer arithmetic, with no call into Foundation's zone database
/// (which costs microseconds per call). Instants outside the span ask the zone directly, so answers are always
/// right, only slower there.
final class ZoneOffsets: Sendable {
    let zone: TimeZone
    private let spanStart: Double
    private let spanEnd: Double
    /// Instants (seconds since 1970) at which the offset changes, ascending.
    private let changes: [Double]
    /// `offsets[i]` is in force before `changes[i]`; the last one after the last change.
    private let offsets: [Int]

    static let spanStart = Date(timeIntervalSince1970: 631_152_000)  // 1990-01-01
    static let spanEnd = Date(timeIntervalSince1970: 2_840_140_800)  // 2060-01-01

    init(zone: TimeZone) {
        self.zone = zone
        spanStart = Self.spanStart.timeIntervalSince1970
        spanEnd = Self.spanEnd.timeIntervalSince1970
        var changes: [Double] = []
        var offsets = [zone.secondsFromGMT(for: Self.spanStart)]
        var cursor = Self.spanStart
        while let change = zone.nextDaylightSavingTimeTransition(after: cursor), change <= Self.spanEnd,
            changes.count < 1_000
        {
            changes.append(change.timeIntervalSince1970)
            offsets.append(zone.secondsFromGMT(for: change))
            cursor = change
        }
        self.changes = changes
        self.offsets = offsets
    }

    /// The first change of offset after `start` and at or before `end`.
    func change(after start: Double, through end: Double) -> Double? {
        guard start >= spanStart, end < spanEnd else {
            return zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: start))
                .map(\.timeIntervalSince1970).flatMap { $0 <= end ? $0 : nil }
        }
        return changes.first { $0 > start && $0 <= end }
    }

    /// The stretch of time around `seconds` with one offset: (start, end, offset); the whole span outside 1990–2060.
    func period(around seconds: Double) -> (start: Double, end: Double, offset: Int) {
        guard seconds >= spanStart, seconds < spanEnd else { return (seconds, seconds, offset(at: seconds)) }
        var low = 0
        var high = changes.count
        while low < high {
            let middle = (low + high) / 2
            if changes[middle] <= seconds { low = middle + 1 } else { high = middle }
        }
        let start = low == 0 ? spanStart : changes[low - 1]
        let end = low == changes.count ? spanEnd : changes[low]
        return (start, end, offsets[low])
    }

    /// The zone's offset from UTC at `seconds` since 1970.
    func offset(at seconds: Double) -> Int {
        guard seconds >= spanStart, seconds < spanEnd else {
            return zone.secondsFromGMT(for: Date(timeIntervalSince1970: seconds))
        }
        // The number of changes at or before `seconds` is the index of the offset in force.
        var low = 0
        var high = changes.count
        while low < high {
            let middle = (low + high) / 2
            if changes[middle] <= seconds { low = middle + 1 } else { high = middle }
        }
        return offsets[low]
    }
}

/// Local days and times in one zone, from the zone's cached offsets.
struct ZoneClock: Sendable {
    private let offsets: ZoneOffsets
    /// One stretch of time with a single offset, answered without a search (see ``focused(on:)``).
    private var focusStart = 0.0
    private var focusEnd = 0.0
    private var focusOffset = 0

    /// The clock of `zone`, sharing its offsets with every other user of the zone.
    init(_ zone: TimeZone) { offsets = TimeZoneCache.offsets(zone) }

    /// The same clock, answering at once for the stretch of time (between two offset changes) around `instant`:
    /// a history and the moment it is checked at usually lie within one.
    func focused(on instant: Date) -> ZoneClock {
        var clock = self
        (clock.focusStart, clock.focusEnd, clock.focusOffset) = offsets.period(around: instant.timeIntervalSince1970)
        return clock
    }

    var zone: TimeZone { offsets.zone }

    /// The zone's offset from UTC at `instant`, in seconds.
    func offset(at instant: Date) -> Int { offset(seconds: instant.timeIntervalSince1970) }

    @inline(__always)
    private func offset(seconds: Double) -> Int {
        seconds >= focusStart && seconds < focusEnd ? focusOffset : offsets.offset(at: seconds)
    }

    /// Seconds since 1970 on the local wall clock.
    func localSeconds(_ instant: Date) -> Int {
        let seconds = instant.timeIntervalSince1970
        return Int(seconds.rounded(.down)) + offset(seconds: seconds)
    }

    /// The local calendar day of `instant`.
    func day(_ instant: Date) -> LocalDate { LocalDate(localSecondsSinceEpoch: localSeconds(instant)) }

    /// Minutes since local midnight at `instant`.
    func minuteOfDay(_ instant: Date) -> Int {
        let local = localSeconds(instant)
        return (local - LocalDate(localSecondsSinceEpoch: local).daysSinceEpoch * 86_400) / 60
    }

    /// The first instant whose local wall-clock time is at or after `minute` minutes into `day`: the earlier of
    /// two instants when a fall-back change repeats the wall time, and the end of the gap when a spring-forward
    /// change skips it.
    func instant(on day: LocalDate, minute: Int) -> Date {
        let wall = day.daysSinceEpoch * 86_400 + minute * 60
        // At most one change lies within a day of any wall time; try the offsets on both sides of it.
        let before = wall - offset(seconds: Double(wall - 86_400))
        let after = wall - offset(seconds: Double(wall + 86_400))
        let valid = [before, after].filter { $0 + offset(seconds: Double($0)) == wall }
        if let first = valid.min() { return Date(timeIntervalSince1970: Double(first)) }
        // Skipped: the wall time falls in the gap, which ends at the change itself.
        let change = offsets.change(after: Double(min(before, after)), through: Double(max(before, after)))
        return Date(timeIntervalSince1970: change ?? Double(max(before, after)))
    }

    /// The first instant of local day `day`.
    func startOfDay(_ day: LocalDate) -> Date { instant(on: day, minute: 0) }
}

extension ContactWindow {
    /// True when `instant` is inside the window on `clock`.
    func contains(_ instant: Date, on clock: ZoneClock) -> Bool {
        let minute = clock.minuteOfDay(instant)
        return minute >= opens.minutes && minute < closes.minutes
    }

    /// The earliest instant at or after `instant` inside the window on every clock; nil when the windows never
    /// share a minute.
    func nextOpening(atOrAfter instant: Date, onEvery clocks: [ZoneClock]) -> Date? {
        var candidate = instant
        for _ in 0..<64 {
            guard let closed = clocks.first(where: { !contains(candidate, on: $0) }) else { return candidate }
            let today = closed.day(candidate)
            var opening = closed.instant(on: today, minute: opens.minutes)
            if opening <= candidate { opening = closed.instant(on: today.adding(days: 1), minute: opens.minutes) }
            candidate = max(opening, candidate.addingTimeInterval(60))
        }
        return nil
    }
}

/// `TimeZone` values and their offsets by identifier, made once per process: building a zone and asking it for
/// offsets reads the zone database, which is far slower than a whole compliance decision.
enum TimeZoneCache {
    private static let zones = Mutex<[String: TimeZone]>([:])
    private static let offsetTables = Mutex<[String: ZoneOffsets]>([:])

    /// The zone named `identifier`, or nil when the system does not know it.
    static func zone(_ identifier: String) -> TimeZone? {
        if let zone = zones.withLock({ $0[identifier] }) { return zone }
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        zones.withLock { $0[identifier] = zone }
        return zone
    }

    private static let clocks = Mutex<[String: ZoneClock]>([:])

    /// The clock of the zone named `identifier` (one lock when it is known already), or nil for an unknown zone.
    static func clock(_ identifier: String) -> ZoneClock? {
        if let clock = clocks.withLock({ $0[identifier] }) { return clock }
        guard let zone = zone(identifier) else { return nil }
        let clock = ZoneClock(zone)
        clocks.withLock { $0[identifier] = clock }
        return clock
    }

    /// The offsets of `zone`, computed the first time they are asked for.
    static func offsets(_ zone: TimeZone) -> ZoneOffsets {
        if let table = offsetTables.withLock({ $0[zone.identifier] }) { return table }
        let table = ZoneOffsets(zone: zone)
        offsetTables.withLock { $0[zone.identifier] = table }
        return table
    }
}
