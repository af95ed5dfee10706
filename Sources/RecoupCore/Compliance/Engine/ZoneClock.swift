import Foundation
import Synchronization

/// Local days and times in one zone over a span of time, without a Foundation call per instant.
///
/// The zone's UTC offsets are looked up once for the span (its offset at the start and at every daylight-saving
/// change inside it); afterwards turning an instant into a local day or minute is integer arithmetic. Outside
/// the span the zone is asked directly, so the answer is always right, only slower.
struct ZoneClock: Sendable {
    let zone: TimeZone
    private let spanStart: Double
    private let spanEnd: Double
    /// Instants (seconds since 1970) at which the offset changes, ascending.
    private let changes: [Double]
    /// `offsets[i]` is in force before `changes[i]`; the last one after the last change.
    private let offsets: [Int]

    init(zone: TimeZone, from start: Date, through end: Date) {
        self.zone = zone
        spanStart = start.timeIntervalSince1970
        spanEnd = end.timeIntervalSince1970
        var changes: [Double] = []
        var offsets = [zone.secondsFromGMT(for: start)]
        var cursor = start
        while let change = zone.nextDaylightSavingTimeTransition(after: cursor), change <= end, changes.count < 8 {
            changes.append(change.timeIntervalSince1970)
            offsets.append(zone.secondsFromGMT(for: change))
            cursor = change
        }
        self.changes = changes
        self.offsets = offsets
    }

    /// The zone's offset from UTC at `instant`, in seconds.
    func offset(at instant: Date) -> Int {
        let seconds = instant.timeIntervalSince1970
        guard seconds >= spanStart, seconds <= spanEnd else { return zone.secondsFromGMT(for: instant) }
        var index = 0
        while index < changes.count, seconds >= changes[index] { index += 1 }
        return offsets[index]
    }

    /// Seconds since 1970 on the local wall clock.
    func localSeconds(_ instant: Date) -> Int {
        Int(instant.timeIntervalSince1970.rounded(.down)) + offset(at: instant)
    }

    /// The local calendar day of `instant`.
    func day(_ instant: Date) -> LocalDate { LocalDate(localSecondsSinceEpoch: localSeconds(instant)) }

    /// Minutes since local midnight at `instant`.
    func minuteOfDay(_ instant: Date) -> Int {
        let local = localSeconds(instant)
        return (local - LocalDate(localSecondsSinceEpoch: local).daysSinceEpoch * 86_400) / 60
    }

    /// The first instant whose local wall-clock time is at or after `minute` minutes into `day` (a wall time that
    /// a spring-forward change skips maps to the first instant after the gap).
    func instant(on day: LocalDate, minute: Int) -> Date {
        let wall = day.daysSinceEpoch * 86_400 + minute * 60
        var utc = wall - offset(at: Date(timeIntervalSince1970: Double(wall)))
        for _ in 0..<2 {
            utc = wall - offset(at: Date(timeIntervalSince1970: Double(utc)))
        }
        // In a skipped hour the wall time maps before itself; move to the end of the gap.
        let reached = localSeconds(Date(timeIntervalSince1970: Double(utc)))
        if reached < wall { utc += wall - reached }
        return Date(timeIntervalSince1970: Double(utc))
    }

    /// The first instant of local day `day`.
    func startOfDay(_ day: LocalDate) -> Date { instant(on: day, minute: 0) }
}

/// `TimeZone` values by identifier, made once per process: building a zone reads the zone database, which is far
/// slower than a compliance decision.
enum TimeZoneCache {
    private static let zones = Mutex<[String: TimeZone]>([:])

    /// The zone named `identifier`, or nil when the system does not know it.
    static func zone(_ identifier: String) -> TimeZone? {
        if let zone = zones.withLock({ $0[identifier] }) { return zone }
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        zones.withLock { $0[identifier] = zone }
        return zone
    }
}
