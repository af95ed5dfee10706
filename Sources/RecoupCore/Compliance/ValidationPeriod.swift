import Foundation

/// The legal public holidays of the United States federal government, as observed.
///
/// The holidays are those of 5 U.S.C. 6103(a): New Year's Day (January 1), the Birthday of Martin Luther
/// King, Jr. (third Monday in January), Washington's Birthday (third Monday in February), Memorial Day (last
/// Monday in May), Juneteenth National Independence Day (June 19, a legal holiday from 2021 on), Independence
/// Day (July 4), Labor Day (first Monday in September), Columbus Day (second Monday in October), Veterans Day
/// (November 11), Thanksgiving Day (fourth Thursday in November) and Christmas Day (December 25).
///
/// Observance follows 5 U.S.C. 6103(b) and Executive Order 11582: a holiday that falls on a Saturday is
/// observed on the Friday before it, one that falls on a Sunday on the Monday after it. New Year's Day on a
/// Saturday is therefore observed on December 31 of the previous year (2022-01-01 was a Saturday, so
/// 2021-12-31 was the holiday). Inauguration Day (6103(c)) is left out: it is a holiday only for employees
/// in the Washington, D.C. area.
public enum FederalHolidays {
    /// The observed holiday dates that fall in the calendar year `year`, in order.
    ///
    /// Includes December 31 when the next New Year's Day is a Saturday, and leaves out January 1 when it is
    /// a Saturday (its holiday is December 31 of the year before).
    public static func observed(in year: Int) -> [LocalDate] {
        let candidates = actualDates(in: year) + [date(year + 1, 1, 1)]
        return candidates.map(observance(of:)).filter { $0.year == year }.sorted()
    }

    /// True when `date` is the observed date of a legal public holiday.
    public static func isHoliday(_ date: LocalDate) -> Bool {
        observed(in: date.year).contains(date)
    }

    /// The date a holiday falling on `date` is observed: Saturday → Friday before, Sunday → Monday after.
    static func observance(of date: LocalDate) -> LocalDate {
        switch date.isoWeekday {
        case 6: return date.adding(days: -1)
        case 7: return date.adding(days: 1)
        default: return date
        }
    }

    /// The holidays of 5 U.S.C. 6103(a) on their actual (unshifted) dates in `year`.
    static func actualDates(in year: Int) -> [LocalDate] {
        var dates = [
            date(year, 1, 1),
            nthWeekday(1, 3, month: 1, year: year),  // Birthday of Martin Luther King, Jr.
            nthWeekday(1, 3, month: 2, year: year),  // Washington's Birthday
            lastWeekday(1, month: 5, year: year),  // Memorial Day
            date(year, 7, 4),
            nthWeekday(1, 1, month: 9, year: year),  // Labor Day
            nthWeekday(1, 2, month: 10, year: year),  // Columbus Day
            date(year, 11, 11),
            nthWeekday(4, 4, month: 11, year: year),  // Thanksgiving Day
            date(year, 12, 25),
        ]
        // Juneteenth National Independence Day Act, Pub. L. 117-17 (June 17, 2021).
        if year >= 2021 { dates.append(date(year, 6, 19)) }
        return dates
    }

    private static func date(_ year: Int, _ month: Int, _ day: Int) -> LocalDate {
        LocalDate(daysSinceEpoch: LocalDate.daysFromCivil(year, month, day))
    }

    /// The `n`th `weekday` (ISO, 1 = Monday) of a month.
    private static func nthWeekday(_ weekday: Int, _ n: Int, month: Int, year: Int) -> LocalDate {
        let first = date(year, month, 1)
        let offset = LocalDate.floorModulo(weekday - first.isoWeekday, 7)
        return first.adding(days: offset + 7 * (n - 1))
    }

    /// The last `weekday` (ISO, 1 = Monday) of a month.
    private static func lastWeekday(_ weekday: Int, month: Int, year: Int) -> LocalDate {
        let last = date(year, month, LocalDate.daysIn(month: month, year: year))
        return last.adding(days: -LocalDate.floorModulo(last.isoWeekday - weekday, 7))
    }
}

/// The validation period of a validation notice under Regulation F.
///
/// 12 CFR 1006.34(b)(5) defines the validation period as the period starting on the date the debt collector
/// provides the validation information and ending 30 days after the consumer receives or is assumed to
/// receive it; a collector may assume receipt on any date that is at least five days (excluding legal public
/// holidays identified in 5 U.S.C. 6103(a), Saturdays and Sundays) after it provides the information.
///
/// Here the five days are counted forward from the day after `sent`, skipping Saturdays, Sundays and
/// observed federal holidays (``FederalHolidays``); the fifth counted day is `assumedReceived`, and the
/// period ends on `assumedReceived` plus 30 calendar days (not moved off a weekend or holiday).
///
/// Example: sent Monday 2026-06-01 → assumed received Monday 2026-06-08 → period ends Wednesday 2026-07-08.
public struct ValidationPeriod: Hashable, Sendable {
    /// The date the validation information was sent (provided).
    public let sent: LocalDate
    /// The fifth day after `sent` that is not a Saturday, Sunday or federal holiday.
    public let assumedReceived: LocalDate
    /// 30 days after `assumedReceived`: the last day of the validation period.
    public let periodEnds: LocalDate

    /// The last date a notice may be sent for its period to end by 9999-12-31, the last date Recoup reads or writes.
    public static let latestSent = LocalDate(daysSinceEpoch: LocalDate.daysFromCivil(9999, 12, 31) - 60)

    /// The validation period of a notice sent on `sent`; a notice sent too late for its period to end by 9999-12-31
    /// is refused rather than given a five-digit year.
    public init(sent: LocalDate) throws(DateError) {
        guard sent <= Self.latestSent else {
            throw .outOfRange(
                "a notice sent on \(sent) would have its validation period end after 9999-12-31; "
                    + "send dates go up to \(Self.latestSent)")
        }
        self.sent = sent
        var day = sent
        var counted = 0
        while counted < 5 {
            day = day.adding(days: 1)
            if !day.isWeekend && !FederalHolidays.isHoliday(day) { counted += 1 }
        }
        self.assumedReceived = day
        self.periodEnds = day.adding(days: 30)
    }
}
