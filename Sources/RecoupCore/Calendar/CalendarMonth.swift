/// A month of the calendar (`2026-09`), the unit the liquidation report counts in.
public struct CalendarMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Months since January of year 0: `year * 12 + month - 1`.
    public let index: Int

    /// The month with this index (`year * 12 + month - 1`).
    public init(index: Int) { self.index = index }

    /// The month a date falls in.
    public init(_ date: LocalDate) {
        let parts = date.components
        index = parts.year * 12 + parts.month - 1
    }

    /// The year.
    public var year: Int { LocalDate.floorDivide(index, 12) }
    /// The month, 1–12.
    public var month: Int { index - year * 12 + 1 }

    /// Whole months from `earlier` to this month (0 for the same month).
    public func months(since earlier: CalendarMonth) -> Int { index - earlier.index }

    /// The month `count` months later (earlier when negative).
    public func adding(months count: Int) -> CalendarMonth { CalendarMonth(index: index + count) }

    /// `YYYY-MM`.
    public var isoString: String {
        let monthText = month < 10 ? "0\(month)" : "\(month)"
        let yearText = String(year)
        return String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText + "-" + monthText
    }

    public var description: String { isoString }

    public static func < (lhs: CalendarMonth, rhs: CalendarMonth) -> Bool { lhs.index < rhs.index }
}
