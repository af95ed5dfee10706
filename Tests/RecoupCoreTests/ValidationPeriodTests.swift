import RecoupCore
import Testing

@Suite("Federal holidays and the Regulation F validation period")
struct ValidationPeriodTests {
    func day(_ text: String) throws -> LocalDate { try LocalDate(iso: text) }
    func days(_ texts: [String]) throws -> [LocalDate] { try texts.map(day) }

    @Test("worked example: sent Mon 2026-06-01, received Mon 2026-06-08, ends Wed 2026-07-08")
    func workedExample() throws {
        // Jun 2 Tue (1), 3 Wed (2), 4 Thu (3), 5 Fri (4), 6 Sat, 7 Sun skipped, 8 Mon (5); +30 days = Jul 8.
        let period = try ValidationPeriod(sent: try day("2026-06-01"))
        #expect(period.sent == (try day("2026-06-01")))
        #expect(period.assumedReceived == (try day("2026-06-08")))
        #expect(period.assumedReceived.isoWeekday == 1)
        #expect(period.periodEnds == (try day("2026-07-08")))
        #expect(period.periodEnds.isoWeekday == 3)
    }

    @Test("observed holidays in 2026: July 4 on a Saturday is observed Friday July 3")
    func holidays2026() throws {
        #expect(
            FederalHolidays.observed(in: 2026)
                == (try days([
                    "2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19", "2026-07-03",
                    "2026-09-07", "2026-10-12", "2026-11-11", "2026-11-26", "2026-12-25",
                ])))
        #expect(!FederalHolidays.isHoliday(try day("2026-07-04")))
    }

    @Test("observed holidays in 2027: Sunday and Saturday shifts, New Year's Day 2028 on Dec 31, 2027")
    func holidays2027() throws {
        // Jun 19 Sat → Jun 18; Jul 4 Sun → Jul 5; Dec 25 Sat → Dec 24; 2028-01-01 Sat → 2027-12-31.
        #expect(
            FederalHolidays.observed(in: 2027)
                == (try days([
                    "2027-01-01", "2027-01-18", "2027-02-15", "2027-05-31", "2027-06-18", "2027-07-05",
                    "2027-09-06", "2027-10-11", "2027-11-11", "2027-11-25", "2027-12-24", "2027-12-31",
                ])))
        // New Year's Day 2028 is observed in 2027, so 2028 has no January holiday before MLK Day.
        #expect(FederalHolidays.observed(in: 2028).first == (try day("2028-01-17")))
    }

    @Test("2021-12-31 is a holiday because 2022-01-01 was a Saturday")
    func newYearsEveObservance() throws {
        #expect(try day("2022-01-01").isoWeekday == 6)
        #expect(FederalHolidays.isHoliday(try day("2021-12-31")))
        #expect(!FederalHolidays.isHoliday(try day("2022-01-01")))
        #expect(FederalHolidays.observed(in: 2021).last == (try day("2021-12-31")))
    }

    @Test("Juneteenth is a holiday from 2021 on, not in 2020")
    func juneteenth() throws {
        #expect(!FederalHolidays.isHoliday(try day("2020-06-19")))  // a Friday
        #expect(FederalHolidays.observed(in: 2020).count == 10)
        #expect(FederalHolidays.isHoliday(try day("2021-06-18")))  // June 19, 2021 was a Saturday
    }

    @Test("sent Thu 2026-12-24: Christmas, the weekend and New Year's Day are skipped")
    func holidayWeekend() throws {
        // Dec 25 Fri (holiday), 26 Sat, 27 Sun skipped; 28 Mon (1), 29 (2), 30 (3), 31 Thu (4);
        // 2027-01-01 Fri (holiday), 2 Sat, 3 Sun skipped; Jan 4 Mon (5). +30 days = Wed 2027-02-03.
        let period = try ValidationPeriod(sent: try day("2026-12-24"))
        #expect(period.assumedReceived == (try day("2027-01-04")))
        #expect(period.periodEnds == (try day("2027-02-03")))
    }

    @Test("sent Fri 2026-06-26: the observed Independence Day (Fri Jul 3) is skipped")
    func observedIndependenceDay() throws {
        // Jun 29 Mon (1), 30 (2), Jul 1 (3), Jul 2 Thu (4); Jul 3 holiday, 4 Sat, 5 Sun skipped; Jul 6 Mon (5).
        let period = try ValidationPeriod(sent: try day("2026-06-26"))
        #expect(period.assumedReceived == (try day("2026-07-06")))
        #expect(period.periodEnds == (try day("2026-08-05")))
    }

    @Test("sent on a Saturday: counting starts on the following Monday")
    func sentOnWeekend() throws {
        // Sat 2026-06-06: Jun 8 Mon (1) … Jun 12 Fri (5). +30 days = Jul 12 (a Sunday; not moved).
        let period = try ValidationPeriod(sent: try day("2026-06-06"))
        #expect(period.assumedReceived == (try day("2026-06-12")))
        #expect(period.periodEnds == (try day("2026-07-12")))
    }
}
