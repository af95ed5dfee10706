import Foundation

/// A calendar date with no time and no zone: a business date such as a due date (`2026-12-01`).
///
/// Stored as the number of days since 1970-01-01 so that comparing, adding days and counting days
/// between dates is integer arithmetic; the civil-calendar conversions are Howard Hinnant's
/// `days_from_civil` / `civil_from_days` algorithms (proleptic Gregorian calendar).
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it).
    public let daysSinceEpoch: Int

    /// Makes a date from its day number since 1970-01-01.
    public init(daysSinceEpoch: Int) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// Makes a date from year, month (1–12) and day; throws when the date does not exist (`2013-02-30`).
    public init(year: Int, month: Int, day: Int) throws(DateError) {
        guard (1...9999).contains(year) else {
            throw .impossibleDate("\(year)-\(month)-\(day)", reason: "year out of range")
        }
        guard (1...12).contains(month) else {
            throw .impossibleDate(LocalDate.format(year, month, day), reason: "there is no month \(month)")
        }
        let length = LocalDate.daysIn(month: month, year: year)
        guard (1...length).contains(day) else {
            throw .impossibleDate(
                LocalDate.format(year, month, day),
                reason: "\(LocalDate.monthNames[month - 1]) \(year) has \(length) days")
        }
        self.daysSinceEpoch = LocalDate.daysFromCivil(year, month, day)
    }

    /// Reads a strict ISO date `YYYY-MM-DD`.
    public init(iso text: String) throws(DateError) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = LocalDate.number(bytes[0..<4]), let month = LocalDate.number(bytes[5..<7]),
            let day = LocalDate.number(bytes[8..<10])
        else { throw .malformed(text, expected: "YYYY-MM-DD") }
        try self.init(year: year, month: month, day: day)
    }

    /// Reads a US date `M/D/YYYY` (one or two digits for month and day).
    public init(us text: String) throws(DateError) {
        // Hand-rolled over the UTF-8 bytes: imports read three of these per row (no splitting, no allocation).
        var parts = (0, 0, 0)
        var digits = (0, 0, 0)
        var index = 0
        var isValid = true
        for byte in text.utf8 {
            if byte == UInt8(ascii: "/") {
                index += 1
                if index > 2 { isValid = false; break }
                continue
            }
            guard byte >= 48 && byte <= 57 else { isValid = false; break }
            let digit = Int(byte - 48)
            switch index {
            case 0: parts.0 = parts.0 * 10 + digit; digits.0 += 1
            case 1: parts.1 = parts.1 * 10 + digit; digits.1 += 1
            default: parts.2 = parts.2 * 10 + digit; digits.2 += 1
            }
            // More digits than the form has is malformed; stopping at once also keeps a long run of digits from
            // overflowing the numbers.
            if digits.0 > 2 || digits.1 > 2 || digits.2 > 4 { isValid = false; break }
        }
        guard isValid, index == 2, (1...2).contains(digits.0), (1...2).contains(digits.1), digits.2 == 4 else {
            throw .malformed(text, expected: "M/D/YYYY")
        }
        do {
            try self.init(year: parts.2, month: parts.0, day: parts.1)
        } catch {
            if case .impossibleDate(_, let reason) = error { throw .impossibleDate(text, reason: reason) }
            throw error
        }
    }

    /// The calendar date of `instant` in `zone`.
    public init(_ instant: Date, in zone: TimeZone) {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: instant)
        self.daysSinceEpoch = LocalDate.floorDivide(seconds, 86_400)
    }

    /// The calendar date of an instant given as seconds since 1970 already shifted to local time.
    public init(localSecondsSinceEpoch seconds: Int) {
        self.daysSinceEpoch = LocalDate.floorDivide(seconds, 86_400)
    }

    /// Year, month and day.
    public var components: (year: Int, month: Int, day: Int) { LocalDate.civilFromDays(daysSinceEpoch) }
    /// The year.
    public var year: Int { components.year }
    /// The month, 1–12.
    public var month: Int { components.month }
    /// The day of the month, 1–31.
    public var day: Int { components.day }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        let index = LocalDate.floorModulo(daysSinceEpoch + 3, 7)
        return index + 1
    }

    /// True on Saturdays and Sundays.
    public var isWeekend: Bool { isoWeekday >= 6 }

    /// The date `days` later (earlier when negative).
    public func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// The date `months` later, keeping the day of month and clamping it to the month's last day
    /// (Jan 31 + 1 month = Feb 28 or 29).
    public func adding(months: Int) -> LocalDate {
        let (year, month, day) = components
        let monthIndex = year * 12 + (month - 1) + months
        let newYear = LocalDate.floorDivide(monthIndex, 12)
        let newMonth = LocalDate.floorModulo(monthIndex, 12) + 1
        let newDay = min(day, LocalDate.daysIn(month: newMonth, year: newYear))
        return LocalDate(daysSinceEpoch: LocalDate.daysFromCivil(newYear, newMonth, newDay))
    }

    /// Whole days from `earlier` to this date (positive when this date is later).
    public func days(since earlier: LocalDate) -> Int { daysSinceEpoch - earlier.daysSinceEpoch }

    /// The last day of this date's month.
    public var endOfMonth: LocalDate {
        let (year, month, _) = components
        return LocalDate(
            daysSinceEpoch: LocalDate.daysFromCivil(year, month, LocalDate.daysIn(month: month, year: year)))
    }

    /// `YYYY-MM-DD`.
    public var isoString: String {
        let (year, month, day) = components
        return LocalDate.format(year, month, day)
    }

    public var description: String { isoString }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    /// True for Gregorian leap years.
    public static func isLeapYear(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    /// Days in a month of a year.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    private static func format(_ year: Int, _ month: Int, _ day: Int) -> String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    private static func number(_ bytes: some Collection<UInt8>) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= 48 && byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    static func floorDivide(_ value: Int, _ divisor: Int) -> Int {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    static func floorModulo(_ value: Int, _ divisor: Int) -> Int {
        let remainder = value % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }

    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = floorDivide(shiftedYear, 400)
        let yearOfEra = shiftedYear - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}

/// What can go wrong when reading a date or a time zone.
public enum DateError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String, expected: String)
    case impossibleDate(String, reason: String)
    case unknownTimeZone(String)
    /// A real date whose consequence falls outside the dates Recoup handles (years 1 to 9999); the whole sentence.
    case outOfRange(String)

    public var description: String {
        switch self {
        case .malformed(let text, let expected): return "\"\(text)\" is not a date in the form \(expected)"
        case .impossibleDate(let text, let reason): return "\(text) is not a real date: \(reason)"
        case .unknownTimeZone(let name):
            return "unknown time zone \"\(name)\": use an IANA name such as America/New_York"
        case .outOfRange(let sentence): return sentence
        }
    }
}

extension TimeZone {
    /// The IANA zone with this identifier; throws for a name the zone database does not know.
    public static func named(_ identifier: String) throws(DateError) -> TimeZone {
        guard !identifier.isEmpty, let zone = TimeZone(identifier: identifier) else {
            throw .unknownTimeZone(identifier)
        }
        return zone
    }
}
