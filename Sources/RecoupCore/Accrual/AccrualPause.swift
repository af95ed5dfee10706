/// A stretch of days on which a debt grows by nothing: no interest accrues and no fee is charged
/// (a hardship arrangement, a breathing-space moratorium).
public struct AccrualPause: Hashable, Sendable {
    /// The first paused day.
    public var from: LocalDate
    /// The last paused day (inclusive), or nil while the pause has no end.
    public var until: LocalDate?
    /// Why the debt is paused, for the record ("hardship", "breathing space").
    public var reason: String

    /// Makes a pause; one whose `until` is before `from` covers no day.
    public init(from: LocalDate, until: LocalDate? = nil, reason: String) {
        self.from = from
        self.until = until
        self.reason = reason
    }

    /// True when `date` is one of the paused days.
    public func covers(_ date: LocalDate) -> Bool {
        date >= from && (until.map { date <= $0 } ?? true)
    }
}

/// The days paused by a list of pauses within a window, as sorted disjoint ranges, so that counting the paused
/// days of any stretch costs a binary search instead of a walk over the days.
struct PausedDays {
    /// Disjoint ranges of day numbers (`daysSinceEpoch`), in order.
    private let ranges: [ClosedRange<Int>]
    /// `cumulative[i]` is the number of days in `ranges[0..<i]`.
    private let cumulative: [Int]

    /// The paused days of `pauses` that fall within `window` (day numbers).
    init(_ pauses: [AccrualPause], within window: ClosedRange<Int>) {
        let clipped = pauses.compactMap { pause -> ClosedRange<Int>? in
            let lower = max(pause.from.daysSinceEpoch, window.lowerBound)
            let upper = min(pause.until?.daysSinceEpoch ?? window.upperBound, window.upperBound)
            return lower <= upper ? lower...upper : nil
        }.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<Int>] = []
        for range in clipped {
            if let last = merged.last, range.lowerBound <= last.upperBound + 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        var cumulative = [0]
        for range in merged { cumulative.append(cumulative[cumulative.count - 1] + range.count) }
        self.ranges = merged
        self.cumulative = cumulative
    }

    /// How many days of `days` (day numbers) are paused.
    func count(in days: ClosedRange<Int>) -> Int {
        countThrough(days.upperBound) - countThrough(days.lowerBound - 1)
    }

    /// How many paused days are on or before `day`.
    private func countThrough(_ day: Int) -> Int {
        // The number of ranges starting on or before `day`.
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].lowerBound <= day { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return 0 }
        return cumulative[low] - max(0, ranges[low - 1].upperBound - day)
    }
}
