import Foundation
import Testing

@testable import RecoupCore

@Suite("Quiet hours and the debtor's time zones")
struct QuietHoursTests {
    static let newYork = TimeZone(identifier: "America/New_York")!
    static let losAngeles = TimeZone(identifier: "America/Los_Angeles")!

    func instant(_ text: String) throws -> Date { try #require(ISO8601Instant.parse(text)) }

    @Test(
        "08:00 is allowed, 20:59 is allowed, 21:00 is not, 07:59 is not",
        arguments: [
            ("2026-04-08T08:00:00-04:00", true), ("2026-04-08T20:59:00-04:00", true),
            ("2026-04-08T20:59:59-04:00", true),
            ("2026-04-08T21:00:00-04:00", false), ("2026-04-08T07:59:59-04:00", false),
            ("2026-04-08T12:00:00-04:00", true),
        ])
    func boundaries(text: String, allowed: Bool) throws {
        #expect(ContactWindow.regulationF.contains(try instant(text), in: Self.newYork) == allowed)
    }

    @Test("across a DST change the local clock decides")
    func daylightSaving() throws {
        // 2026-03-08: clocks in New York go from 02:00 EST to 03:00 EDT. 12:00Z is 08:00 EDT (allowed);
        // 12:00Z the day before was 07:00 EST (not allowed).
        #expect(ContactWindow.regulationF.contains(try instant("2026-03-08T12:00:00Z"), in: Self.newYork))
        #expect(!ContactWindow.regulationF.contains(try instant("2026-03-07T12:00:00Z"), in: Self.newYork))
        let next = ContactWindow.regulationF.nextOpening(
            atOrAfter: try instant("2026-03-08T02:30:00Z"), inEvery: [Self.newYork])
        #expect(next == (try instant("2026-03-08T08:00:00-04:00")))
    }

    @Test("an Eastern mobile and a California address allow 11:00–21:00 Eastern only")
    func intersection() throws {
        let zones = [Self.newYork, Self.losAngeles]
        #expect(!ContactWindow.regulationF.contains(try instant("2026-04-08T10:59:00-04:00"), inEvery: zones))
        #expect(ContactWindow.regulationF.contains(try instant("2026-04-08T11:00:00-04:00"), inEvery: zones))
        #expect(ContactWindow.regulationF.contains(try instant("2026-04-08T20:59:00-04:00"), inEvery: zones))
        #expect(!ContactWindow.regulationF.contains(try instant("2026-04-08T21:00:00-04:00"), inEvery: zones))
        let next = ContactWindow.regulationF.nextOpening(
            atOrAfter: try instant("2026-04-08T21:30:00-04:00"), inEvery: zones)
        #expect(next == (try instant("2026-04-09T11:00:00-04:00")))
    }

    @Test("zones whose windows never meet have no opening")
    func disjointZones() throws {
        // Two 13-hour windows always overlap somewhere; three zones 8 hours apart (UTC, UTC+8, UTC-8) never share
        // a minute: 08:00-13:00 UTC is the only overlap of the first two, and it is night in UTC-8.
        let zones = ["UTC", "Etc/GMT-8", "Etc/GMT+8"].map { TimeZone(identifier: $0)! }
        #expect(
            ContactWindow.regulationF.nextOpening(atOrAfter: try instant("2026-04-08T12:00:00Z"), inEvery: zones) == nil
        )
    }

    @Test("recorded zones win; otherwise the address and the phones are used, home address first")
    func resolution() throws {
        let recorded = DebtorContactProfile(
            kind: .consumer, timeZones: ["America/Chicago"],
            phones: [try Phone(number: "+16175550100", type: .mobile)])
        #expect(DebtorTimeZones.resolve(recorded).map(\.identifier) == ["America/Chicago"])
        let inferred = DebtorContactProfile(
            kind: .consumer, phones: [try Phone(number: "+16175550100", type: .mobile)],
            addresses: [PostalAddress(type: .home, state: "CA", postalCode: "94612")])
        #expect(DebtorTimeZones.resolve(inferred).map(\.identifier) == ["America/Los_Angeles", "America/New_York"])
        let tollFree = DebtorContactProfile(kind: .consumer, phones: [try Phone(number: "+18005550100", type: .other)])
        #expect(DebtorTimeZones.resolve(tollFree).isEmpty)
    }
}

@Suite("Zone clocks agree with Foundation")
struct ZoneClockTests {
    @Test(
        "offsets, local days and minutes match TimeZone for instants every 7h13m from 1995 to 2045",
        arguments: [
            "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
            "America/Anchorage", "Pacific/Honolulu", "America/St_Johns", "Europe/London", "Australia/Lord_Howe",
            "America/Caracas", "Asia/Kolkata",
        ])
    func agree(identifier: String) throws {
        let zone = try #require(TimeZone(identifier: identifier))
        let clock = ZoneClock(zone)
        var seconds = 788_918_400.0  // 1995-01-01
        var checked = 0
        while seconds < 2_366_841_600 {  // 2045-01-01
            let instant = Date(timeIntervalSince1970: seconds)
            #expect(clock.offset(at: instant) == zone.secondsFromGMT(for: instant), "\(identifier) at \(seconds)")
            #expect(clock.day(instant) == LocalDate(instant, in: zone))
            seconds += 7 * 3600 + 13 * 60
            checked += 1
        }
        #expect(checked > 60_000)
    }

    @Test("instant(on:minute:) inverts the wall clock, and maps a skipped hour to its end")
    func wallClock() throws {
        let clock = ZoneClock(try #require(TimeZone(identifier: "America/New_York")))
        let day = try LocalDate(iso: "2026-03-08")
        #expect(clock.instant(on: day, minute: 8 * 60) == ISO8601Instant.parse("2026-03-08T12:00:00Z"))
        // 02:30 does not exist that day: it is read as 03:00 EDT.
        #expect(clock.instant(on: day, minute: 150) == ISO8601Instant.parse("2026-03-08T07:00:00Z"))
        #expect(clock.startOfDay(try LocalDate(iso: "2026-11-01")) == ISO8601Instant.parse("2026-11-01T04:00:00Z"))
    }
}

extension ZoneClockTests {
    @Test("every local minute of 2026 in New York and Lord Howe maps to the first instant at or after it")
    func everyMinute() throws {
        for identifier in ["America/New_York", "Australia/Lord_Howe"] {
            let zone = try #require(TimeZone(identifier: identifier))
            let clock = ZoneClock(zone)
            var day = try LocalDate(iso: "2026-01-01")
            while day.year == 2026 {
                for minute in stride(from: 0, to: 1440, by: 10) {
                    let instant = clock.instant(on: day, minute: minute)
                    let wall = day.daysSinceEpoch * 86_400 + minute * 60
                    #expect(clock.localSeconds(instant) >= wall)
                    // One second earlier the wall clock had not reached it yet.
                    #expect(clock.localSeconds(instant.addingTimeInterval(-1)) < wall, "\(identifier) \(day) \(minute)")
                }
                day = day.adding(days: 1)
            }
        }
    }
}
