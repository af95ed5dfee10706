import Foundation
import Testing

@testable import RecoupCore

/// An instant from an ISO 8601 UTC timestamp (`2026-03-08T06:59:59Z`), for tests.
private func instant(_ text: String) throws -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return try #require(formatter.date(from: text), "bad test timestamp \(text)")
}

private func date(_ iso: String) throws -> LocalDate { try LocalDate(iso: iso) }

@Suite("LocalDate")
struct LocalDateTests {

    // MARK: ISO dates

    static let validISO: [(text: String, year: Int, month: Int, day: Int)] = [
        ("2012-02-29", 2012, 2, 29),
        ("2000-02-29", 2000, 2, 29),
        ("1970-01-01", 1970, 1, 1),
        ("1969-12-31", 1969, 12, 31),
        ("2013-12-31", 2013, 12, 31),
        ("2026-06-01", 2026, 6, 1),
        ("0001-01-01", 1, 1, 1),
        ("9999-12-31", 9999, 12, 31),
    ]

    @Test("reads strict ISO dates", arguments: validISO)
    func parsesISO(text: String, year: Int, month: Int, day: Int) throws {
        let date = try LocalDate(iso: text)
        #expect(date.year == year)
        #expect(date.month == month)
        #expect(date.day == day)
        #expect(date == (try LocalDate(year: year, month: month, day: day)))
        #expect(date.isoString == text)
        #expect(date.description == text)
    }

    @Test("epoch day numbers")
    func epochDays() throws {
        #expect(try date("1970-01-01").daysSinceEpoch == 0)
        #expect(try date("1970-01-02").daysSinceEpoch == 1)
        #expect(try date("1969-12-31").daysSinceEpoch == -1)
        #expect(try date("2000-03-01").daysSinceEpoch == 11_017)
        #expect(try date("1900-01-01").daysSinceEpoch == -25_567)
        #expect(LocalDate(daysSinceEpoch: 20_605).isoString == "2026-06-01")
    }

    static let impossibleISO: [(text: String, reason: String)] = [
        ("2013-02-29", "February 2013 has 28 days"),
        ("1900-02-29", "February 1900 has 28 days"),
        ("2013-04-31", "April 2013 has 30 days"),
        ("2013-01-32", "January 2013 has 31 days"),
        ("2013-01-00", "January 2013 has 31 days"),
        ("2013-13-01", "there is no month 13"),
        ("2013-00-10", "there is no month 0"),
        ("0000-01-01", "year out of range"),
    ]

    @Test("refuses ISO dates that do not exist, saying why", arguments: impossibleISO)
    func impossibleISODates(text: String, reason: String) throws {
        let error = try #require(throws: DateError.self) { try LocalDate(iso: text) }
        guard case .impossibleDate(_, let actualReason) = error else {
            Issue.record("expected impossibleDate for \(text), got \(error)")
            return
        }
        #expect(actualReason == reason)
        #expect(error.description.contains("is not a real date"))
    }

    @Test(
        "refuses text that is not YYYY-MM-DD",
        arguments: [
            "2013-2-1", "2013-02-1", "13-02-01", "2013/02/01", "20130201", "2013-02-01T00:00", " 2013-02-01",
            "2013-02-01 ", "2013-02-0a", "", "+013-02-01", "2013-+2-01", "2013_02_01", "02-01-2013",
        ])
    func malformedISO(text: String) {
        #expect(throws: DateError.malformed(text, expected: "YYYY-MM-DD")) { try LocalDate(iso: text) }
    }

    // MARK: US dates

    static let validUS: [(text: String, iso: String)] = [
        ("1/2/2013", "2013-01-02"),
        ("12/31/2013", "2013-12-31"),
        ("01/02/2013", "2013-01-02"),
        ("2/29/2012", "2012-02-29"),
        ("10/5/1999", "1999-10-05"),
    ]

    @Test("reads US dates M/D/YYYY", arguments: validUS)
    func parsesUS(text: String, iso: String) throws {
        #expect(try LocalDate(us: text).isoString == iso)
    }

    static let impossibleUS: [(text: String, reason: String)] = [
        ("2/30/2013", "February 2013 has 28 days"),
        ("2/29/2013", "February 2013 has 28 days"),
        ("4/31/2013", "April 2013 has 30 days"),
        ("13/1/2013", "there is no month 13"),
        ("0/1/2013", "there is no month 0"),
    ]

    @Test("refuses US dates that do not exist, quoting the text as given", arguments: impossibleUS)
    func impossibleUSDates(text: String, reason: String) {
        #expect(throws: DateError.impossibleDate(text, reason: reason)) { try LocalDate(us: text) }
    }

    @Test(
        "refuses text that is not M/D/YYYY",
        arguments: [
            "1/2/13", "2013-01-02", "1/2", "1//2013", "123/1/2013", "1/123/2013", "1/2/2013/4", "a/2/2013",
            "1/2/20133", "", "1/2/ 2013", "1-2-2013",
        ])
    func malformedUS(text: String) {
        #expect(throws: DateError.malformed(text, expected: "M/D/YYYY")) { try LocalDate(us: text) }
    }

    // MARK: Civil calendar against Foundation

    @Test("every day from 1900 to 2100 matches Foundation's Gregorian calendar in UTC")
    func civilDaysMatchFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        let first = try LocalDate(year: 1900, month: 1, day: 1)
        let last = try LocalDate(year: 2100, month: 12, day: 31)
        var mismatches = 0
        var previous: LocalDate?
        for day in first.daysSinceEpoch...last.daysSinceEpoch {
            let local = LocalDate(daysSinceEpoch: day)
            let parts = calendar.dateComponents(
                [.year, .month, .day, .weekday], from: Date(timeIntervalSince1970: TimeInterval(day) * 86_400))
            let (year, month, dayOfMonth) = local.components
            let foundationISOWeekday = (parts.weekday! + 5) % 7 + 1  // Foundation: 1 = Sunday
            let rebuilt = try LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)
            if year != parts.year || month != parts.month || dayOfMonth != parts.day
                || local.isoWeekday != foundationISOWeekday || rebuilt != local
            {
                mismatches += 1
                if mismatches <= 5 { Issue.record("day \(day): \(local) vs \(parts)") }
            }
            if let previous { #expect(previous < local) }
            previous = local
        }
        #expect(mismatches == 0)
        #expect(last.days(since: first) == 73_413)
    }

    // MARK: Arithmetic

    static let monthCases: [(start: String, months: Int, expected: String)] = [
        ("2013-01-31", 1, "2013-02-28"),
        ("2012-01-31", 1, "2012-02-29"),
        ("2013-01-31", 2, "2013-03-31"),
        ("2013-01-31", 3, "2013-04-30"),
        ("2013-01-31", 0, "2013-01-31"),
        ("2013-03-31", -1, "2013-02-28"),
        ("2013-01-31", -2, "2012-11-30"),
        ("2013-01-15", -13, "2011-12-15"),
        ("2013-01-15", -1, "2012-12-15"),
        ("2013-11-30", 3, "2014-02-28"),
        ("2013-12-15", 1, "2014-01-15"),
        ("2013-05-31", 12, "2014-05-31"),
        ("2012-02-29", 12, "2013-02-28"),
        ("2012-02-29", 48, "2016-02-29"),
        ("2012-02-29", -48, "2008-02-29"),
        ("1970-01-31", -1, "1969-12-31"),
    ]

    @Test("adding months keeps the day, clamped to the month's last day", arguments: monthCases)
    func addingMonths(start: String, months: Int, expected: String) throws {
        #expect(try date(start).adding(months: months).isoString == expected)
    }

    @Test("clamping happens once, from the original date: Jan 31 + 2 months is Mar 31, not Mar 28")
    func clampingIsNotCumulative() throws {
        let january = try date("2013-01-31")
        #expect(january.adding(months: 2).isoString == "2013-03-31")
        #expect(january.adding(months: 1).adding(months: 1).isoString == "2013-03-28")
        let leap = try date("2012-01-31")
        #expect((1...12).map { leap.adding(months: $0).day } == [29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31])
    }

    @Test("adding days, counting days, end of month")
    func dayArithmetic() throws {
        let start = try date("2012-02-28")
        #expect(start.adding(days: 1).isoString == "2012-02-29")
        #expect(start.adding(days: 2).isoString == "2012-03-01")
        #expect(start.adding(days: -59).isoString == "2011-12-31")
        #expect(try date("2013-03-01").days(since: date("2013-02-01")) == 28)
        #expect(try date("2012-03-01").days(since: date("2012-02-01")) == 29)
        #expect(try date("2012-02-01").days(since: date("2012-03-01")) == -29)
        #expect(try date("2012-02-10").endOfMonth.isoString == "2012-02-29")
        #expect(try date("2013-02-10").endOfMonth.isoString == "2013-02-28")
        #expect(try date("2013-12-31").endOfMonth.isoString == "2013-12-31")
        #expect(try date("1969-04-01").endOfMonth.isoString == "1969-04-30")
    }

    @Test(
        "leap years follow the Gregorian rule",
        arguments: [
            (2012, true), (2013, false), (2000, true), (1900, false), (2100, false), (2400, true), (1600, true),
        ])
    func leapYears(year: Int, isLeap: Bool) {
        #expect(LocalDate.isLeapYear(year) == isLeap)
        #expect(LocalDate.daysIn(month: 2, year: year) == (isLeap ? 29 : 28))
    }

    @Test("ordering")
    func ordering() throws {
        #expect(try date("2013-01-31") < date("2013-02-01"))
        #expect(try date("1969-12-31") < date("1970-01-01"))
        #expect(try !(date("2013-02-01") < date("2013-02-01")))
        #expect(
            try [date("2013-03-01"), date("2012-12-31"), date("2013-01-01")].sorted().map(\.isoString) == [
                "2012-12-31", "2013-01-01", "2013-03-01",
            ])
    }

    // MARK: Weekdays

    static let weekdays: [(iso: String, weekday: Int)] = [
        ("2026-06-01", 1),  // Monday
        ("2026-06-05", 5),  // Friday
        ("2026-06-06", 6),  // Saturday
        ("2026-06-07", 7),  // Sunday
        ("1970-01-01", 4),  // Thursday
        ("1969-12-31", 3),  // Wednesday
        ("1969-12-28", 7),  // Sunday
        ("1900-01-01", 1),  // Monday
        ("2000-02-29", 2),  // Tuesday
    ]

    @Test("ISO weekday, Monday = 1 … Sunday = 7, before and after the epoch", arguments: weekdays)
    func isoWeekday(iso: String, weekday: Int) throws {
        let day = try date(iso)
        #expect(day.isoWeekday == weekday)
        #expect(day.isWeekend == (weekday >= 6))
    }

    // MARK: Instants in zones

    static let instants: [(instant: String, zone: String, iso: String)] = [
        ("2026-06-01T00:00:00Z", "UTC", "2026-06-01"),
        ("2026-05-31T23:59:59Z", "UTC", "2026-05-31"),
        // New York, EDT (UTC−4) in June.
        ("2026-06-01T03:59:59Z", "America/New_York", "2026-05-31"),
        ("2026-06-01T04:00:00Z", "America/New_York", "2026-06-01"),
        // Spring forward on 2026-03-08 at 02:00 EST = 07:00Z.
        ("2026-03-08T04:59:59Z", "America/New_York", "2026-03-07"),
        ("2026-03-08T05:00:00Z", "America/New_York", "2026-03-08"),
        ("2026-03-08T06:59:59Z", "America/New_York", "2026-03-08"),  // 01:59:59 EST
        ("2026-03-08T07:00:00Z", "America/New_York", "2026-03-08"),  // 03:00:00 EDT
        ("2026-03-09T03:59:59Z", "America/New_York", "2026-03-08"),  // 23:59:59 EDT
        ("2026-03-09T04:00:00Z", "America/New_York", "2026-03-09"),
        // Fall back on 2026-11-01 at 02:00 EDT = 06:00Z.
        ("2026-11-01T03:59:59Z", "America/New_York", "2026-10-31"),
        ("2026-11-01T04:00:00Z", "America/New_York", "2026-11-01"),
        ("2026-11-02T04:59:59Z", "America/New_York", "2026-11-01"),  // 23:59:59 EST
        ("2026-11-02T05:00:00Z", "America/New_York", "2026-11-02"),
        ("2026-11-29T04:30:00Z", "America/New_York", "2026-11-28"),
        ("2026-11-29T05:00:00Z", "America/New_York", "2026-11-29"),
        // Half-hour and far-east offsets.
        ("2026-06-01T18:29:59Z", "Asia/Kolkata", "2026-06-01"),
        ("2026-06-01T18:30:00Z", "Asia/Kolkata", "2026-06-02"),
        ("2026-06-01T09:59:59Z", "Pacific/Kiritimati", "2026-06-01"),
        ("2026-06-01T10:00:00Z", "Pacific/Kiritimati", "2026-06-02"),
        // Before the epoch.
        ("1969-12-31T23:59:59Z", "UTC", "1969-12-31"),
        ("1970-01-01T00:00:00Z", "America/New_York", "1969-12-31"),
        ("1960-01-01T04:59:59Z", "America/New_York", "1959-12-31"),
        ("1960-01-01T05:00:00Z", "America/New_York", "1960-01-01"),
    ]

    @Test("the local date of an instant follows the zone's offset, DST included", arguments: instants)
    func localDateOfInstant(instant text: String, zone: String, iso: String) throws {
        let moment = try instant(text)
        #expect(LocalDate(moment, in: try TimeZone.named(zone)).isoString == iso)
    }

    @Test("fractional seconds before midnight stay on the earlier day, also before the epoch")
    func fractionalSeconds() throws {
        let utc = try TimeZone.named("UTC")
        #expect(LocalDate(Date(timeIntervalSince1970: -0.5), in: utc).isoString == "1969-12-31")
        #expect(LocalDate(Date(timeIntervalSince1970: -86_400), in: utc).isoString == "1969-12-31")
        #expect(LocalDate(Date(timeIntervalSince1970: -86_400.001), in: utc).isoString == "1969-12-30")
        #expect(LocalDate(Date(timeIntervalSince1970: 86_399.999), in: utc).isoString == "1970-01-01")
        #expect(LocalDate(Date(timeIntervalSince1970: 86_400), in: utc).isoString == "1970-01-02")
        let newYork = try TimeZone.named("America/New_York")
        let justBeforeMidnight = try instant("2026-06-01T03:59:59Z").addingTimeInterval(0.999)
        #expect(LocalDate(justBeforeMidnight, in: newYork).isoString == "2026-05-31")
    }

    @Test("local seconds since the epoch floor to days")
    func localSeconds() {
        #expect(LocalDate(localSecondsSinceEpoch: 0).isoString == "1970-01-01")
        #expect(LocalDate(localSecondsSinceEpoch: 86_399).isoString == "1970-01-01")
        #expect(LocalDate(localSecondsSinceEpoch: -1).isoString == "1969-12-31")
        #expect(LocalDate(localSecondsSinceEpoch: -86_400).isoString == "1969-12-31")
        #expect(LocalDate(localSecondsSinceEpoch: -86_401).isoString == "1969-12-30")
    }

    @Test(
        "agrees with Foundation for instants across 2026 in several zones",
        arguments: ["America/New_York", "America/Los_Angeles", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe"])
    func instantsMatchFoundation(zoneName: String) throws {
        let zone = try TimeZone.named(zoneName)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let start = try instant("2026-01-01T00:00:00Z").timeIntervalSince1970
        var mismatches = 0
        // Every 47 minutes and 13 seconds through the year: crosses every local midnight and both DST changes.
        var seconds = start
        while seconds < start + 366 * 86_400 {
            let moment = Date(timeIntervalSince1970: seconds)
            let parts = calendar.dateComponents([.year, .month, .day], from: moment)
            let local = LocalDate(moment, in: zone)
            if local.year != parts.year || local.month != parts.month || local.day != parts.day {
                mismatches += 1
                if mismatches <= 5 { Issue.record("\(moment) in \(zoneName): \(local) vs \(parts)") }
            }
            seconds += 47 * 60 + 13
        }
        #expect(mismatches == 0)
    }

    // MARK: Time zones

    @Test("known IANA zones are found", arguments: ["America/New_York", "Europe/Berlin", "Asia/Kolkata"])
    func namedZone(name: String) throws {
        #expect(try TimeZone.named(name).identifier == name)
    }

    @Test("UTC is found and has no offset")
    func utcZone() throws {
        let utc = try TimeZone.named("UTC")
        #expect(utc.secondsFromGMT(for: Date(timeIntervalSince1970: 1_780_000_000)) == 0)
        let kolkata = try TimeZone.named("Asia/Kolkata")
        #expect(kolkata.secondsFromGMT(for: Date(timeIntervalSince1970: 1_780_000_000)) == 19_800)
    }

    @Test(
        "unknown zones throw with the name in the description", arguments: ["Mars/Olympus_Mons", "", "America/Gotham"])
    func unknownZone(name: String) {
        #expect(throws: DateError.unknownTimeZone(name)) { try TimeZone.named(name) }
        #expect(DateError.unknownTimeZone(name).description.contains("\"\(name)\""))
    }

    @Test("year, month and day out of range are refused")
    func outOfRangeComponents() {
        #expect(throws: DateError.self) { try LocalDate(year: 0, month: 1, day: 1) }
        #expect(throws: DateError.self) { try LocalDate(year: 10_000, month: 1, day: 1) }
        #expect(throws: DateError.impossibleDate("2013-02-30", reason: "February 2013 has 28 days")) {
            try LocalDate(year: 2013, month: 2, day: 30)
        }
        #expect(
            DateError.malformed("x", expected: "YYYY-MM-DD").description == "\"x\" is not a date in the form YYYY-MM-DD"
        )
    }
}
